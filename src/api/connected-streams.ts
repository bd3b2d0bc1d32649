// ConnectedStreams: two streams of possibly different types processed by one two-input operator
// (connect), and the interval join of two keyed streams. Keyed when both inputs are keyed, then
// records with the same key meet the same state and timers.

import { CoProcessFunction, type KeyedCoProcessFunction, type ProcessJoinFunction } from '../core/co-functions.js';
import { StreamError } from '../core/errors.js';
import type { Collector, ProcessContext } from '../core/functions.js';
import type { StreamInput } from '../core/job-plan.js';
import type { Key } from '../core/key-groups.js';
import type { AnyOperator } from '../core/operator.js';
import { requireFunction } from '../core/validate.js';
import { cloneFunction } from '../operators/clone-function.js';
import { CoProcessOperator } from '../operators/co-process.js';
import { IntervalJoinOperator } from '../operators/interval-join.js';
import { KeyedCoProcessOperator } from '../operators/keyed-co-process.js';
import { operatorNode } from '../graph/stream-graph.js';
import { DataStream } from './data-stream.js';
import type { JobBuilder } from './job-builder.js';
import { KeyedStream } from './keyed-stream.js';

declare module './data-stream.js' {
  interface DataStream<T> {
    /**
     * Connects two streams for a two-input operator (map/flatMap/process with one function per
     * input). When both are keyed, the operator is keyed: state and timers shared by both inputs.
     */
    connect<R>(other: DataStream<R>): ConnectedStreams<T, R>;
  }
}

declare module './keyed-stream.js' {
  interface KeyedStream<T, K extends Key> {
    /**
     * Joins this keyed stream with another keyed stream on the key and on time: each record of this
     * stream meets the other's records whose timestamps lie in an interval around its own.
     */
    intervalJoin<R>(other: KeyedStream<R, K>): IntervalJoin<T, R>;
  }
}

DataStream.prototype.connect = function connect<T, R>(this: DataStream<T>, other: DataStream<R>): ConnectedStreams<T, R> {
  this.assertSameJob(other, 'connect');
  const key1 = this instanceof KeyedStream ? (this.keySelector as (value: T) => Key) : undefined;
  const key2 = other instanceof KeyedStream ? (other.keySelector as (value: R) => Key) : undefined;
  return new ConnectedStreams<T, R>(this.env, this.ends, other.ends, key1, key2);
};

KeyedStream.prototype.intervalJoin = function intervalJoin<T, K extends Key, R>(this: KeyedStream<T, K>, other: KeyedStream<R, K>): IntervalJoin<T, R> {
  if (!(other instanceof KeyedStream)) throw new StreamError('INVALID_GRAPH', 'intervalJoin needs a keyed stream on both sides: a.keyBy(k1).intervalJoin(b.keyBy(k2)).');
  return new IntervalJoin(this.connect(other));
};

/** Two streams, each still on its own input, ready for a two-input operator. */
export class ConnectedStreams<In1, In2> {
  /** @internal Made by `DataStream.connect`. */
  constructor(
    private readonly env: JobBuilder,
    private readonly first: readonly StreamInput[],
    private readonly second: readonly StreamInput[],
    private readonly key1: ((value: In1) => Key) | undefined,
    private readonly key2: ((value: In2) => Key) | undefined,
  ) {}

  /** Whether both inputs are keyed (connect of two KeyedStreams, or `keyBy` here). */
  get isKeyed(): boolean {
    return this.key1 !== undefined && this.key2 !== undefined;
  }

  /** Partitions both inputs by key, so records with equal keys meet in one subtask. */
  keyBy<K extends Key>(key1: (value: In1) => K, key2: (value: In2) => K): ConnectedStreams<In1, In2> {
    requireFunction(key1, 'ConnectedStreams.keyBy (first key)');
    requireFunction(key2, 'ConnectedStreams.keyBy (second key)');
    const hash = (ends: readonly StreamInput[], keySelector: (value: never) => K): StreamInput[] =>
      ends.map((e) => ({ nodeId: e.nodeId, sideOutput: e.sideOutput, partitioning: { kind: 'hash', keySelector: keySelector as (value: unknown) => unknown } }));
    return new ConnectedStreams(this.env, hash(this.first, key1), hash(this.second, key2), key1, key2);
  }

  /** One output per record of either input. */
  map<R>(fn1: (value: In1) => R, fn2: (value: In2) => R): DataStream<R> {
    requireFunction(fn1, 'ConnectedStreams.map (first function)');
    requireFunction(fn2, 'ConnectedStreams.map (second function)');
    return this.add('co-map', 'Co-Map', () => new CoProcessOperator(lambdas<In1, In2, R>((v, out) => out.collect(fn1(v)), (v, out) => out.collect(fn2(v)))));
  }

