// The source contract (Flink's FLIP-27 shape, simplified): a Source creates one reader per
// parallel subtask; the runtime polls the reader between batches so that backpressure,
// cancellation and flushing happen at well-defined points. A reader's position is the state of
// its splits, which a checkpoint stores and a restore hands back, spread over the new readers.

/** What a reader says after a poll (Flink's `InputStatus`). */
export type InputStatus = 'more-available' | 'nothing-available' | 'end-of-input';

/** Where a reader emits its records. */
export interface ReaderOutput<T> {
  /** Emits a record, with its event timestamp (epoch ms) when it has one. */
  collect(value: T, timestamp?: number): void;
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
}

/**
 * Reads one subtask's share of a source, as a set of splits (a range of numbers, a file, a Kafka
 * partition). `pollNext` emits a bounded number of records (a few hundred at most) and returns at
 * once; when it reports `'nothing-available'`, the runtime awaits `isAvailable()` before polling
 * again. Methods are never called concurrently.
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
  close?(): void | Promise<void>;
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
  createReader(ctx: SourceReaderContext<Split>): SourceReader<T, Split>;
}
