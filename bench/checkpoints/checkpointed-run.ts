// Runs one benchmark job in this process, checkpointed into a fresh temporary folder (removed
// after) or not, and returns its wall time and its result (checkpoint statistics included).

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runJob, type CheckpointStats, type JobExecutionResult } from '../../src/index.js';
import type { BenchCheckpointArgs } from '../jobs/checkpointing.js';

export interface CheckpointedRun {
  readonly seconds: number;
  readonly result: JobExecutionResult;
  /** The completed checkpoints. */
  readonly completed: readonly CheckpointStats[];
}

/**
 * Runs `bench/jobs/<job>.js` with `args` at `parallelism`; with `checkpoint`, the job's
 * `checkpoint` argument gets it with a fresh folder.
 */
export async function checkpointedRun(job: string, args: object, parallelism: number, checkpoint?: Omit<BenchCheckpointArgs, 'dir'>): Promise<CheckpointedRun> {
  const dir = checkpoint === undefined ? undefined : mkdtempSync(join(tmpdir(), 'eddy-bench-checkpoints-'));
  try {
    const started = performance.now();
    const client = await runJob(new URL(`../jobs/${job}.js`, import.meta.url), {
      parallelism,
      args: dir === undefined ? args : { ...args, checkpoint: { ...checkpoint, dir } },
    });
    const result = await client.result;
    const seconds = (performance.now() - started) / 1000;
    return { seconds, result, completed: result.checkpoints.filter((c) => c.status === 'completed') };
  } finally {
    if (dir !== undefined) rmSync(dir, { recursive: true, force: true });
  }
}

/** Milliseconds as the tables show them. */
export function ms(value: number): string {
  return value >= 100 ? value.toFixed(0) : value.toFixed(1);
}

/** Bytes as the tables show them. */
export function bytes(value: number): string {
  if (value >= 2 ** 20) return `${(value / 2 ** 20).toFixed(1)} MiB`;
  if (value >= 1024) return `${(value / 1024).toFixed(0)} KiB`;
  return `${value} B`;
}
