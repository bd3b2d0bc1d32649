// The one error type eddy throws: a code from a fixed list, the domain that caused it, whether a
// retry may help, and the original cause. Runtime failures are wrapped once, at the actor
// boundary, with the operator name and subtask that failed.

/** Every error code eddy raises. */
export const ERROR_CODES = [
  'INVALID_ARGUMENT',
  'INVALID_GRAPH',
  'INVALID_KEY',
  'INCONSISTENT_KEY',
  'JOB_ALREADY_EXECUTED',
  'USER_FUNCTION_FAILED',
  'WORKER_DIED',
  'JOB_CANCELLED',
  'GRAPH_MISMATCH',
  'RECORD_NOT_ENCODABLE',
  'CHECKPOINT_STORAGE',
  'CHECKPOINT_FAILED',
  'STATE_MISMATCH',
  'BROKER_UNAVAILABLE',
  'DESERIALIZATION_FAILED',
  'INTERNAL',
] as const;

export type ErrorCode = (typeof ERROR_CODES)[number];

/** Who is at fault: the user's code or input, the outside world (a broker, a disk), or eddy. */
export type ErrorDomain = 'user' | 'external' | 'internal';

export interface StreamErrorOptions {
  domain?: ErrorDomain;
  retriable?: boolean;
  cause?: unknown;
  /** Operator name (from `.name()`) that failed, when the failure happened in a subtask. */
  operator?: string;
  /** Zero-based subtask index that failed. */
  subtask?: number;
  /** Parallelism of the failed operator. */
  parallelism?: number;
}

/** An error raised by eddy. `code` says what went wrong; `message` says how to fix it. */
export class StreamError extends Error {
  readonly code: ErrorCode;
  readonly domain: ErrorDomain;
  readonly retriable: boolean;
  readonly operator: string | undefined;
  /** Zero-based index of the subtask that failed. */
  readonly subtask: number | undefined;
  readonly parallelism: number | undefined;

  constructor(code: ErrorCode, message: string, options: StreamErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'StreamError';
    this.code = code;
    this.domain = options.domain ?? 'user';
    this.retriable = options.retriable ?? false;
    this.operator = options.operator;
    this.subtask = options.subtask;
    this.parallelism = options.parallelism;
  }
}

/** Plain-data form of an error, safe to send between threads. */
export interface SerializedError {
  name: string;
  message: string;
  stack: string | undefined;
  code: ErrorCode | undefined;
  domain: ErrorDomain | undefined;
  operator: string | undefined;
  subtask: number | undefined;
  parallelism: number | undefined;
}

/** Flattens any thrown value to plain data that survives `postMessage`. */
export function serializeError(error: unknown): SerializedError {
  const stream = error instanceof StreamError ? error : undefined;
  return {
    name: error instanceof Error ? error.name : 'Error',
    message: error instanceof Error ? error.message : String(error),
    stack: error instanceof Error ? error.stack : undefined,
    code: stream?.code,
    domain: stream?.domain,
    operator: stream?.operator,
    subtask: stream?.subtask,
    parallelism: stream?.parallelism,
  };
}

/** Rebuilds a `StreamError` from its plain-data form, keeping the original stack. */
export function deserializeError(data: SerializedError): StreamError {
  const error = new StreamError(data.code ?? 'INTERNAL', data.message, {
    domain: data.domain ?? 'internal',
    ...(data.operator === undefined ? {} : { operator: data.operator }),
    ...(data.subtask === undefined ? {} : { subtask: data.subtask }),
    ...(data.parallelism === undefined ? {} : { parallelism: data.parallelism }),
  });
  if (data.stack !== undefined) error.stack = data.stack;
  return error;
}

/**
 * How messages name a subtask: zero-based, as `StreamError.subtask` and
 * `RuntimeContext.indexOfThisSubtask` count, with the parallelism ("subtask 0 of 2").
 */
export function describeSubtask(subtask: number, parallelism: number): string {
  return `subtask ${subtask} of ${parallelism}`;
}

/**
 * Wraps a failure of user code in a subtask: the message names the operator and subtask and
 * carries the user's own message; the stack is the user's stack, so the failing line shows.
 */
export function userFunctionFailed(
  cause: unknown,
  operator: string,
  subtask: number,
  parallelism: number,
): StreamError {
  const inner = cause instanceof Error ? cause : new Error(String(cause));
  const where = `Operator "${operator}" (${describeSubtask(subtask, parallelism)})`;
  const error = new StreamError(
    cause instanceof StreamError ? cause.code : 'USER_FUNCTION_FAILED',
    `${where} failed: ${inner.message}`,
    { domain: cause instanceof StreamError ? cause.domain : 'user', cause, operator, subtask, parallelism },
  );
  error.stack = `${error.name}: ${error.message}\n    at ${where}\n${stackFrames(inner)}`;
  return error;
}

/** The frames of an error's stack, without its first (message) line. */
function stackFrames(error: Error): string {
  const stack = error.stack ?? '';
  const firstFrame = stack.indexOf('\n    at ');
  return firstFrame === -1 ? '' : stack.slice(firstFrame + 1);
}

/** Marks a switch as exhaustive: TypeScript fails to compile if a case is missing. */
export function assertNever(value: never): never {
  throw new StreamError('INTERNAL', `Unexpected value ${String(value)}`, { domain: 'internal' });
}
