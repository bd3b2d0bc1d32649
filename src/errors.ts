// The one error type eddy throws: a code from a fixed list, the domain that caused it, whether a
// retry may help, and the original cause. Runtime failures are wrapped once, at the actor
// boundary, with the operator name and subtask that failed.

/** Every error code eddy raises. */
export const ERROR_CODES = [
  'INVALID_ARGUMENT',
  'INVALID_GRAPH',
  'INVALID_KEY',
  'JOB_ALREADY_EXECUTED',
  'USER_FUNCTION_FAILED',
  'WORKER_DIED',
  'JOB_CANCELLED',
  'GRAPH_MISMATCH',
  'RECORD_NOT_ENCODABLE',
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
  /** Parallelism of the failed operator, to print "subtask 2/4". */
  parallelism?: number;
}

/** An error raised by eddy. `code` says what went wrong; `message` says how to fix it. */
export class StreamError extends Error {
  readonly code: ErrorCode;
  readonly domain: ErrorDomain;
  readonly retriable: boolean;
  readonly operator: string | undefined;
  readonly subtask: number | undefined;

  constructor(code: ErrorCode, message: string, options: StreamErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'StreamError';
    this.code = code;
    this.domain = options.domain ?? 'user';
    this.retriable = options.retriable ?? false;
    this.operator = options.operator;
    this.subtask = options.subtask;
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
}

/** Flattens any thrown value to plain data that survives `postMessage`. */
export function serializeError(error: unknown): SerializedError {
  if (error instanceof StreamError) {
    return {
      name: error.name,
      message: error.message,
      stack: error.stack,
      code: error.code,
      domain: error.domain,
      operator: error.operator,
      subtask: error.subtask,
    };
  }
  if (error instanceof Error) {
    return {
      name: error.name,
      message: error.message,
      stack: error.stack,
      code: undefined,
      domain: undefined,
      operator: undefined,
      subtask: undefined,
    };
  }
  return {
    name: 'Error',
    message: String(error),
    stack: undefined,
    code: undefined,
    domain: undefined,
    operator: undefined,
    subtask: undefined,
  };
}

/** Rebuilds a `StreamError` from its plain-data form, keeping the original stack. */
export function deserializeError(data: SerializedError): StreamError {
  const error = new StreamError(data.code ?? 'INTERNAL', data.message, {
    domain: data.domain ?? 'internal',
    ...(data.operator === undefined ? {} : { operator: data.operator }),
    ...(data.subtask === undefined ? {} : { subtask: data.subtask }),
  });
  if (data.stack !== undefined) error.stack = data.stack;
  return error;
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
  const where = `Operator "${operator}" (subtask ${subtask + 1}/${parallelism})`;
  const error = new StreamError(
    cause instanceof StreamError ? cause.code : 'USER_FUNCTION_FAILED',
    `${where} failed: ${inner.message}`,
    { domain: 'user', cause, operator, subtask },
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
