// The checkpoints suite of bench:compare (`npm run bench:compare -- --suite checkpoints`): the cost
// of checkpointing on each engine, as a ratio measured on that engine. For each workload both
// engines run without checkpoints and with a checkpoint every interval (exactly once; eddy into
// <dir>/chk-<n>/, Flink 2.3 with its hashmap state backend and filesystem checkpoint storage),
// each run long enough for several checkpoints. Every round runs both variants of both engines back
// to back (which variant goes first alternates round by round), so the ratio with / without is taken
// per round, under the same load, and the table gives its median. First both engines run the
// workload with and without checkpoints (at a shorter interval) on a smaller input and the four
// outputs must be identical: checkpointing must not change results.

import { formatRate, median, spreadPercent } from '../utils/stats.js';
import { flinkVersions, runOnce, type Engine, type RunReport } from './engines.js';
import { sameResults, type SameResults } from './same-results.js';

/**
 * The workloads, and the events per run that keep every run at 5 s or more on the 2-core machine
 * (the fastest runs seen without checkpoints: seed 3.2 M/s, q5 1.45 M/s, q11 2.1 M/s, all eddy's).
 * seed: 1000 devices' sliding windows fire all along (small state, ~1 MiB); q5: bid counts per
 * auction in sliding windows, a state that grows with the auctions seen (tens of MiB); q11: bid
 * counts per bidder in session windows, merging windows, a state that grows with the bidders.
 */
export const CHECKPOINT_WORKLOADS: Readonly<Record<string, number>> = { seed: 20_000_000, q5: 8_000_000, q11: 14_000_000 };
/** Events per run for a workload outside CHECKPOINT_WORKLOADS (any of bench:compare's may be asked for). */
const OTHER_EVENTS = 8_000_000;
/** Runs shorter than this get a warning: too few checkpoints fall inside them. */
const SHORTEST_RUN_S = 5;

export interface CheckpointSuiteOptions {
  workloads: string[];
  parallelism: number;
  rounds: number;
  /** Events per run; undefined: each workload's from CHECKPOINT_WORKLOADS. */
  events: number | undefined;
  /** Checkpoint interval of the timed runs (ms). */
  intervalMs: number;
  /** Events and checkpoint interval of the same-results check. */
  checkEvents: number;
  checkIntervalMs: number;
}

type Variant = 'without' | 'with';

interface Row {
  workload: string;
  events: number;
  check: SameResults;
  runs: Record<Engine, Record<Variant, RunReport[]>>;
}

export function eventsFor(workload: string, options: CheckpointSuiteOptions): number {
  return options.events ?? CHECKPOINT_WORKLOADS[workload] ?? OTHER_EVENTS;
}

export async function checkpointSuite(options: CheckpointSuiteOptions): Promise<string> {
  const rows: Row[] = [];
  for (const workload of options.workloads) {
    const every = options.checkIntervalMs;
    const check = await sameResults(workload, options.checkEvents, options.parallelism, [
      { engine: 'eddy' },
      { engine: 'eddy', checkpointIntervalMs: every },
      { engine: 'flink' },
      { engine: 'flink', checkpointIntervalMs: every },
    ]);
    console.error(
      `${workload}: ${check.same ? 'same results' : 'DIFFERENT results'} on ${options.checkEvents} events (${check.lines} lines) with and without checkpoints every ${every} ms ` +
        `(eddy ${check.checkpoints[0]} checkpoints, Flink ${check.checkpoints[1]})`,
    );
    const events = eventsFor(workload, options);
    const row: Row = { workload, events, check, runs: { eddy: { without: [], with: [] }, flink: { without: [], with: [] } } };
    for (let round = 0; round < options.rounds; round++) {
      const variants: Variant[] = round % 2 === 0 ? ['without', 'with'] : ['with', 'without'];
      for (const engine of ['eddy', 'flink'] as const) {
        for (const variant of variants) {
          const checkpointIntervalMs = variant === 'with' ? options.intervalMs : undefined;
          const report = await runOnce(engine, { query: workload, events, parallelism: options.parallelism, checkpointIntervalMs });
          row.runs[engine][variant].push(report);
          const detail = variant === 'with' ? `, ${report.checkpoints} checkpoints (${report.checkpointsFailed} failed), avg ${report.checkpointAvgMs} ms, ${mib(report.checkpointAvgBytes ?? 0)}` : '';
          console.error(`  round ${round + 1} ${engine} ${variant} checkpoints: ${formatRate(report.eventsPerSecond)} events/s in ${report.seconds.toFixed(1)} s${detail}`);
          if (report.seconds < SHORTEST_RUN_S) console.error(`  warning: the run took ${report.seconds.toFixed(1)} s, under ${SHORTEST_RUN_S} s: pass more --events for several checkpoints per run`);
        }
      }
    }
    rows.push(row);
  }
  return table(rows, options);
}

