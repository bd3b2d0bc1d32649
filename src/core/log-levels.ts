// The levels of eddy's logs, and the check of a level given by name (EDDY_LOG_LEVEL, env.setLogLevel).
// Apart from the logger itself (log.ts) so that the public types do not reach pino's.

/** The log levels, most verbose first; `silent` logs nothing. */
export const LOG_LEVELS = ['trace', 'debug', 'info', 'warn', 'error', 'fatal', 'silent'] as const;

/** How verbose eddy's logs are: `trace`, `debug`, `info` (the default), `warn`, `error`, `fatal` or `silent`. */
export type LogLevel = (typeof LOG_LEVELS)[number];

/** `value` as a log level; otherwise a RangeError naming `where` and the levels there are. */
export function parseLogLevel(value: unknown, where: string): LogLevel {
  if ((LOG_LEVELS as readonly unknown[]).includes(value)) return value as LogLevel;
  throw new RangeError(`${where}: ${JSON.stringify(value) ?? String(value)} is not a log level; use one of ${LOG_LEVELS.join(', ')}.`);
}
