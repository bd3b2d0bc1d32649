// Failures tagged with the operator that raised them, so the job's error can name it: every call
// into an operator (records, watermarks, timers, open/close) goes through these wrappers.

/** An error raised by the operator of stream node `nodeId`. */
export class OperatorFailure {
  constructor(
    readonly nodeId: number,
    readonly cause: unknown,
  ) {}
}

/** `error` tagged with `nodeId`, unless an inner operator already tagged it. */
export function tagged(nodeId: number, error: unknown): OperatorFailure {
  return error instanceof OperatorFailure ? error : new OperatorFailure(nodeId, error);
}

/** Runs `work` now, tagging a failure with `nodeId` unless an inner operator already did. */
export function attributedSync<T>(nodeId: number, work: () => T): T {
  try {
    return work();
  } catch (error) {
    throw tagged(nodeId, error);
  }
}

/** Runs `work`, tagging a failure with `nodeId` unless an inner operator already did. */
export async function attributed<T>(nodeId: number, work: () => T | Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    throw tagged(nodeId, error);
  }
}
