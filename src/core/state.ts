// The keyed state objects that operators and user functions program against (Flink's ValueState,
// ListState, MapState, ReducingState, AggregatingState). Every call reads and writes the entry of
// the backend's current key and of the state's current namespace.

import type { Key } from './key-groups.js';
import type { AggregatingStateDescriptor, ListStateDescriptor, MapStateDescriptor, ReducingStateDescriptor, ValueStateDescriptor } from './state-descriptors.js';

/** A namespace within a key's state, e.g. one window of a window operator. */
export type Namespace = string | number;

/**
 * The namespace every state starts in. Its entries take the fast path (one `Map` lookup); any
 * other namespace costs a second lookup.
 */
export const DEFAULT_NAMESPACE: Namespace = '';

/**
 * What all keyed state objects share. A state object is created once (in `open()`) and used for
 * every record: it always acts on the key being processed. Not safe to use outside of processing
 * a keyed record or timer.
 */
export interface State {
  /**
   * Selects the namespace (for example a window) that later calls act on, until the next call.
   * Every state starts in `DEFAULT_NAMESPACE`, the cheapest.
   */
  setCurrentNamespace(namespace: Namespace): void;
  /** Removes the current key's entry; a key left with no entry takes no memory. */
  clear(): void;
}

/** One value per key. */
export interface ValueState<T> extends State {
  /** The value, or the descriptor's default value (`undefined` if none) when unset or expired. */
  value(): T | undefined;
  /** Replaces the value; `update(undefined)` is `clear()`. */
  update(value: T | undefined): void;
}

/** A list of values per key. */
export interface ListState<T> extends State {
  /**
   * The elements in insertion order (an empty array when none). It is a view of the stored list
   * that later `add`s may change and that must not be modified: copy it to keep it.
   */
  get(): readonly T[];
  /** Appends a value (`undefined` is refused). */
  add(value: T): void;
  /** Appends every value of `values`. */
  addAll(values: Iterable<T>): void;
  /** Replaces the list with the values of `values`; none clears it. */
  update(values: Iterable<T>): void;
}

/** A map per key. User keys are compared as `Map` keys are (`SameValueZero`). */
export interface MapState<UK, UV> extends State {
  get(key: UK): UV | undefined;
  /** Sets a mapping (`undefined` values are refused: use `remove`). */
  put(key: UK, value: UV): void;
  remove(key: UK): void;
  contains(key: UK): boolean;
  /** Live iterators over the current key's map: do not add mappings while iterating. */
  entries(): IterableIterator<[UK, UV]>;
  keys(): IterableIterator<UK>;
  values(): IterableIterator<UV>;
  isEmpty(): boolean;
}

/** A value per key that every `add` folds in with the descriptor's reduce function. */
export interface ReducingState<T> extends State {
  /** The reduced value, `undefined` when nothing was added. */
  get(): T | undefined;
  add(value: T): void;
}

/** An accumulator per key that every `add` feeds; `get` returns the aggregate function's result. */
export interface AggregatingState<IN, OUT> extends State {
  /** `getResult(accumulator)`, or `undefined` when nothing was added. */
  get(): OUT | undefined;
  add(value: IN): void;
}

/** Where keyed state objects come from: a function's `RuntimeContext`, an operator's backend. */
export interface KeyedStateStore {
  /**
   * Registers a value state, or returns the one already registered under this name. The same
   * holds for the other `get...State` methods; a name is bound to one kind of state and one
   * TTL setting for the life of the job (checkpoints included).
   */
  getState<T>(descriptor: ValueStateDescriptor<T>): ValueState<T>;
  getListState<T>(descriptor: ListStateDescriptor<T>): ListState<T>;
  getMapState<UK, UV>(descriptor: MapStateDescriptor<UK, UV>): MapState<UK, UV>;
  getReducingState<T>(descriptor: ReducingStateDescriptor<T>): ReducingState<T>;
  getAggregatingState<IN, ACC, OUT>(descriptor: AggregatingStateDescriptor<IN, ACC, OUT>): AggregatingState<IN, OUT>;
}

/**
 * The keyed state of one operator subtask, as the operator sees it: the task actor creates it
 * (and snapshots it), the operator makes a record's key current before it touches state.
 * Single-threaded: never called concurrently.
 */
export interface KeyedStateBackend extends KeyedStateStore {
  readonly maxParallelism: number;
  /** The key groups this subtask owns, `end` inclusive. */
  readonly keyGroupRange: { readonly start: number; readonly end: number };
  /** Makes `key` (of `keyGroup`, as computed when the record was routed) the current key. */
  setCurrentKey(key: Key, keyGroup: number): void;
  /** The key set by the last `setCurrentKey`. */
  getCurrentKey(): Key;
  /** Distinct keys with any entry in any state. */
  numKeys(): number;
}
