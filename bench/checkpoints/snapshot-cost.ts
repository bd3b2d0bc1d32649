// What a checkpoint costs as keyed state grows: a job holding 10^4, 10^5 or 10^6 numeric keys in
// one subtask (bench/jobs/keyed-state.ts) checkpoints every interval while it runs, and runs once
// without checkpoints as the baseline. For each size: the checkpoint's duration (trigger to last
// acknowledgement), its size on disk, the keyed subtask's time spent on it (at the barrier and in
// the slices that encode its key groups, summed), the time writing its file took, and the
// longest time between two records in the keyed function, with checkpoints and without: the
// longest stall of the hot path.

import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { median } from '../utils/stats.js';
import { bytes, checkpointedRun, ms, type CheckpointedRun } from './checkpointed-run.js';

export interface SnapshotCostOptions {
  keys: readonly number[];
  /** Records per run: enough for several checkpoints after the first `keys` records created every key. */
  records: number;
  intervalMs: number;
  rounds: number;
}

/** Runs the job and returns the run with the longest gap between two records its keyed function saw. */
async function runWithGap(count: number, keys: number, intervalMs: number | undefined): Promise<{ run: CheckpointedRun; gapMs: number }> {
  const dir = mkdtempSync(join(tmpdir(), 'eddy-bench-gap-'));
  try {
    const gapFile = join(dir, 'gap');
    const run = await checkpointedRun('keyed-state', { count, keys, gapFile }, 1, intervalMs === undefined ? undefined : { intervalMs });
    return { run, gapMs: Number(readFileSync(gapFile, 'utf8')) };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export async function snapshotCost(options: SnapshotCostOptions): Promise<string> {
  const lines = [
    `One keyed subtask (parallelism 1) holding the keys, ${(options.records / 1e6).toFixed(0)} M records per run, a checkpoint every ${options.intervalMs} ms, ${options.rounds} runs per size with checkpoints and ${options.rounds} without; checkpoints after the first (taken while the keys were still being created) pooled. Longest gap: the longest time between two records in the keyed function once every key exists, the largest of the runs.`,
    '',
    '| keys | checkpoints | duration median | duration max | size median | subtask time on it, median | writing, median | longest gap with checkpoints | longest gap without |',
    '|---|---|---|---|---|---|---|---|---|',
  ];
  for (const keys of options.keys) {
    const durations: number[] = [];
    const sizes: number[] = [];
    const sync: number[] = [];
    const async: number[] = [];
    const gapsWith: number[] = [];
    const gapsWithout: number[] = [];
    for (let round = 0; round < options.rounds; round++) {
      const { run, gapMs } = await runWithGap(options.records, keys, options.intervalMs);
      gapsWith.push(gapMs);
      const full = run.completed.slice(1);
      for (const checkpoint of full) {
        durations.push(checkpoint.durationMs);
        sizes.push(checkpoint.sizeBytes);
        for (const subtask of checkpoint.subtasks.filter((s) => s.bytes > 1024)) {
          sync.push(subtask.syncMs);
          async.push(subtask.asyncMs);
        }
      }
      const without = await runWithGap(options.records, keys, undefined);
      gapsWithout.push(without.gapMs);
      console.error(
        `  ${keys} keys run ${round + 1}: ${run.completed.length} checkpoints in ${run.seconds.toFixed(1)} s (${without.run.seconds.toFixed(1)} s without); ` +
          `longest gap ${gapMs.toFixed(1)} ms (${without.gapMs.toFixed(1)} ms without)`,
      );
    }
    const count = keys.toExponential().replace('e+', 'e');
    if (durations.length === 0) {
      lines.push(`| ${count} | 0 | | | | | | ${ms(Math.max(...gapsWith))} ms | ${ms(Math.max(...gapsWithout))} ms |`);
      continue;
    }
    lines.push(
      `| ${count} | ${durations.length} | ${ms(median(durations))} ms | ${ms(Math.max(...durations))} ms | ${bytes(median(sizes))} | ` +
        `${ms(median(sync))} ms | ${ms(median(async))} ms | ${ms(Math.max(...gapsWith))} ms | ${ms(Math.max(...gapsWithout))} ms |`,
    );
  }
  return lines.join('\n');
}
