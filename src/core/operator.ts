// The contract between the runtime and every operator: how records, watermarks and end of input
// reach an operator, what it may call back, and the hooks a checkpoint calls. Operators know
// nothing of rings or threads: the task actor that runs them owns their keyed state and timers
// and hands them in through the context.

import type { Key } from './key-groups.js';
import type { KeyedStateBackend } from './state.js';
import type { InternalTimerService, TimerTarget } from './timers.js';
import type { MainThreadOutput } from './main-thread-io.js';

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
}

/**
 * The key group the sender hashed the record being processed to, when it came over a keyed edge
 * (`value` -1 otherwise): the keyed operator at the head of a chain takes it instead of hashing
 * the key again. Set by the task actor before each record, taken (and reset) by the first use.
 */
export interface ReceivedKeyGroup {
  value: number;
}

/** What the runtime tells an operator about where it runs, and the state it owns for it. */
export interface OperatorContext {
  /** The operator's name, from `.name()` or its default. */
  readonly operatorName: string;
  /** Zero-based index of this subtask. */
  readonly subtask: number;
  readonly parallelism: number;
  readonly maxParallelism: number;
  /** Key selector of the keyed input, for operators after `keyBy`. */
  readonly keySelector: ((value: unknown) => Key) | undefined;
  /** Key selector of the second input of a keyed two-input operator. */
  readonly keySelector2: ((value: unknown) => Key) | undefined;
  /** The key group of the record being processed, as its sender computed it (the chain's head operator only). */
  readonly receivedKeyGroup: ReceivedKeyGroup;
  /**
   * The keyed state of this operator subtask (operators after `keyBy`; `undefined` otherwise),
   * created and snapshotted by the task actor, per key group.
   */
  readonly keyedState: KeyedStateBackend | undefined;
  /**
   * The keyed operator's timer service, firing into `target` (call once, in `open`). Timers are
   * kept per key group with the keyed state, so they snapshot and rescale with it.
   */
  timerService<N extends string | number>(target: TimerTarget<N>): InternalTimerService<N>;
  /** The actor's processing-time clock and callbacks. */
  readonly processingTime: ProcessingTimeService;
  /** Interval of periodic watermark emission (env.setAutoWatermarkInterval), ms. */
  readonly autoWatermarkInterval: number;
  /**
   * Whether the operator may change a record after emitting it (an aggregate updated in place):
   * the job enabled object reuse and nothing after the operator in its chain keeps records (see
   * `StreamOperator.keepsInputRecords`; a channel to another thread keeps them until it flushes).
   */
  readonly objectReuse: boolean;
  /** Counters reported with the job's metrics. */
  readonly metrics: OperatorCounters;
  /**
   * Whether the job takes checkpoints. Without them, a sink that commits (two-phase commit)
   * commits once, at the end of its input.
   */
  readonly checkpointing: boolean;
  /**
   * Hands records to the main thread (`executeAndCollect`). They are encoded before it returns
   * (the arrays may be reused); it resolves when the main thread took them, which is the collect
   * sink's backpressure. `epoch` is the newest checkpoint the operator snapshotted before these
   * records (0 for none): with checkpoints, the main thread keeps them once a newer one completed.
   */
  sendToMain(collectorId: number, values: readonly unknown[], timestamps: Float64Array, epoch: number): Promise<void>;
  /**
   * Work the operator started and has not finished (an asynchronous sink write): the actor awaits
   * it before it hands any operator the next record, which is how a slow sink backpressures the job.
   */
  waitFor(work: Promise<void>): void;
  /** The way to the main thread of a `collectAsync()` sink (this operator's own). */
  mainThreadOutput(): MainThreadOutput;
  /**
   * Answers the request whose record is going through the chain now (a `reply()` sink chained to
   * `env.fromRequests`). Returns false when there is none (the value came from a timer, or the
   * request was answered already).
   */
  reply(value: unknown): boolean;
}

/**
 * What every operator implements, whatever its inputs. The runtime calls `initializeState`
 * (with the operator's own snapshot, when restoring), then `open` once, then the per-element
 * methods in arrival order (never concurrently), then `endInput` when every input ended (bounded
 * input), then `close`. `snapshotState` runs at a checkpoint barrier, between two elements.
 */
export interface StreamOperator<Out> {
  /**
   * True when the operator holds on to records it was given after `processElement` returns (a
   * collect sink's batch): the operators before it in its chain then never change a record they
   * emitted, even with object reuse on.
   */
  readonly keepsInputRecords?: boolean;
  /**
   * Restores the operator's own state before `open`: what `snapshotState` returned in each old
   * subtask assigned to this one (one when the job is restored at the same parallelism; none or
   * several when it changed: old subtask j goes to new subtask j % parallelism). Keyed state and
   * timers are restored by the runtime, which owns them, per key group.
   */
  initializeState(states: readonly unknown[]): void;
  /** Prepares the operator; `output` is where it emits for its whole life. */
  open(ctx: OperatorContext, output: Output<Out>): void | Promise<void>;
  /**
   * Reacts to a watermark. Returns the watermark to forward, or `null` to hold it back. Whatever
   * it fires must be collected before it returns.
   */
  processWatermark(watermark: number): number | null;
  /** All input has arrived: emit what is left. May be asynchronous (a sink flushing). */
  endInput(): void | Promise<void>;
  /** The actor drained its input: write out anything buffered (a print sink's lines). */
  flushBuffers(): void;
  /**
   * The operator's own state at checkpoint `checkpointId`, as plain data (msgpack-encodable), or
   * `undefined` when it keeps none beyond its keyed state and timers. Taken between two
   * elements: the result must not share objects the operator changes later. A promise (a sink
   * preparing its commit) is awaited before the barrier moves on.
   */
  snapshotState(checkpointId: number): unknown;
  /** Checkpoint `checkpointId` completed everywhere: commit what its snapshot prepared. */
  notifyCheckpointComplete(checkpointId: number): void | Promise<void>;
  close(): void | Promise<void>;
}

/** An operator with one input. */
export interface OneInputOperator<In, Out> extends StreamOperator<Out> {
  processElement(value: In, timestamp: number): void;
}

/**
 * An operator with two inputs (connect, joins): records arrive through `processElement1` /
 * `processElement2`; its watermark is the minimum of both inputs'.
 */
export interface TwoInputOperator<In1, In2, Out> extends StreamOperator<Out> {
  processElement1(value: In1, timestamp: number): void;
  processElement2(value: In2, timestamp: number): void;
}

/** The operator of a node, with one input or two. */
export type AnyOperator = OneInputOperator<unknown, unknown> | TwoInputOperator<unknown, unknown, unknown>;
