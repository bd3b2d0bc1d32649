// The source contract (Flink's FLIP-27 shape, simplified): a Source creates one reader per
// parallel subtask; the runtime polls the reader between batches so that backpressure,
// cancellation and flushing happen at well-defined points.

/** What a reader says after a poll (Flink's `InputStatus`). */
export type InputStatus = 'more-available' | 'nothing-available' | 'end-of-input';

/** Where a reader emits its records. */
export interface ReaderOutput<T> {
  /** Emits a record, with its event timestamp (epoch ms) when it has one. */
  collect(value: T, timestamp?: number): void;
}

export interface SourceReaderContext {
  readonly subtask: number;
  readonly parallelism: number;
  /** Data the main thread computed when the job was built, shipped as-is (see `Source.shipped`). */
  readonly shipped: unknown;
}

/**
 * Reads one subtask's share of a source. `pollNext` emits a bounded number of records (a few
 * hundred at most) and returns at once; when it reports `'nothing-available'`, the runtime awaits
 * `isAvailable()` before polling again.
 */
export interface SourceReader<T> {
  pollNext(output: ReaderOutput<T>): InputStatus;
  /** Resolves when `pollNext` may have records again. */
  isAvailable(): Promise<void>;
  close?(): void | Promise<void>;
}

/** A source of records: bounded (it ends) or unbounded (it runs until the job is cancelled). */
export interface Source<T> {
  readonly boundedness: 'bounded' | 'continuous-unbounded';
  /** Set for sources that cannot run in parallel (a collection): the highest parallelism allowed. */
  readonly maxParallelism?: number;
  /**
   * Data computed in the main thread that every worker must see exactly (a collection's
   * elements): the main thread's value is shipped to the readers instead of the value the
   * worker's own run of the job script computed.
   */
  readonly shipped?: unknown;
  createReader(ctx: SourceReaderContext): SourceReader<T>;
}
