// The user-function types of the public API: collectors, process functions and the runtime
// context they see. Lambdas are used wherever Flink has a one-method interface.

/** Receives the records a function emits. */
export interface Collector<T> {
  collect(value: T): void;
}

/** What a function learns about the subtask it runs in. */
export interface RuntimeContext {
  /** Zero-based index of this parallel subtask. */
  readonly indexOfThisSubtask: number;
  readonly numberOfParallelSubtasks: number;
  /** The operator's name, from `.name()` or its default. */
  readonly taskName: string;
}

/** The context of one `processElement` call of a `ProcessFunction`. */
export interface ProcessContext {
  /** The record's timestamp (epoch ms), or `undefined` when it has none. */
  readonly timestamp: number | undefined;
}

/**
 * A function over each record with access to its context, called in arrival order, never
 * concurrently. `open` runs once in the worker before the first record (open connections here,
 * not at the top of the job script, which runs in every worker); `close` once at the end.
 */
export abstract class ProcessFunction<In, Out> {
  open?(rt: RuntimeContext): void | Promise<void>;
  abstract processElement(value: In, ctx: ProcessContext, out: Collector<Out>): void;
  close?(): void | Promise<void>;
}
