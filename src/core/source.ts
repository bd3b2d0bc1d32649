// The source contract (Flink's FLIP-27 shape, simplified): a Source creates one reader per
// parallel subtask; the runtime polls the reader between batches so that backpressure,
// cancellation and flushing happen at well-defined points. A reader's position is the state of
// its splits, which a checkpoint stores and a restore hands back, spread over the new readers.

import type { MainThreadInput } from './main-thread-io.js';

/** What a reader says after a poll (Flink's `InputStatus`). */
export type InputStatus = 'more-available' | 'nothing-available' | 'end-of-input';

/** Where a reader emits its records. */
export interface ReaderOutput<T> {
  /** Emits a record, with its event timestamp (epoch ms) when it has one. */
  collect(value: T, timestamp?: number): void;
  /** Emits `value` to the source's side output with tag id `tagId` (read with `stream.getSideOutput(tag)`). */
  collectSide(tagId: string, value: unknown, timestamp?: number): void;
  /**
   * The output of one split (a Kafka partition), for a source with `watermarksPerSplit`: the
   * records emitted through it run the split's own watermark generator, and the subtask's
   * watermark is the minimum over its active splits. Asking twice for one id gives the same output.
   */
  createOutputForSplit(splitId: string): ReaderOutput<T>;
  /** The split is no longer read here (it ended, or moved): it stops holding the watermark back. */
  releaseOutputForSplit(splitId: string): void;
}

export interface SourceReaderContext<Split = unknown> {
  /** Zero-based index of this reader's subtask. */
  readonly subtask: number;
  readonly parallelism: number;
  /** Data the main thread computed when the job was built, shipped as-is (see `Source.shipped`). */
  readonly shipped: unknown;
  /**
   * When the job is restored from a checkpoint: the splits this reader resumes, as the readers
   * of that checkpoint returned them from `snapshotState` (spread over the readers when the
   * parallelism changed; possibly none). `undefined` when the job starts afresh.
   */
  readonly restoredSplits: readonly Split[] | undefined;
  /**
   * Every split of every reader of the checkpoint restored from, for a source that assigns splits
   * to readers by its own rule (Kafka: by partition) and must know which splits existed;
   * `undefined` when the job starts afresh.
   */
  readonly allRestoredSplits: readonly Split[] | undefined;
  /** @internal For a source fed by the main thread (env.fromPush, env.fromRequests): what it pushed. */
  readonly mainThreadInput?: MainThreadInput;
}

/**
 * @internal How long one `pollNext` of the built-in readers runs at most, ms: the actor takes a
 * checkpoint barrier only between polls, so a slow function chained to a source must not make a
 * poll of hundreds of records hold a checkpoint back for seconds.
 */
const POLL_BUDGET_MS = 10;

/** @internal The clock reading past which a poll that starts now should end. */
export function pollDeadline(): number {
  return performance.now() + POLL_BUDGET_MS;
}

/** @internal Records a built-in reader emits between two readings of the clock. */
export const POLL_SLICE = 32;

/** @internal Whether a poll that has emitted `count` records is past `deadline`; reads the clock once every POLL_SLICE records. */
export function pollSpent(count: number, deadline: number): boolean {
  return count % POLL_SLICE === 0 && performance.now() > deadline;
}

/**
 * Reads one subtask's share of a source, as a set of splits (a range of numbers, a file, a Kafka
 * partition). `pollNext` emits a bounded number of records (a few hundred at most, and fewer when
 * the functions chained to the source are slow: checkpoint barriers and timers are taken between
 * polls) and returns at once; when it reports `'nothing-available'`, the runtime awaits
 * `isAvailable()` before polling again. Methods are never called concurrently.
 */
export interface SourceReader<T, Split = unknown> {
  pollNext(output: ReaderOutput<T>): InputStatus;
  /** Resolves when `pollNext` may have records again. */
  isAvailable(): Promise<void>;
  /**
   * The reader's position at checkpoint `checkpointId`, taken between two polls: the state of
   * each split it reads, as plain data (msgpack-encodable), covering exactly the records not
   * emitted yet. A reader without it cannot resume: its source starts over after a restore.
   */
  snapshotState?(checkpointId: number): Split[];
  /** Records the reader dropped because they could not be read, reported with the job's metrics. */
  readonly recordsSkipped?: number;
  /** Checkpoint `checkpointId`, whose position `snapshotState` returned, completed (Kafka commits its offsets to the group). */
  notifyCheckpointComplete?(checkpointId: number): void | Promise<void>;
  close?(): void | Promise<void>;
  /**
   * @internal For a reader whose input is rung on its actor's doorbell (a source fed by the main
   * thread): whether input is waiting. The actor then spins and sleeps on its doorbell, as for a
   * channel, instead of awaiting `isAvailable()`.
   */
  hasInput?(): boolean;
}

/** A source of records: bounded (it ends) or unbounded (it runs until the job is cancelled). */
export interface Source<T, Split = unknown> {
  readonly boundedness: 'bounded' | 'continuous-unbounded';
  /** Set for sources that cannot run in parallel (a collection): the highest parallelism allowed. */
  readonly maxParallelism?: number;
  /**
   * Data computed in the main thread that every worker must see exactly (a collection's
   * elements): the main thread's value is shipped to the readers instead of the value the
   * worker's own run of the job script computed.
   */
  readonly shipped?: unknown;
  /**
   * Whether readers emit through `createOutputForSplit`, so that `env.fromSource` generates
   * watermarks per split. Until its reader first creates or releases a split output, the subtask
   * holds event time back (the reader has not found its splits yet); after that, a reader with no
   * split (or only idle ones) is idle: it does not hold event time back. A reader that finds it
   * has no split releases any id to say so.
   */
  readonly watermarksPerSplit?: boolean;
  /**
   * How many records the source emits in all, where it knows before it runs (a bounded source):
   * `eddy run` shows a progress bar against it, the dashboard a percentage.
   */
  readonly expectedRecords?: number;
  /** @internal Set for sources fed by the main thread: the actor gives their readers a `mainThreadInput`. */
  readonly mainThreadFeed?: 'push' | 'requests';
  createReader(ctx: SourceReaderContext<Split>): SourceReader<T, Split>;
}
