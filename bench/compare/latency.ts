// The latency suite of bench:compare (`npm run bench:compare -- --suite latency`): for the seed job
// and q5, each engine's maximum throughput is measured first; then each runs with its source paced
// to 10 %, 50 % and 90 % of its own maximum, every record stamped at emission and its age taken on
// arrival at the keyed window operator (HDR histogram, µs). Flink runs with its default buffer
// timeout (100 ms) and with 0 (flush after every record). Rounds alternate the engines; the table
// gives medians over rounds.

import { formatRate, median } from '../utils/stats.js';
import { flinkVersions, runOnce, type RunReport } from './engines.js';

export const LATENCY_WORKLOADS = ['seed', 'q5'];
const LOADS = [0.1, 0.5, 0.9];

/** One way of running an engine in the suite. */
interface Setup {
  label: string;
  engine: 'eddy' | 'flink';
  bufferTimeoutMs?: number;
}

const SETUPS: readonly Setup[] = [
  { label: 'eddy', engine: 'eddy' },
  { label: 'Flink, buffer timeout 100 ms (default)', engine: 'flink' },
  { label: 'Flink, buffer timeout 0', engine: 'flink', bufferTimeoutMs: 0 },
];

export interface LatencySuiteOptions {
  workloads: string[];
  parallelism: number;
  rounds: number;
  /** Events of each maximum-throughput run. */
  events: number;
  /** How long each paced run's source runs. */
  seconds: number;
}

interface Row {
  workload: string;
  load: number;
  setup: Setup;
  maxRate: number;
  runs: RunReport[];
}

/** Each engine's maximum events/s on `workload` (median of `rounds` unpaced runs, engines alternated). */
async function maxRates(workload: string, options: LatencySuiteOptions): Promise<Record<'eddy' | 'flink', number>> {
  const rates: Record<'eddy' | 'flink', number[]> = { eddy: [], flink: [] };
  for (let round = 0; round < options.rounds; round++) {
    for (const engine of ['eddy', 'flink'] as const) {
      const report = await runOnce(engine, { query: workload, events: options.events, parallelism: options.parallelism });
      rates[engine].push(report.eventsPerSecond);
    }
  }
  return { eddy: median(rates.eddy), flink: median(rates.flink) };
}

export async function latencySuite(options: LatencySuiteOptions): Promise<string> {
  const rows: Row[] = [];
  for (const workload of options.workloads) {
    if (!LATENCY_WORKLOADS.includes(workload)) throw new RangeError(`The latency suite measures ${LATENCY_WORKLOADS.join(' and ')}, not "${workload}".`);
    const max = await maxRates(workload, options);
    console.error(`${workload}: maximum eddy ${formatRate(max.eddy)} events/s, Flink ${formatRate(max.flink)} events/s`);
    const byKey = new Map<string, Row>();
    for (let round = 0; round < options.rounds; round++) {
      for (const load of LOADS) {
        for (const setup of SETUPS) {
          const maxRate = max[setup.engine];
          const eventsPerSecond = Math.round(load * maxRate);
          const latency = { eventsPerSecond, seconds: options.seconds, bufferTimeoutMs: setup.bufferTimeoutMs };
          const report = await runOnce(setup.engine, { query: workload, events: 0, parallelism: options.parallelism, latency });
          const key = `${load} ${setup.label}`;
          if (!byKey.has(key)) byKey.set(key, { workload, load, setup, maxRate, runs: [] });
          byKey.get(key)!.runs.push(report);
          console.error(`  round ${round + 1}, ${load * 100} % load, ${setup.label}: p50 ${report.p50us} µs, p99 ${report.p99us} µs, max ${report.maxUs} µs`);
        }
      }
    }
    rows.push(...byKey.values());
  }
  return table(rows, options);
}

function micros(us: number): string {
  return us >= 10_000 ? `${(us / 1000).toFixed(0)} ms` : us >= 1000 ? `${(us / 1000).toFixed(1)} ms` : `${us.toFixed(0)} µs`;
}

function table(rows: readonly Row[], options: LatencySuiteOptions): string {
  const lines = [
    `${flinkVersions()}. Parallelism ${options.parallelism}; each engine's maximum is the median of ${options.rounds} unpaced runs of ${options.events.toLocaleString('en')} events; ` +
      `paced runs last ${options.seconds} s with event time advancing at the paced rate, the first second not measured; ` +
      `age = record stamped at emission by the source -> arrival at the keyed window operator. Medians of ${options.rounds} rounds, engines alternated.`,
    '',
    '| workload | load | engine | paced at (events/s) | achieved | samples | p50 | p99 | p99.9 | max |',
    '|---|---|---|---|---|---|---|---|---|---|',
  ];
  for (const row of rows) {
    const m = (pick: (r: RunReport) => number) => median(row.runs.map(pick));
    lines.push(
      `| ${row.workload} | ${row.load * 100} % | ${row.setup.label} | ${formatRate(row.load * row.maxRate)} | ${formatRate(m((r) => r.eventsPerSecond))} | ` +
        `${formatRate(m((r) => r.samples ?? 0))} | ${micros(m((r) => r.p50us ?? 0))} | **${micros(m((r) => r.p99us ?? 0))}** | ${micros(m((r) => r.p999us ?? 0))} | ${micros(m((r) => r.maxUs ?? 0))} |`,
    );
  }
  return lines.join('\n');
}
