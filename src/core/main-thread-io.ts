// The contracts between a job and the main thread that embeds it: records pushed in
// (env.fromPush), requests answered (env.fromRequests ... reply()), and results read out
// (collectAsync). The actor implements them over rings shared with the main thread; sources and
// sinks of connectors/ use them without knowing rings.

/** A batch the main thread pushed into one source subtask. */
export interface MainThreadBatch {
  readonly values: unknown[];
  /**
   * Per record: its event timestamp (NaN: none) for a push source; its request id for a request
   * source. `null` when no record of the batch has one.
   */
  readonly tags: Float64Array | null;
}

/** Returned by `MainThreadInput.poll` once the main thread closed the source. */
export const MAIN_THREAD_INPUT_ENDED = 'ended';

/** What the main thread pushed into this source subtask, as its reader sees it. */
export interface MainThreadInput {
  /** The next batch; null when none is waiting; `MAIN_THREAD_INPUT_ENDED` after the main thread closed the source. */
  poll(): MainThreadBatch | null | typeof MAIN_THREAD_INPUT_ENDED;
  /** Whether a batch (or the end) is waiting. */
  hasInput(): boolean;
  /** Request sources: the record of request `id` goes through the chain now; a reply() reached meanwhile answers it. */
  beginRequest(id: number): void;
  /** The record of the current request went through the chain: its reply (or `undefined` when none came) goes back. */
  endRequest(): void;
  /** Hands the replies gathered so far to the main thread. */
  flushReplies(): void;
}

/** Where a collectAsync sink subtask hands its records to the main thread. */
export interface MainThreadOutput {
  /** Queues a record; it leaves with the next full batch or `flush`. A full ring backpressures the actor. */
  collect(value: unknown, timestamp: number): void;
  flush(): void;
  /** This subtask will send nothing more. */
  end(): void;
}
