// The cost of checkpointing on throughput: the keyed pipeline (generate -> map -> keyBy -> rolling
// sum) and the seed's sensor job (sliding event-time windows per device), each at parallelism 1
// and 2, without checkpoints and with an exactly-once checkpoint every interval. Within a round the
// two variants of a job run back to back (which goes first alternates by round), so the ratio
// with / without is taken per round under the same load; the table gives medians.

import { formatRate, median } from '../utils/stats.js';
import { checkpointedRun, ms } from './checkpointed-run.js';

export interface ThroughputOptions {
  /** Records per run of the keyed pipeline; readings per run of the seed job. */
  keyedRecords: number;
  seedReadings: number;
  intervalMs: number;
  rounds: number;
  parallelisms: readonly number[];
}

interface Workload {
  readonly name: string;
  readonly job: string;
  readonly records: number;
  /** The job's arguments for `records` records. */
  readonly args: (records: number) => object;
}

interface Runs {
  without: number[];
  with: number[];
  ratios: number[];
  checkpoints: number[];
  durations: number[];
}

export async function checkpointThroughput(options: ThroughputOptions): Promise<string> {
  const workloads: Workload[] = [
    { name: 'keyed pipeline (1000 keys)', job: 'keyed-sum', records: options.keyedRecords, args: (count) => ({ count, keys: 1000 }) },
    { name: 'seed job (1000 devices)', job: 'nexmark-query', records: options.seedReadings, args: (events) => ({ query: 'seed', events, output: false }) },
  ];
  const lines = [
    `Each run ${formatRate(options.keyedRecords)} records (keyed pipeline) or ${formatRate(options.seedReadings)} readings (seed job); a checkpoint every ${options.intervalMs} ms, exactly once, into a local folder; ${options.rounds} rounds.`,
    '',
    '| job | p | records/s without | records/s with | with / without (median of rounds) | checkpoints per run | checkpoint duration (median) |',
    '|---|---|---|---|---|---|---|',
  ];
  for (const workload of workloads) {
    for (const p of options.parallelisms) {
      const runs: Runs = { without: [], with: [], ratios: [], checkpoints: [], durations: [] };
      await checkpointedRun(workload.job, workload.args(100_000), p); // warm up
      for (let round = 0; round < options.rounds; round++) {
        const rates: Record<'without' | 'with', number> = { without: 0, with: 0 };
        for (const variant of round % 2 === 0 ? (['without', 'with'] as const) : (['with', 'without'] as const)) {
          const run = await checkpointedRun(workload.job, workload.args(workload.records), p, variant === 'with' ? { intervalMs: options.intervalMs } : undefined);
          rates[variant] = workload.records / run.seconds;
          runs[variant].push(rates[variant]);
          if (variant === 'with') {
            runs.checkpoints.push(run.completed.length);
            runs.durations.push(...run.completed.map((c) => c.durationMs));
          }
          console.error(`  ${workload.name} p=${p} round ${round + 1} ${variant}: ${formatRate(rates[variant])}/s in ${run.seconds.toFixed(1)} s${variant === 'with' ? `, ${run.completed.length} checkpoints` : ''}`);
        }
        runs.ratios.push(rates.with / rates.without);
      }
      lines.push(
        `| ${workload.name} | ${p} | ${formatRate(median(runs.without))} | ${formatRate(median(runs.with))} | ${median(runs.ratios).toFixed(2)} (${runs.ratios.map((r) => r.toFixed(2)).join(', ')}) | ` +
          `${median(runs.checkpoints)} | ${runs.durations.length === 0 ? '-' : `${ms(median(runs.durations))} ms`} |`,
      );
    }
  }
  return lines.join('\n');
}
