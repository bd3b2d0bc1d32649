// The user-function types of the public API: collectors, process functions (plain and keyed,
// with timers and side outputs) and the runtime context they see in open().

import type { Key } from './key-groups.js';
import type { AggregatingState, ListState, MapState, ReducingState, ValueState } from './state.js';
import type { AggregatingStateDescriptor, ListStateDescriptor, MapStateDescriptor, ReducingStateDescriptor, ValueStateDescriptor } from './state-descriptors.js';
import type { OutputTag } from './output-tag.js';

/** Receives the records a function emits. */
export interface Collector<T> {
  collect(value: T): void;
}

/** What a function learns about the subtask it runs in, and (after keyBy) its keyed state. */
export interface RuntimeContext {
  /** Zero-based index of this parallel subtask. */
  readonly indexOfThisSubtask: number;
  readonly numberOfParallelSubtasks: number;
  /** The operator's name, from `.name()` or its default. */
  readonly taskName: string;
  /** Keyed state (only in functions on a KeyedStream): one value per key. */
  getState<T>(descriptor: ValueStateDescriptor<T>): ValueState<T>;
  getListState<T>(descriptor: ListStateDescriptor<T>): ListState<T>;
  getMapState<UK, UV>(descriptor: MapStateDescriptor<UK, UV>): MapState<UK, UV>;
  getReducingState<T>(descriptor: ReducingStateDescriptor<T>): ReducingState<T>;
  getAggregatingState<IN, ACC, OUT>(descriptor: AggregatingStateDescriptor<IN, ACC, OUT>): AggregatingState<IN, OUT>;
}

/** The context of one `processElement` call of a `ProcessFunction`. */
export interface ProcessContext {
  /** The record's timestamp (epoch ms), or `undefined` when it has none. */
  readonly timestamp: number | undefined;
  /** Emits to a side output, read with `getSideOutput(tag)`. */
  output<X>(tag: OutputTag<X>, value: X): void;
}

/** Timers of a keyed function, for the current key. Deduplicated per (key, time). */
export interface TimerService {
  currentWatermark(): number;
  currentProcessingTime(): number;
  /** Calls onTimer when the watermark reaches `time`. */
  registerEventTimeTimer(time: number): void;
  /** Calls onTimer when processing time reaches `time`. */
  registerProcessingTimeTimer(time: number): void;
  deleteEventTimeTimer(time: number): void;
  deleteProcessingTimeTimer(time: number): void;
}

/** The context of `KeyedProcessFunction.processElement`. */
export interface KeyedContext<K> extends ProcessContext {
  getCurrentKey(): K;
  timerService(): TimerService;
}

/** The context of `onTimer`: which clock fired it. */
export interface OnTimerContext<K> extends KeyedContext<K> {
  readonly timeDomain: 'event-time' | 'processing-time';
}

/**
 * A function over each record with access to its context, called in arrival order, never
 * concurrently. `open` runs once in the worker before the first record (open connections here,
 * not at the top of the job script, which runs in every worker); `close` once at the end. Each
 * subtask gets its own copy of the object.
 */
export abstract class ProcessFunction<In, Out> {
  open?(rt: RuntimeContext): void | Promise<void>;
  abstract processElement(value: In, ctx: ProcessContext, out: Collector<Out>): void;
  close?(): void | Promise<void>;
}

/**
 * A function over a keyed stream with keyed state (from `rt` in `open`) and timers. Timers fire
 * `onTimer` in timestamp order with their key current; records emitted from an event-time timer
 * carry the timer's timestamp.
 */
export abstract class KeyedProcessFunction<K extends Key, In, Out> {
  open?(rt: RuntimeContext): void | Promise<void>;
  abstract processElement(value: In, ctx: KeyedContext<K>, out: Collector<Out>): void;
  onTimer?(timestamp: number, ctx: OnTimerContext<K>, out: Collector<Out>): void;
  close?(): void | Promise<void>;
}
