// `npm run bench:compare [-- --events N --parallelism P --rounds R]`: eddy against Apache Flink on
// the same machine. For each workload (the seed job and Nexmark q0-q11) it first checks that both
// engines compute the same output lines on a small input, then runs them alternately for R rounds
// and prints one table (events/s, ratio, CPU-seconds, events/s per core, peak RSS); it writes the
// table to bench/RESULTS.md and a chart of the ratios to bench/compare-ratios.svg.
// `--suite latency` runs the latency suite instead (bench/compare/latency.ts), `--suite checkpoints`
// the cost of checkpoints every second on both engines (bench/compare/checkpoints.ts), `--suite
// kafka` Kafka -> map -> Kafka against a local broker (bench/compare/kafka.ts).

import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Command, InvalidArgumentError, Option } from 'commander';
import { formatRate, median, spreadPercent } from '../utils/stats.js';
import { projectRoot } from '../utils/project-root.js';
import { machineLine, writeSection } from '../utils/results-file.js';
import { ratioChart } from './chart.js';
import { CHECKPOINT_WORKLOADS, checkpointSuite } from './checkpoints.js';
import { flinkVersions, runOnce, type Engine, type RunReport } from './engines.js';
import { kafkaCompare } from './kafka.js';
import { LATENCY_WORKLOADS, latencySuite } from './latency.js';
import { sameResults } from './same-results.js';

const WORKLOADS = ['seed', 'q0', 'q1', 'q2', 'q3', 'q5', 'q7', 'q8', 'q11'];
const TARGET_RATIO = 1.5;
const CHART = join(projectRoot(), 'bench', 'compare-ratios.svg');

function positive(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new InvalidArgumentError('expected a whole number of at least 1.');
  return n;
}

interface Options {
  suite: 'throughput' | 'latency' | 'checkpoints' | 'kafka';
  events: number;
  parallelism: number;
  rounds: number;
  checkEvents: number;
  workloads?: string[];
  seconds: number;
  checkpointInterval: number;
  checkInterval: number;
  write: boolean;
}

/** Options whose default depends on the suite: the value given, or undefined when none was. */
type Given = (name: 'events' | 'checkEvents') => number | undefined;

interface Row {
  workload: string;
  same: boolean;
  checkLines: number;
  runs: Record<Engine, RunReport[]>;
}

function summary(runs: RunReport[]) {
  const rates = runs.map((r) => r.eventsPerSecond);
  return {
    rate: median(rates),
    spread: spreadPercent(rates),
    cpu: median(runs.map((r) => r.cpuSeconds)),
    perCore: median(runs.map((r) => r.events / r.cpuSeconds)),
    rss: Math.max(...runs.map((r) => r.peakRssBytes)),
  };
}

function table(rows: readonly Row[], options: Options): string {
  const lines = [
    `${flinkVersions()}. ${options.events.toLocaleString('en')} events per run (seed: readings), parallelism ${options.parallelism}, ${options.rounds} rounds, engines alternated; medians (± half the range). ` +
      `"Same results": both engines' output lines on ${options.checkEvents.toLocaleString('en')} events, sorted and compared (the seed job at parallelism 1: its pairwise mean depends on arrival order).`,
    '',
    '| workload | same results | eddy events/s | Flink events/s | eddy / Flink | eddy CPU-s | Flink CPU-s | eddy events/s per core | Flink events/s per core | eddy peak RSS | Flink peak RSS |',
    '|---|---|---|---|---|---|---|---|---|---|---|',
  ];
  for (const row of rows) {
    const e = summary(row.runs.eddy);
    const f = summary(row.runs.flink);
    lines.push(
      `| ${row.workload} | ${row.same ? `yes (${row.checkLines} lines)` : '**no**'} | ${formatRate(e.rate)} ±${e.spread.toFixed(0)} % | ${formatRate(f.rate)} ±${f.spread.toFixed(0)} % | ` +
        `**${(e.rate / f.rate).toFixed(2)}** | ${e.cpu.toFixed(2)} | ${f.cpu.toFixed(2)} | ${formatRate(e.perCore)} | ${formatRate(f.perCore)} | ` +
        `${(e.rss / 2 ** 20).toFixed(0)} MiB | ${(f.rss / 2 ** 20).toFixed(0)} MiB |`,
    );
  }
  return lines.join('\n');
}

async function compare(options: Options): Promise<void> {
  const rows: Row[] = [];
  for (const workload of options.workloads ?? WORKLOADS) {
    const check = await sameResults(workload, options.checkEvents, options.parallelism);
    console.error(`${workload}: ${check.same ? 'same results' : 'DIFFERENT results'} on ${options.checkEvents} events (${check.lines} lines)`);
    const row: Row = { workload, same: check.same, checkLines: check.lines, runs: { eddy: [], flink: [] } };
    for (let round = 0; round < options.rounds; round++) {
      for (const engine of ['eddy', 'flink'] as const) {
        const report = await runOnce(engine, { query: workload, events: options.events, parallelism: options.parallelism });
        row.runs[engine].push(report);
        console.error(`  round ${round + 1} ${engine}: ${formatRate(report.eventsPerSecond)} events/s`);
      }
    }
    rows.push(row);
  }
  const body = table(rows, options);
  console.log(`\n${body}\n\nMachine: ${machineLine()}`);
  if (options.write) {
    const bars = rows.map((r) => ({ label: r.workload, ratio: summary(r.runs.eddy).rate / summary(r.runs.flink).rate }));
    writeFileSync(CHART, ratioChart(bars, `eddy / Apache Flink throughput, parallelism ${options.parallelism} (${machineLine()})`, TARGET_RATIO));
    writeSection('compare', 'eddy against Apache Flink (seed job and Nexmark)', `npm run bench:compare -- ${process.argv.slice(2).join(' ')}`, `${body}\n\n![eddy / Flink ratios](compare-ratios.svg)`);
  }
}

