// The contract between the runtime and every operator: how records, watermarks and end of input
// reach an operator, and what it may call back. Operators know nothing of rings or threads.

import type { Key } from '../graph/key-groups.js';

/** A timestamp value meaning "this record carries no timestamp". */
export const NO_TIMESTAMP = Number.NaN;

/**
 * Where an operator sends what it produces. For a chained successor this is a direct call; for a
 * network edge it is a record writer. Never called concurrently.
 */
export interface Output<T> {
  /** Emits one record; `timestamp` is epoch ms or `NO_TIMESTAMP`. */
  collect(value: T, timestamp: number): void;
  /** Emits one record to the side output named `tagId` (read with `getSideOutput(tag)`). */
  collectSide(tagId: string, value: unknown, timestamp: number): void;
  /** Forwards a watermark downstream (after everything it triggered was collected). */
  emitWatermark(watermark: number): void;
  /** Tells consumers this stream went idle (holds no watermark back) or active again. */
  emitWatermarkStatus(idle: boolean): void;
}

/**
 * Processing time as the actor sees it: the clock, and callbacks at a time. Callbacks run on the
 * actor's loop between records (never concurrently with the operator), as soon as the clock
 * reaches their time; a test harness drives the clock by hand.
 */
export interface ProcessingTimeService {
  now(): number;
  /** Calls `callback(time)` once processing time reaches `time`; returns a function that cancels it. */
  schedule(time: number, callback: (time: number) => void): () => void;
}

/** Counters an operator reports with the job's metrics. */
export interface OperatorCounters {
  /** Records an event-time operator dropped because they came after the watermark passed them. */
  lateRecordsDropped: number;
  /** Keys held in the operator's keyed state (set by keyed operators): a key with no state counts 0. */
  keyedStateKeys?: () => number;
}

/** What the runtime tells an operator about where it runs. */
export interface OperatorContext {
  /** The operator's name, from `.name()` or its default. */
  readonly operatorName: string;
  readonly subtask: number;
  readonly parallelism: number;
  readonly maxParallelism: number;
  /** Key selector of the keyed input, for operators after `keyBy`. */
  readonly keySelector: ((value: unknown) => Key) | undefined;
  /** Key selector of the second input of a keyed two-input operator. */
  readonly keySelector2: ((value: unknown) => Key) | undefined;
  /** First and last (inclusive) key group this subtask owns. */
  readonly keyGroupRange: { readonly start: number; readonly end: number };
  /** The actor's processing-time clock and callbacks. */
  readonly processingTime: ProcessingTimeService;
  /** Interval of periodic watermark emission (env.setAutoWatermarkInterval), ms. */
  readonly autoWatermarkInterval: number;
  /** Counters reported with the job's metrics. */
  readonly metrics: OperatorCounters;
  /**
   * Hands a batch of encoded records to the main thread (`executeAndCollect`). Resolves when the
   * main thread took it, which is the collect sink's backpressure.
   */
  sendToMain(collectorId: number, subtask: number, batch: Uint8Array): Promise<void>;
  /**
   * Work the operator started and has not finished (an asynchronous sink write): the actor awaits
   * it before it hands any operator the next record, which is how a slow sink backpressures the job.
   */
  waitFor(work: Promise<void>): void;
}

/**
 * An operator with one input. The runtime calls `open` once, then `processElement` and
 * `processWatermark` in arrival order (never concurrently), then `endInput` when every input
 * channel has ended (bounded input), then `close`.
 */
export interface OneInputOperator<In, Out> {
  /** Prepares the operator; `output` is where it emits for its whole life. */
  open(ctx: OperatorContext, output: Output<Out>): void | Promise<void>;
  processElement(value: In, timestamp: number): void;
  /**
   * Reacts to a watermark. Returns the watermark to forward, or `null` to hold it back. Whatever
   * it fires must be collected before it returns.
   */
  processWatermark(watermark: number): number | null;
  /** All input has arrived: emit what is left. May be asynchronous (a sink flushing). */
  endInput(): void | Promise<void>;
  /** The actor drained its input: write out anything buffered (a print sink's lines). */
  flushBuffers(): void;
  close(): void | Promise<void>;
}

/**
 * An operator with two inputs (connect, joins). Like a one-input operator, but records arrive
 * through `processElement1` / `processElement2`; its watermark is the minimum of both inputs'.
 */
export interface TwoInputOperator<In1, In2, Out> extends Omit<OneInputOperator<In1, Out>, 'processElement'> {
  processElement1(value: In1, timestamp: number): void;
  processElement2(value: In2, timestamp: number): void;
}

/** No-op defaults, so an operator writes only what it needs. */
export abstract class AbstractOperator<In, Out> implements OneInputOperator<In, Out> {
  protected output!: Output<Out>;
  protected ctx!: OperatorContext;

  open(ctx: OperatorContext, output: Output<Out>): void | Promise<void> {
    this.ctx = ctx;
    this.output = output;
  }

  abstract processElement(value: In, timestamp: number): void;

  processWatermark(watermark: number): number | null {
    return watermark;
  }

  endInput(): void | Promise<void> {}

  flushBuffers(): void {}

  close(): void | Promise<void> {}
}
