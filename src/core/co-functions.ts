// Two-input user functions (Flink's CoProcessFunction, KeyedCoProcessFunction and
// ProcessJoinFunction): one method per input, sharing the function's fields or, when keyed, the
// key's state and timers.

import type { Key } from './key-groups.js';
import type { Collector, KeyedContext, OnTimerContext, ProcessContext, RuntimeContext } from './functions.js';

/** A function over two connected streams; `processElement1` and `2` never run concurrently. */
export abstract class CoProcessFunction<In1, In2, Out> {
  open?(rt: RuntimeContext): void | Promise<void>;
  abstract processElement1(value: In1, ctx: ProcessContext, out: Collector<Out>): void;
  abstract processElement2(value: In2, ctx: ProcessContext, out: Collector<Out>): void;
  close?(): void | Promise<void>;
}

/**
 * A function over two connected keyed streams: records of both inputs with the same key share the
 * key's state and timers (a rule stream and an event stream, a join written by hand).
 */
export abstract class KeyedCoProcessFunction<K extends Key, In1, In2, Out> {
  open?(rt: RuntimeContext): void | Promise<void>;
  abstract processElement1(value: In1, ctx: KeyedContext<K>, out: Collector<Out>): void;
  abstract processElement2(value: In2, ctx: KeyedContext<K>, out: Collector<Out>): void;
  onTimer?(timestamp: number, ctx: OnTimerContext<K>, out: Collector<Out>): void;
  close?(): void | Promise<void>;
}

/** The context of an interval-join match: the timestamps of both sides and of the result. */
export interface ProcessJoinContext {
  readonly leftTimestamp: number;
  readonly rightTimestamp: number;
  /** max(left, right): the timestamp the output gets. */
  readonly timestamp: number;
}

/** Called for every matching pair of an interval join. */
export type ProcessJoinFunction<L, R, Out> = (left: L, right: R, ctx: ProcessJoinContext, out: Collector<Out>) => void;
