// The sink contract (Flink's Sink V2, simplified): one writer per parallel subtask, created in the
// worker that runs it, and for exactly-once sinks a two-phase commit: the writer prepares
// committables at each checkpoint, a committer makes them visible once the checkpoint completes.

import type { JobSettings } from './job-plan.js';

/** What a writer learns with each record. */
export interface SinkWriterContext {
  /** The record's timestamp (epoch ms), or `undefined` when it has none. */
  readonly timestamp: number | undefined;
}

export interface SinkInitContext {
  /** Zero-based index of this writer's subtask. */
  readonly subtask: number;
  readonly parallelism: number;
}

/**
 * Writes the records of one subtask. `write` is called in arrival order, never concurrently; when
 * it returns a promise, the next record waits for it (backpressure). `flush(endOfInput)` runs at
 * the end of bounded input; `close` once at the end.
 */
export interface SinkWriter<T, Committable = never> {
  write(value: T, ctx: SinkWriterContext): void | Promise<void>;
  flush?(endOfInput: boolean): void | Promise<void>;
  /**
   * Called whenever the subtask has drained its input for now (eddy's batching point): a writer
   * that buffers for efficiency hands its buffer on here, so records never wait for more records
   * to arrive.
   */
  flushBuffers?(): void;
  /**
   * Phase one of a two-phase commit, at a checkpoint barrier: ends what was written since the
   * last checkpoint (a transaction, a part file) and returns what must be committed once the
   * checkpoint completes, as plain data that the checkpoint stores. The committables must
   * survive a crash of this process: after a restore the committer gets them again.
   */
  prepareCommit?(checkpointId: number): Committable[] | Promise<Committable[]>;
  // In a job without checkpoints it is called once, at the end of input, with checkpoint id 0,
  // and what it returns is committed at once.
  close?(): void | Promise<void>;
}

/**
 * Phase two of a two-phase commit, in the subtask that prepared the committables: `commit` makes
 * them visible once their checkpoint completed, and again after a restore for the ones that
 * checkpoint recorded, so it must accept a committable that was already committed. `abort`
 * drops committables no checkpoint will ever complete.
 */
export interface Committer<Committable> {
  commit(committables: readonly Committable[]): void | Promise<void>;
  abort?(committables: readonly Committable[]): void | Promise<void>;
}

/** A user sink: `stream.sinkTo(sink)`. */
export interface Sink<T, Committable = never> {
  /**
   * Checks the job's settings in the main thread before the job runs (an exactly-once sink that
   * needs checkpointing, a transaction timeout that must outlast a checkpoint interval and a
   * restart); throws, with a sentence saying what to change, to refuse the job.
   */
  checkJob?(settings: JobSettings): void;
  createWriter(ctx: SinkInitContext): SinkWriter<T, Committable> | Promise<SinkWriter<T, Committable>>;
  /** The committer of a sink whose writer prepares commits (`prepareCommit`). */
  createCommitter?(ctx: SinkInitContext): Committer<Committable> | Promise<Committer<Committable>>;
}
