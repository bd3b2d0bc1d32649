// Heap implementations of ListState: a plain array per (key, namespace), or, with TTL, an array
// of TtlValue whose elements expire one by one (as in Flink).

import type { ListState, Namespace } from '../core/state.js';
import type { ListStateDescriptor } from '../core/state-descriptors.js';
import { checkDefined, StateTable, type CellCodec, type StateHost } from './state-table.js';
import { TtlPolicy, TtlValue } from './ttl.js';

const EMPTY: readonly never[] = Object.freeze([]);

/**
 * What both list states share: a stored array per (key, namespace) of entries `E` (the values
 * themselves, or the values wrapped with their TTL timestamp).
 */
abstract class HeapListStateBase<T, E> implements ListState<T>, CellCodec<E[]> {
  readonly table: StateTable<E[]>;

  protected constructor(host: StateHost, descriptor: ListStateDescriptor<T>, ttl: boolean) {
    this.table = new StateTable<E[]>(descriptor.name, 'list', ttl, host, this);
  }

  /** The entry that stores `value`, added at processing time `now`. */
  protected abstract wrap(value: T, now: number): E;
  /** Processing time, for entries that carry it. */
  protected abstract now(): number;
  abstract get(): readonly T[];
  abstract encode(cell: E[]): unknown;
  abstract decode(data: unknown): E[];
  abstract prune(cell: E[], now: number): boolean;

  setCurrentNamespace(namespace: Namespace): void {
    this.table.namespace = namespace;
  }

  add(value: T): void {
    checkDefined(value, this.table.name, 'ListState.add');
    const entry = this.wrap(value, this.now());
    const list = this.table.get();
    if (list === undefined) this.table.put([entry]);
    else list.push(entry);
  }

  addAll(values: Iterable<T>): void {
    const list = this.table.get() ?? [];
    const before = list.length;
    const now = this.now();
    for (const value of values) {
      checkDefined(value, this.table.name, 'ListState.addAll');
      list.push(this.wrap(value, now));
    }
    if (before === 0 && list.length > 0) this.table.put(list);
  }

  update(values: Iterable<T>): void {
    this.table.remove();
    this.addAll(values);
  }

  clear(): void {
    this.table.remove();
  }
}

/** Heap {@link ListState} without TTL. */
export class HeapListState<T> extends HeapListStateBase<T, T> {
  constructor(host: StateHost, descriptor: ListStateDescriptor<T>) {
    super(host, descriptor, false);
  }

  get(): readonly T[] {
    return this.table.get() ?? EMPTY;
  }

  protected wrap(value: T): T {
    return value;
  }

  protected now(): number {
    return 0;
  }

  encode(cell: T[]): unknown {
    return cell.slice();
  }

  decode(data: unknown): T[] {
    return (data as T[]).slice();
  }

  prune(): boolean {
    return false;
  }
}

/** Heap {@link ListState} with TTL: each element expires on its own. */
export class TtlListState<T> extends HeapListStateBase<T, TtlValue<T>> {
  constructor(
    host: StateHost,
    descriptor: ListStateDescriptor<T>,
    private readonly ttl: TtlPolicy,
  ) {
    super(host, descriptor, true);
  }

  /** A fresh array of the live elements; expired ones are dropped from the stored list. */
  get(): readonly T[] {
    const list = this.table.get();
    if (list === undefined) return EMPTY;
    const now = this.ttl.clock();
    if (this.prune(list, now)) {
      this.table.remove();
      return EMPTY;
    }
    const values = new Array<T>(list.length);
    for (let i = 0; i < list.length; i++) {
      const entry = list[i]!;
      if (this.ttl.updateOnRead) entry.timestamp = now;
      values[i] = entry.value;
    }
    return values;
  }

  protected wrap(value: T, now: number): TtlValue<T> {
    return new TtlValue(value, now);
  }

  protected now(): number {
    return this.ttl.clock();
  }

  encode(cell: TtlValue<T>[]): unknown {
    return cell.map((entry) => [entry.value, entry.timestamp]);
  }

  decode(data: unknown): TtlValue<T>[] {
    return (data as [T, number][]).map(([value, timestamp]) => new TtlValue(value, timestamp));
  }

  /** Drops expired elements in place, keeping order; true when none is left. */
  prune(cell: TtlValue<T>[], now: number): boolean {
    let kept = 0;
    for (let i = 0; i < cell.length; i++) {
      const entry = cell[i]!;
      if (!this.ttl.expired(entry, now)) cell[kept++] = entry;
    }
    cell.length = kept;
    return kept === 0;
  }
}
