// Heap implementations of the state kinds that keep one cell per (key, namespace): value,
// reducing and aggregating state, each with optional TTL on the whole cell.

import type { AggregatingState, Namespace, ReducingState, ValueState } from '../core/state.js';
import type { AggregateFunction, AggregatingStateDescriptor, ReducingStateDescriptor, StateDescriptor, ValueStateDescriptor } from '../core/state-descriptors.js';
import { StateTable, type CellCodec, type StateHost } from './state-table.js';
import { TtlPolicy, TtlValue } from './ttl.js';

/** The single-cell storage shared by value, reducing and aggregating state. */
class SingleCellStore<V> implements CellCodec<V | TtlValue<V>> {
  readonly table: StateTable<V | TtlValue<V>>;
  private readonly ttl: TtlPolicy | undefined;

  constructor(host: StateHost, descriptor: StateDescriptor) {
    this.ttl = TtlPolicy.of(descriptor, host.clock);
    this.table = new StateTable(descriptor.name, descriptor.kind, this.ttl !== undefined, host, this);
  }

  /** The current key's value, `undefined` when unset or expired (an expired cell is removed). */
  read(): V | undefined {
    const cell = this.table.get();
    if (cell === undefined || this.ttl === undefined) return cell as V | undefined;
    return this.readLive(cell as TtlValue<V>, this.ttl);
  }

  private readLive(cell: TtlValue<V>, ttl: TtlPolicy): V | undefined {
    const now = ttl.clock();
    if (ttl.expired(cell, now)) {
      this.table.remove();
      return undefined;
    }
    if (ttl.updateOnRead) cell.timestamp = now;
    return cell.value;
  }

  write(value: V): void {
    if (this.ttl === undefined) {
      this.table.put(value);
      return;
    }
    const now = this.ttl.clock();
    const cell = this.table.get() as TtlValue<V> | undefined;
    if (cell === undefined) {
      this.table.put(new TtlValue(value, now));
    } else {
      cell.value = value;
      cell.timestamp = now;
    }
  }

  encode(cell: V | TtlValue<V>): unknown {
    if (this.ttl === undefined) return cell;
    const entry = cell as TtlValue<V>;
    return [entry.value, entry.timestamp];
  }

  decode(data: unknown): V | TtlValue<V> {
    if (this.ttl === undefined) return data as V;
    const [value, timestamp] = data as [V, number];
    return new TtlValue(value, timestamp);
  }

  prune(cell: V | TtlValue<V>, now: number): boolean {
    return this.ttl !== undefined && this.ttl.expired(cell as TtlValue<V>, now);
  }
}

/** Heap {@link ValueState}. */
export class HeapValueState<T> implements ValueState<T> {
  private readonly store: SingleCellStore<T>;
  private readonly defaultValue: T | undefined;

  constructor(host: StateHost, descriptor: ValueStateDescriptor<T>) {
    this.store = new SingleCellStore(host, descriptor);
    this.defaultValue = descriptor.defaultValue;
  }

  /** The storage, for the backend's snapshots and iteration. */
  get table(): StateTable<unknown> {
    return this.store.table;
  }

  setCurrentNamespace(namespace: Namespace): void {
    this.store.table.namespace = namespace;
  }

  value(): T | undefined {
    const value = this.store.read();
    return value === undefined ? this.defaultValue : value;
  }

  update(value: T | undefined): void {
    if (value === undefined) this.store.table.remove();
    else this.store.write(value);
  }

  clear(): void {
    this.store.table.remove();
  }
}

/** Heap {@link ReducingState}. */
export class HeapReducingState<T> implements ReducingState<T> {
  private readonly store: SingleCellStore<T>;
  private readonly reduceFn: (a: T, b: T) => T;

  constructor(host: StateHost, descriptor: ReducingStateDescriptor<T>) {
    this.store = new SingleCellStore(host, descriptor);
    this.reduceFn = descriptor.reduceFn;
  }

  /** The storage, for the backend's snapshots and iteration. */
  get table(): StateTable<unknown> {
    return this.store.table;
  }

  setCurrentNamespace(namespace: Namespace): void {
    this.store.table.namespace = namespace;
  }

  get(): T | undefined {
    return this.store.read();
  }

  add(value: T): void {
    const current = this.store.read();
    const reduce = this.reduceFn;
    this.store.write(current === undefined ? value : reduce(current, value));
  }

  clear(): void {
    this.store.table.remove();
  }
}

/** Heap {@link AggregatingState}: stores the accumulator, reads return its result. */
export class HeapAggregatingState<IN, ACC, OUT> implements AggregatingState<IN, OUT> {
  private readonly store: SingleCellStore<ACC>;
  private readonly aggregate: AggregateFunction<IN, ACC, OUT>;

  constructor(host: StateHost, descriptor: AggregatingStateDescriptor<IN, ACC, OUT>) {
    this.store = new SingleCellStore(host, descriptor);
    this.aggregate = descriptor.aggregateFunction;
  }

  /** The storage, for the backend's snapshots and iteration. */
  get table(): StateTable<unknown> {
    return this.store.table;
  }

  setCurrentNamespace(namespace: Namespace): void {
    this.store.table.namespace = namespace;
  }

  get(): OUT | undefined {
    const accumulator = this.store.read();
    return accumulator === undefined ? undefined : this.aggregate.getResult(accumulator);
  }

  add(value: IN): void {
    const accumulator = this.store.read();
    this.store.write(this.aggregate.add(value, accumulator === undefined ? this.aggregate.createAccumulator() : accumulator));
  }

  clear(): void {
    this.store.table.remove();
  }
}
