// What a checkpoint costs as keyed state grows: a job holding 10^4, 10^5 or 10^6 numeric keys in
// one subtask (bench/jobs/keyed-state.ts) checkpoints every interval while it runs. For each size:
// the checkpoint's duration (trigger to last acknowledgement), its size on disk, and the keyed
// subtask's synchronous part, the time it processes nothing (state copied and encoded at the
// barrier: the longest stall of its hot path), next to the asynchronous part (the file written
// while it goes on).

import { median } from '../utils/stats.js';
import { bytes, checkpointedRun, ms } from './checkpointed-run.js';

export interface SnapshotCostOptions {
  keys: readonly number[];
  /** Records per run: enough for several checkpoints after the first `keys` records created every key. */
  records: number;
  intervalMs: number;
  rounds: number;
}

const KEYED_OPERATOR = 'sum-per-key';

export async function snapshotCost(options: SnapshotCostOptions): Promise<string> {
  const lines = [
    `One keyed subtask (parallelism 1) holding the keys, ${(options.records / 1e6).toFixed(0)} M records per run, a checkpoint every ${options.intervalMs} ms, ${options.rounds} runs per size; checkpoints after the first (taken while the keys were still being created) pooled.`,
    '',
    '| keys | checkpoints | duration median | duration max | size median | sync (stall) median | sync (stall) max | async median |',
    '|---|---|---|---|---|---|---|---|',
  ];
  for (const keys of options.keys) {
    const durations: number[] = [];
    const sizes: number[] = [];
    const sync: number[] = [];
    const async: number[] = [];
    for (let round = 0; round < options.rounds; round++) {
      const run = await checkpointedRun('keyed-state', { count: options.records, keys }, 1, { intervalMs: options.intervalMs });
      const full = run.completed.slice(1);
      for (const checkpoint of full) {
        durations.push(checkpoint.durationMs);
        sizes.push(checkpoint.sizeBytes);
        const keyed = checkpoint.subtasks.filter((s) => s.operator.includes(KEYED_OPERATOR) || s.operator.includes('Process'));
        for (const subtask of keyed.length > 0 ? keyed : checkpoint.subtasks) {
          sync.push(subtask.syncMs);
          async.push(subtask.asyncMs);
        }
      }
      console.error(`  ${keys} keys run ${round + 1}: ${run.completed.length} checkpoints in ${run.seconds.toFixed(1)} s; sync ${full.map((c) => Math.max(...c.subtasks.map((s) => s.syncMs)).toFixed(0)).join(', ')} ms`);
    }
    if (durations.length === 0) {
      lines.push(`| ${keys} | 0 | | | | | | |`);
      continue;
    }
    lines.push(
      `| ${keys.toExponential().replace('e+', 'e')} | ${durations.length} | ${ms(median(durations))} ms | ${ms(Math.max(...durations))} ms | ${bytes(median(sizes))} | ` +
        `${ms(median(sync))} ms | ${ms(Math.max(...sync))} ms | ${ms(median(async))} ms |`,
    );
  }
  return lines.join('\n');
}