function mib(bytes: number): string {
  return bytes >= 2 ** 20 ? `${(bytes / 2 ** 20).toFixed(1)} MiB` : `${(bytes / 1024).toFixed(0)} KiB`;
}

/** With / without per round (both ran back to back), then the median and spread over rounds. */
function costRatio(runs: Record<Variant, RunReport[]>): { ratio: number; spread: number } {
  const ratios = runs.with.map((r, i) => r.eventsPerSecond / runs.without[i]!.eventsPerSecond);
  return { ratio: median(ratios), spread: spreadPercent(ratios) };
}

function table(rows: readonly Row[], options: CheckpointSuiteOptions): string {
  const lines = [
    `${flinkVersions()}. Parallelism ${options.parallelism}, ${options.rounds} rounds; each round runs both engines without and with a checkpoint every ${options.intervalMs} ms ` +
      `(exactly once; Flink: hashmap state backend, filesystem checkpoint storage on the local disk, as eddy's), the variant that goes first alternating by round. ` +
      `events/s and CPU-seconds (the whole process, all threads): medians (± half the range); with / without: median of the per-round ratios (± half their range), 1.00 = checkpointing costs nothing. ` +
      `Checkpoints: completed per run with checkpoints (median), the final checkpoint of the bounded job included, and in brackets the failed ones summed over all rounds; ` +
      `duration (trigger to last acknowledgement) and size (bytes of state written per checkpoint) are the medians over runs of each run's average. ` +
      `"Same results": the output lines of eddy and Flink, each without and with checkpoints every ${options.checkIntervalMs} ms, on ${options.checkEvents.toLocaleString('en')} events, all four identical ` +
      `(the seed job at parallelism 1: its pairwise mean depends on arrival order); in brackets the checkpoints the checking runs completed.`,
    '',
    '| workload | events per run | same results with checkpoints | engine | events/s without | events/s with | with / without | CPU-s without / with | seconds with | checkpoints (failed) | checkpoint duration | checkpoint size |',
    '|---|---|---|---|---|---|---|---|---|---|---|---|',
  ];
  for (const row of rows) {
    const check = row.check.same ? `yes (${row.check.lines} lines; ${row.check.checkpoints[0]} / ${row.check.checkpoints[1]} checkpoints)` : '**no**';
    for (const engine of ['eddy', 'flink'] as const) {
      const runs = row.runs[engine];
      const rate = (v: Variant) => {
        const rates = runs[v].map((r) => r.eventsPerSecond);
        return `${formatRate(median(rates))} ±${spreadPercent(rates).toFixed(0)} %`;
      };
      const m = (pick: (r: RunReport) => number, variant: Variant = 'with') => median(runs[variant].map(pick));
      const failed = runs.with.reduce((n, r) => n + (r.checkpointsFailed ?? 0), 0);
      const { ratio, spread } = costRatio(runs);
      lines.push(
        `| ${row.workload} | ${row.events.toLocaleString('en')} | ${check} | ${engine === 'eddy' ? 'eddy' : 'Flink'} | ${rate('without')} | ${rate('with')} | **${ratio.toFixed(2)}** ±${spread.toFixed(0)} % | ` +
          `${m((r) => r.cpuSeconds, 'without').toFixed(1)} / ${m((r) => r.cpuSeconds).toFixed(1)} | ${m((r) => r.seconds).toFixed(1)} | ${m((r) => r.checkpoints ?? 0)} (${failed}) | ${m((r) => r.checkpointAvgMs ?? 0).toFixed(0)} ms | ${mib(m((r) => r.checkpointAvgBytes ?? 0))} |`,
      );
    }
  }
  return lines.join('\n');
}
