// The levels of eddy's logs, and the check of a level given by name (EDDY_LOG_LEVEL, env.setLogLevel).
// Apart from the logger itself (log.ts) so that the public types do not reach pino's.

/** How verbose eddy's logs are: `trace`, `debug`, `info` (the default), `warn`, `error`, `fatal` or `silent` (nothing). */
export type LogLevel = 'trace' | 'debug' | 'info' | 'warn' | 'error' | 'fatal' | 'silent';

/** The log levels, most verbose first. */
export const LOG_LEVELS: readonly LogLevel[] = ['trace', 'debug', 'info', 'warn', 'error', 'fatal', 'silent'];

/** `value` as a log level; otherwise a RangeError naming `where` and the levels there are. */
export function parseLogLevel(value: unknown, where: string): LogLevel {
  if ((LOG_LEVELS as readonly unknown[]).includes(value)) return value as LogLevel;
  throw new RangeError(`${where}: ${JSON.stringify(value) ?? String(value)} is not a log level; use one of ${LOG_LEVELS.join(', ')}.`);
}
