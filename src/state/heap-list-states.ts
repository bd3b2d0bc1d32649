// Heap implementations of ListState: a plain array per (key, namespace), or, with TTL, an array
// of TtlValue whose elements expire one by one (as in Flink).

import type { ListState } from '../core/state.js';
import type { ListStateDescriptor } from '../core/state-descriptors.js';
import { checkDefined, StateTable, type CellCodec, type StateHost } from './state-table.js';
import { type Namespace } from '../core/state.js';
import { TtlPolicy, TtlValue } from './ttl.js';

const EMPTY: readonly never[] = Object.freeze([]);

/** Heap {@link ListState} without TTL. */
export class HeapListState<T> implements ListState<T>, CellCodec<T[]> {
  readonly table: StateTable<T[]>;

  constructor(host: StateHost, descriptor: ListStateDescriptor<T>) {
    this.table = new StateTable<T[]>(descriptor.name, 'list', false, host, this);
  }

  setCurrentNamespace(namespace: Namespace): void {
    this.table.namespace = namespace;
  }

  get(): readonly T[] {
    return this.table.get() ?? EMPTY;
  }

  add(value: T): void {
    checkDefined(value, this.table.name, 'ListState.add');
    const list = this.table.get();
    if (list === undefined) this.table.put([value]);
    else list.push(value);
  }

  addAll(values: Iterable<T>): void {
    const list = this.table.get() ?? [];
    const before = list.length;
    for (const value of values) {
      checkDefined(value, this.table.name, 'ListState.addAll');
      list.push(value);
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
export class TtlListState<T> implements ListState<T>, CellCodec<TtlValue<T>[]> {
  readonly table: StateTable<TtlValue<T>[]>;
  private readonly ttl: TtlPolicy;

  constructor(host: StateHost, descriptor: ListStateDescriptor<T>, ttl: TtlPolicy) {
    this.ttl = ttl;
    this.table = new StateTable<TtlValue<T>[]>(descriptor.name, 'list', true, host, this);
  }

  setCurrentNamespace(namespace: Namespace): void {
    this.table.namespace = namespace;
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

  add(value: T): void {
    checkDefined(value, this.table.name, 'ListState.add');
    const entry = new TtlValue(value, this.ttl.clock());
    const list = this.table.get();
    if (list === undefined) this.table.put([entry]);
    else list.push(entry);
  }

  addAll(values: Iterable<T>): void {
    const list = this.table.get() ?? [];
    const before = list.length;
    const now = this.ttl.clock();
    for (const value of values) {
      checkDefined(value, this.table.name, 'ListState.addAll');
      list.push(new TtlValue(value, now));
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