async function compareLatency(options: Options): Promise<void> {
  const workloads = options.workloads ?? LATENCY_WORKLOADS;
  const body = await latencySuite({ workloads, parallelism: options.parallelism, rounds: options.rounds, events: options.events, seconds: options.seconds });
  console.log(`\n${body}\n\nMachine: ${machineLine()}`);
  if (options.write) writeSection('compare-latency', 'Latency against Apache Flink (seed job and q5)', `npm run bench:compare -- ${process.argv.slice(2).join(' ')}`, body);
}

async function compareCheckpoints(options: Options, given: Given): Promise<void> {
  const workloads = options.workloads ?? Object.keys(CHECKPOINT_WORKLOADS);
  const body = await checkpointSuite({
    workloads,
    parallelism: options.parallelism,
    rounds: options.rounds,
    events: given('events'),
    intervalMs: options.checkpointInterval,
    checkEvents: given('checkEvents') ?? 1_000_000,
    checkIntervalMs: options.checkInterval,
  });
  console.log(`\n${body}\n\nMachine: ${machineLine()}`);
  if (options.write) writeSection('compare-checkpoints', 'Checkpointing cost on eddy and Apache Flink (seed job and Nexmark)', `npm run bench:compare -- ${process.argv.slice(2).join(' ')}`, body);
}

async function compareKafka(options: Options, given: Given): Promise<void> {
  const body = await kafkaCompare({ records: given('events') ?? 200_000, parallelism: options.parallelism, rounds: options.rounds, intervalMs: options.checkpointInterval });
  console.log(`\n${body}\n\nMachine: ${machineLine()}`);
  if (options.write) writeSection('compare-kafka', 'Kafka -> map -> Kafka on eddy and Apache Flink', `npm run bench:compare -- ${process.argv.slice(2).join(' ')}`, body);
}

/** Why --workloads names one the suite does not run, or undefined. */
function unknownWorkloads(options: Options): string | undefined {
  const allowed = options.suite === 'latency' ? LATENCY_WORKLOADS : WORKLOADS;
  const unknown = (options.workloads ?? []).filter((w) => !allowed.includes(w));
  return unknown.length === 0 ? undefined : `--workloads: ${unknown.join(', ')} not among ${allowed.join(',')} (suite ${options.suite}).`;
}

const program = new Command();
await program
  .name('bench:compare')
  .addOption(
    new Option(
      '--suite <suite>',
      'throughput: the table of events/s; latency: percentiles at 10/50/90 % load; checkpoints: events/s without and with checkpoints; kafka: Kafka -> map -> Kafka, records/s',
    )
      .choices(['throughput', 'latency', 'checkpoints', 'kafka'])
      .default('throughput'),
  )
  .option('--events <n>', 'events per run (latency suite: per maximum-throughput run; checkpoints suite: default per workload, 8-20 M; kafka suite: records, default 200000)', positive, 2_000_000)
  .option('--parallelism <n>', 'parallelism of both engines', positive, 2)
  .option('--rounds <n>', 'runs per engine and workload', positive, 3)
  .option('--check-events <n>', 'events for the same-results check (checkpoints suite: default 1000000)', positive, 20_000)
  .option('--workloads <list>', 'comma-separated subset of seed,q0,q1,q2,q3,q5,q7,q8,q11 (latency suite: of seed,q5; checkpoints suite: default seed,q5,q11)', (v: string) => v.split(','))
  .option('--seconds <s>', 'latency suite: how long each paced run lasts', positive, 10)
  .option('--checkpoint-interval <ms>', 'checkpoints and kafka suites: ms between checkpoints in the timed runs', positive, 1000)
  .option('--check-interval <ms>', 'checkpoints suite: ms between checkpoints in the same-results check', positive, 100)
  .option('--no-write', 'do not replace the section in bench/RESULTS.md (nor the chart)')
  .action((options: Options) => {
    const unknown = unknownWorkloads(options);
    if (unknown !== undefined) program.error(`error: ${unknown}`);
    const given: Given = (name) => (program.getOptionValueSource(name) === 'default' ? undefined : options[name]);
    if (options.suite === 'latency') return compareLatency(options);
    if (options.suite === 'checkpoints') return compareCheckpoints(options, given);
    if (options.suite === 'kafka') return compareKafka(options, given);
    return compare(options);
  })
  .parseAsync();
