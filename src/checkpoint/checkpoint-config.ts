// The settings of a job's checkpoints and restarts (env.enableCheckpointing, setRestartStrategy),
// checked where they are given, with the defaults Flink uses.

import type { CheckpointingMode } from './barrier-aligner.js';

/** `env.enableCheckpointing(intervalMs, options)`. */
export interface CheckpointingOptions {
  /** The folder checkpoints go to: `<dir>/chk-<n>/` (default `./checkpoints`). */
  readonly dir?: string;
  /** Aligned barriers (exactly once, the default) or not (at least once, lower latency under skew). */
  readonly mode?: CheckpointingMode;
  /** Completed checkpoints kept (default 1); older ones go once a newer one completed. */
  readonly retained?: number;
  /** A checkpoint not complete after this long is aborted (default 10 minutes, as Flink). */
  readonly timeoutMs?: number;
  /** Least time between the end of one checkpoint and the start of the next (default 0). */
  readonly minPauseMs?: number;
  /** Failed checkpoints (timeout, storage error) in a row the job tolerates before it fails (default unlimited). */
  readonly tolerableFailures?: number;
}

/** Checkpointing as the job runs it: every option resolved. */
export interface CheckpointConfig {
  readonly intervalMs: number;
  readonly dir: string;
  readonly mode: CheckpointingMode;
  readonly retained: number;
  readonly timeoutMs: number;
  readonly minPauseMs: number;
  readonly tolerableFailures: number;
}

/** What happens when a job fails: stop, or restart from the newest checkpoint. */
export type RestartStrategy = { readonly type: 'none' } | { readonly type: 'fixed-delay'; readonly attempts: number; readonly delayMs: number };

/** With checkpointing on and no strategy set: 3 attempts as in Flink (which waits 1 s; eddy restarts in well under that). */
export const DEFAULT_RESTART_STRATEGY: RestartStrategy = { type: 'fixed-delay', attempts: 3, delayMs: 100 };

function wholeNumber(value: unknown, least: number, what: string): number {
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < least) {
    throw new RangeError(`${what}: expected a whole number of at least ${least}, got ${String(value)}.`);
  }
  return value;
}

/** Checks the arguments of `enableCheckpointing` and fills in the defaults. */
export function resolveCheckpointConfig(intervalMs: number, options: CheckpointingOptions = {}): CheckpointConfig {
  const where = 'env.enableCheckpointing(intervalMs, options)';
  wholeNumber(intervalMs, 10, `${where}: intervalMs (ms between checkpoints, e.g. 1000)`);
  const { dir = './checkpoints', mode = 'exactly-once', retained = 1, timeoutMs = 600_000, minPauseMs = 0, tolerableFailures = Number.MAX_SAFE_INTEGER } = options ?? {};
  if (typeof dir !== 'string' || dir === '') throw new TypeError(`${where}: options.dir must be a folder path, e.g. './checkpoints'.`);
  if (mode !== 'exactly-once' && mode !== 'at-least-once') {
    throw new TypeError(`${where}: options.mode must be 'exactly-once' or 'at-least-once', got ${JSON.stringify(mode)}.`);
  }
  return {
    intervalMs,
    dir,
    mode,
    retained: wholeNumber(retained, 1, `${where}: options.retained`),
    timeoutMs: wholeNumber(timeoutMs, 1, `${where}: options.timeoutMs`),
    minPauseMs: wholeNumber(minPauseMs, 0, `${where}: options.minPauseMs`),
    tolerableFailures: wholeNumber(tolerableFailures, 0, `${where}: options.tolerableFailures`),
  };
}

/** Checks a restart strategy given to `env.setRestartStrategy`. */
export function checkRestartStrategy(strategy: RestartStrategy): RestartStrategy {
  const where = 'env.setRestartStrategy(strategy)';
  if (strategy?.type === 'none') return { type: 'none' };
  if (strategy?.type === 'fixed-delay') {
    return {
      type: 'fixed-delay',
      attempts: wholeNumber(strategy.attempts, 0, `${where}: attempts`),
      delayMs: wholeNumber(strategy.delayMs, 0, `${where}: delayMs`),
    };
  }
  throw new TypeError(`${where}: expected { type: 'none' } or { type: 'fixed-delay', attempts: 3, delayMs: 1000 }.`);
}
