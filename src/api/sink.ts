// The sink contract (Flink's Sink V2 writer, simplified): one writer per parallel subtask,
// created in the worker that runs it.

/** What a writer learns with each record. */
export interface SinkWriterContext {
  /** The record's timestamp (epoch ms), or `undefined` when it has none. */
  readonly timestamp: number | undefined;
}

export interface SinkInitContext {
  readonly subtask: number;
  readonly parallelism: number;
}

/**
 * Writes the records of one subtask. `write` is called in arrival order, never concurrently; when
 * it returns a promise, the next record waits for it (backpressure). `flush(endOfInput)` runs at
 * the end of bounded input (and at checkpoints, when they exist); `close` once at the end.
 */
export interface SinkWriter<T> {
  write(value: T, ctx: SinkWriterContext): void | Promise<void>;
  flush?(endOfInput: boolean): void | Promise<void>;
  /**
   * Called whenever the subtask has drained its input for now (eddy's batching point, see
   * ARCHITECTURE.md): a writer that buffers for efficiency hands its buffer on here, so records
   * never wait for more records to arrive.
   */
  flushBuffers?(): void;
  close?(): void | Promise<void>;
}

/** A user sink: `stream.sinkTo(sink)`. */
export interface Sink<T> {
  createWriter(ctx: SinkInitContext): SinkWriter<T> | Promise<SinkWriter<T>>;
}