  /** Zero or more outputs per record of either input. */
  flatMap<R>(fn1: (value: In1, out: Collector<R>) => void, fn2: (value: In2, out: Collector<R>) => void): DataStream<R> {
    requireFunction(fn1, 'ConnectedStreams.flatMap (first function)');
    requireFunction(fn2, 'ConnectedStreams.flatMap (second function)');
    return this.add('co-flat-map', 'Co-Flat Map', () => new CoProcessOperator(lambdas<In1, In2, R>(fn1, fn2)));
  }

  /**
   * Runs a CoProcessFunction, or, when both inputs are keyed, a KeyedCoProcessFunction with the
   * key's state and timers shared by both inputs.
   */
  process<R, K extends Key = Key>(fn: CoProcessFunction<In1, In2, R> | KeyedCoProcessFunction<K, In1, In2, R>): DataStream<R> {
    requireFunction(fn?.processElement1, 'ConnectedStreams.process: processElement1');
    requireFunction(fn?.processElement2, 'ConnectedStreams.process: processElement2');
    if (fn instanceof CoProcessFunction) return this.add('co-process', 'Co-Process', () => new CoProcessOperator(cloneFunction(fn)));
    if (!this.isKeyed) {
      throw new StreamError(
        'INVALID_GRAPH',
        'A KeyedCoProcessFunction needs both inputs keyed: a.keyBy(k1).connect(b.keyBy(k2)), or connect(...).keyBy(k1, k2). For unkeyed inputs extend CoProcessFunction.',
      );
    }
    const keyed = fn as KeyedCoProcessFunction<K, In1, In2, R>;
    return this.add('keyed-co-process', 'Keyed Co-Process', () => new KeyedCoProcessOperator(cloneFunction(keyed)));
  }

  /** @internal Adds the two-input node. */
  add<R>(type: string, name: string, create: () => AnyOperator): DataStream<R> {
    const inputs = [...this.first.map((e) => ({ ...e, inputIndex: 0 as const })), ...this.second.map((e) => ({ ...e, inputIndex: 1 as const }))];
    const node = this.env.addNode({
      ...operatorNode(type, name, inputs, this.key1 as ((value: unknown) => unknown) | undefined),
      keySelector2: this.key2 as ((value: unknown) => unknown) | undefined,
      createOperator: create,
    });
    return DataStream.fromNode<R>(this.env, node);
  }
}

/** A CoProcessFunction made of two collector lambdas (map, flatMap). */
function lambdas<In1, In2, R>(
  fn1: (value: In1, out: Collector<R>) => void,
  fn2: (value: In2, out: Collector<R>) => void,
): CoProcessFunction<In1, In2, R> {
  return new (class extends CoProcessFunction<In1, In2, R> {
    processElement1(value: In1, _ctx: ProcessContext, out: Collector<R>): void {
      fn1(value, out);
    }

    processElement2(value: In2, _ctx: ProcessContext, out: Collector<R>): void {
      fn2(value, out);
    }
  })();
}

/** `left.intervalJoin(right)`: choose the bounds next. */
export class IntervalJoin<L, R> {
  /** @internal Made by `KeyedStream.intervalJoin`. */
  constructor(private readonly connected: ConnectedStreams<L, R>) {}

  /** Right records with timestamps in [left + lowerMs, left + upperMs] (inclusive) join each left record. */
  between(lowerMs: number, upperMs: number): IntervalJoined<L, R> {
    if (!Number.isFinite(lowerMs) || !Number.isFinite(upperMs) || lowerMs > upperMs) {
      throw new RangeError(`intervalJoin(...).between(${lowerMs}, ${upperMs}): expected finite bounds in ms with lower <= upper, e.g. between(-Time.seconds(5), Time.seconds(5)).`);
    }
    return new IntervalJoined(this.connected, lowerMs, upperMs);
  }
}

export class IntervalJoined<L, R> {
  /** @internal */
  constructor(
    private readonly connected: ConnectedStreams<L, R>,
    private lower: number,
    private upper: number,
  ) {}

  /** Excludes the lower bound itself (Flink's lowerBoundExclusive). */
  lowerBoundExclusive(): this {
    this.lower += 1;
    return this;
  }

  /** Excludes the upper bound itself. */
  upperBoundExclusive(): this {
    this.upper -= 1;
    return this;
  }

  /** Calls `fn(left, right, ctx, out)` for every matching pair; outputs carry max(left, right) as timestamp. */
  process<Out>(fn: ProcessJoinFunction<L, R, Out>): DataStream<Out> {
    requireFunction(fn, 'intervalJoin(...).process');
    const { lower, upper } = this;
    return this.connected.add('interval-join', 'Interval Join', () => new IntervalJoinOperator(lower, upper, fn));
  }
}
