// State descriptors: the name, kind and options (reduce/aggregate function, default value,
// time-to-live) of a piece of keyed state. Operators and user functions register them with the
// keyed state backend (`RuntimeContext.getState(descriptor)` and friends).

/**
 * Incremental aggregation in four steps, as in Flink: start an accumulator, add values to it,
 * merge two accumulators (session windows), and read the result. `add` and `merge` may mutate
 * and return their accumulator argument.
 */
export interface AggregateFunction<IN, ACC, OUT> {
  createAccumulator(): ACC;
  add(value: IN, accumulator: ACC): ACC;
  getResult(accumulator: ACC): OUT;
  merge(a: ACC, b: ACC): ACC;
}

/**
 * When the time-to-live of an entry restarts: on every write (the default), or on reads too.
 * Flink's `StateTtlConfig.UpdateType.OnCreateAndWrite` / `OnReadAndWrite`.
 */
export type TtlUpdateType = 'on-create-and-write' | 'on-read-and-write';

/** Time-to-live of state entries, in processing time (the backend's clock). */
export interface TtlConfig {
  /** Milliseconds after its last update (or read, see `updateType`) that an entry expires. */
  readonly ttlMs: number;
  readonly updateType?: TtlUpdateType;
}

/** The kinds of keyed state, as stored in snapshots. */
export type StateKind = 'value' | 'list' | 'map' | 'reducing' | 'aggregating';

/**
 * What every descriptor has: a name unique within the operator, a kind, and an optional TTL.
 * Expired entries are invisible to reads and removed lazily, or by the backend's `cleanupExpired()`.
 */
export abstract class StateDescriptor {
  abstract readonly kind: StateKind;
  readonly name: string;
  private ttlConfig: Required<TtlConfig> | undefined;

  constructor(name: string) {
    if (typeof name !== 'string' || name.length === 0) {
      throw new TypeError(`A state descriptor needs a non-empty name (a string), got ${JSON.stringify(name)}`);
    }
    this.name = name;
  }

  /**
   * Makes entries of this state expire `ttlMs` milliseconds (processing time) after their last
   * write, or their last read or write with `updateType: 'on-read-and-write'`.
   */
  enableTimeToLive(config: TtlConfig): this {
    const { ttlMs, updateType = 'on-create-and-write' } = config ?? ({} as TtlConfig);
    if (typeof ttlMs !== 'number' || !(ttlMs > 0) || ttlMs === Infinity) {
      throw new RangeError(`State "${this.name}": ttlMs must be a positive, finite number of milliseconds, got ${ttlMs}`);
    }
    if (updateType !== 'on-create-and-write' && updateType !== 'on-read-and-write') {
      throw new TypeError(
        `State "${this.name}": updateType must be 'on-create-and-write' or 'on-read-and-write', got ${JSON.stringify(updateType)}`,
      );
    }
    this.ttlConfig = { ttlMs, updateType };
    return this;
  }

  /** The TTL set by {@link enableTimeToLive}, or `undefined` when entries never expire. */
  get ttl(): Required<TtlConfig> | undefined {
    return this.ttlConfig;
  }
}

function requireFunction(name: string, what: string, fn: unknown): void {
  if (typeof fn !== 'function') {
    throw new TypeError(`State "${name}": ${what} must be a function, got ${fn === null ? 'null' : typeof fn}`);
  }
}

/** A single value per key; `value()` returns `defaultValue` (shared, do not mutate it) when unset. */
export class ValueStateDescriptor<T> extends StateDescriptor {
  readonly kind = 'value';
  readonly defaultValue: T | undefined;

  constructor(name: string, defaultValue?: T) {
    super(name);
    this.defaultValue = defaultValue;
  }
}

/** A list of values per key. */
export class ListStateDescriptor<T> extends StateDescriptor {
  readonly kind = 'list';
  /** Carries the element type; nothing is stored in it. */
  declare readonly elementType?: T;
}

/** A map per key; user keys are compared like `Map` keys (`SameValueZero`), so use primitives. */
export class MapStateDescriptor<UK, UV> extends StateDescriptor {
  readonly kind = 'map';
  /** Carry the key and value types; nothing is stored in them. */
  declare readonly keyType?: UK;
  declare readonly valueType?: UV;
}

/** A value per key folded from every added value with `reduceFn(accumulated, added)`. */
export class ReducingStateDescriptor<T> extends StateDescriptor {
  readonly kind = 'reducing';
  readonly reduceFn: (a: T, b: T) => T;

  constructor(name: string, reduceFn: (a: T, b: T) => T) {
    super(name);
    requireFunction(name, 'reduceFn', reduceFn);
    this.reduceFn = reduceFn;
  }
}

/** An accumulator per key built with an {@link AggregateFunction}; reads return its result. */
export class AggregatingStateDescriptor<IN, ACC, OUT> extends StateDescriptor {
  readonly kind = 'aggregating';
  readonly aggregateFunction: AggregateFunction<IN, ACC, OUT>;

  constructor(name: string, aggregateFunction: AggregateFunction<IN, ACC, OUT>) {
    super(name);
    if (aggregateFunction === null || typeof aggregateFunction !== 'object') {
      throw new TypeError(
        `State "${name}": the aggregate function must be an object with createAccumulator, add, getResult and merge`,
      );
    }
    requireFunction(name, 'createAccumulator', aggregateFunction.createAccumulator);
    requireFunction(name, 'add', aggregateFunction.add);
    requireFunction(name, 'getResult', aggregateFunction.getResult);
    requireFunction(name, 'merge', aggregateFunction.merge);
    this.aggregateFunction = aggregateFunction;
  }
}
