// eddy's structured log (pino), one per thread: its level and format from EDDY_LOG_LEVEL and
// EDDY_LOG_FORMAT (in a worker, as the main thread passed them), JSON lines or pretty text written
// synchronously to stderr (stdout is the jobs' own output); child loggers add the job, operator,
// subtask and thread fields. Shared by every copy of eddy loaded in a thread, like the launch context.

import type { Logger } from 'pino';
import { lazyModule } from './lazy-module.js';
import { StreamError } from './errors.js';
import { LOG_LEVELS, parseLogLevel, type LogLevel } from './log-levels.js';

export type { Logger };

/** JSON lines (the default when stderr is not a terminal) or pretty text (when it is). */
export type LogFormat = 'json' | 'pretty';

/** How a thread logs; the main thread passes its own to its workers. */
export interface LogSettings {
  readonly level: LogLevel;
  readonly format: LogFormat;
  /** Pretty text in colours (stderr is a terminal that takes them). */
  readonly colors: boolean;
}

/** The fields eddy's log lines carry where they apply. */
export interface LogFields {
  readonly job?: string;
  readonly operator?: string;
  readonly subtask?: number;
  readonly thread?: number;
}

/** One line of the log as its JSON reads: level (a name), time (epoch ms), msg and the fields. */
export interface LogRecord {
  readonly level: LogLevel;
  readonly time: number;
  readonly msg: string;
  readonly [field: string]: unknown;
}

interface LogState {
  readonly settings: LogSettings;
  /** The fields of every line of the thread (a worker's job and thread). */
  readonly fields: LogFields;
  /** Made at the first line logged. */
  root?: Logger;
  readonly observers: Set<(record: LogRecord) => void>;
}

/** pino, loaded when a thread first logs: a worker thread that logs nothing never loads it. */
const pinoModule = lazyModule<typeof import('pino')>('pino');
/** pino-pretty, loaded only for the pretty format. */
const pinoPretty = lazyModule<typeof import('pino-pretty')>('pino-pretty');

const KEY = Symbol.for('eddy.log');
const holder = globalThis as unknown as Record<symbol, LogState | undefined>;

/** This thread's log settings (in the main thread, from EDDY_LOG_LEVEL and EDDY_LOG_FORMAT at first use). */
export function logSettings(): LogSettings {
  return state().settings;
}

/** This thread's logger; `child(fields)` adds fields (see `LogFields`). */
export function logger(): Logger {
  const current = state();
  return (current.root ??= createRoot(current.settings, current.fields, current.observers));
}

/** A child logger with `fields`, made when first asked for (so pino loads only if something is logged). */
export function lazyLogger(fields: LogFields): () => Logger {
  let made: Logger | undefined;
  return () => (made ??= logger().child(fields));
}

/** Whether this thread's log takes lines of `level` (asked without making the logger). */
export function logsAt(level: LogLevel): boolean {
  return LOG_LEVELS.indexOf(level) >= LOG_LEVELS.indexOf(state().settings.level);
}

/** The logger of job `job`, at `level` (its own, set by env.setLogLevel, or the thread's). */
export function jobLogger(job: string, level: LogLevel): Logger {
  return logger().child({ job }, { level });
}

/** The fields of a failure: `err` (its type, message, stack and code), and the operator and subtask that failed when one did. */
export function failureFields(error: unknown): { readonly err: unknown; readonly operator?: string; readonly subtask?: number } {
  if (!(error instanceof StreamError) || error.operator === undefined) return { err: error };
  return { err: error, operator: error.operator, ...(error.subtask === undefined ? {} : { subtask: error.subtask }) };
}

/** In a worker: log as the main thread does (`settings`), every line with `fields` (job, thread). */
export function configureLogs(settings: LogSettings, fields: LogFields): void {
  const observers = holder[KEY]?.observers ?? new Set();
  holder[KEY] = { settings, fields, observers };
}

/**
 * @internal Calls `listener` with every record this thread logs from now on, until the returned
 * function is called. For tests: records of worker threads are not seen here.
 */
export function observeLogs(listener: (record: LogRecord) => void): () => void {
  const { observers } = state();
  observers.add(listener);
  return () => void observers.delete(listener);
}

function state(): LogState {
  let current = holder[KEY];
  if (current === undefined) {
    const settings = settingsFromEnvironment();
    const observers = new Set<(record: LogRecord) => void>();
    current = { settings, fields: {}, observers };
    holder[KEY] = current;
  }
  return current;
}

function settingsFromEnvironment(): LogSettings {
  const level = parseLogLevel(process.env['EDDY_LOG_LEVEL'] || 'info', 'EDDY_LOG_LEVEL');
  const terminal = process.stderr.isTTY === true;
  const format = process.env['EDDY_LOG_FORMAT'] || (terminal ? 'pretty' : 'json');
  if (format !== 'json' && format !== 'pretty') throw new RangeError(`EDDY_LOG_FORMAT: "${format}" is not a log format; use json or pretty.`);
  return { level, format, colors: format === 'pretty' && terminal && process.env['NO_COLOR'] === undefined };
}

/** A pino logger writing each line at once to stderr, as JSON or pretty text, and to the observers. */
function createRoot(settings: LogSettings, fields: LogFields, observers: ReadonlySet<(record: LogRecord) => void>): Logger {
  const { pino } = pinoModule();
  const stderr = pino.destination({ dest: 2, sync: true });
  const pretty = settings.format === 'pretty' ? pinoPretty().prettyFactory({ colorize: settings.colors, translateTime: 'SYS:HH:MM:ss.l', ignore: 'pid', singleLine: true }) : undefined;
  const destination = {
    write(line: string): void {
      for (const observer of observers) observer(JSON.parse(line) as LogRecord);
      stderr.write(pretty === undefined ? line : pretty(line));
    },
  };
  return pino({ level: settings.level, base: { pid: process.pid, ...fields }, formatters: { level: (label) => ({ level: label }) } }, destination);
}
