// One Nexmark run of eddy, the counterpart of the Flink reference's runner (bench/nexmark/SPEC.md):
//
//   node dist/bench/nexmark/run.js --query q5 --events 1000000 --parallelism 2 [--rate R] [--output FILE]
//   node dist/bench/nexmark/run.js --query seed --events 1000000 --parallelism 2 [--devices D] [--rate R]
//   node dist/bench/nexmark/run.js --dump 60 [--query seed] [--rate R] [--devices D]
//   node dist/bench/nexmark/run.js --query seed|q5 --latency --rate-limit 200000 --seconds 10 [--warmup-seconds 1]
//   node dist/bench/nexmark/run.js --query q5 --events 4000000 --checkpoint-interval 1000 [--checkpoint-dir DIR]
//
// A run prints SPEC.md's JSON report as its last stdout line; with --output it writes the query's
// output lines, sorted, to FILE. --dump prints the first N events (readings with --query seed) as
// JSON lines, to diff the two generators. --latency runs the seed job or q5 on a source paced to
// --rate-limit records per second for --seconds, event time advancing with wall time, and adds the
// percentiles of stamp -> arrival at the keyed window operator to the report (bench/nexmark/latency.ts).
// --checkpoint-interval checkpoints every MS (exactly once) into --checkpoint-dir (default: a fresh
// temporary folder, removed after the run) and adds the completed checkpoints to the report.

import { closeSync, mkdtempSync, openSync, rmSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { Command, InvalidArgumentError, Option } from 'commander';
import { runJob, type CheckpointStats } from '../../src/index.js';
import { NEXMARK_SINK, type NexmarkJobArgs } from '../jobs/nexmark-query.js';
import { SharedHistogram } from '../utils/shared-histogram.js';
import { DEFAULT_RATE, eventAt, type NexmarkEvent } from './generator.js';
import { isQueryName, QUERIES } from './queries.js';
import { DEFAULT_DEVICES, DEFAULT_SEED_RATE, readingAt } from './sensor.js';

const QUERY_NAMES = [...Object.keys(QUERIES), 'seed'];

function wholeNumber(min: number) {
  return (value: string): number => {
    const n = Number(value);
    if (!Number.isSafeInteger(n) || n < min) throw new InvalidArgumentError(`expected a whole number of at least ${min}.`);
    return n;
  };
}

function positiveNumber(value: string): number {
  const n = Number(value);
  if (!(n > 0) || !Number.isFinite(n)) throw new InvalidArgumentError('expected a positive number.');
  return n;
}

function nonNegativeNumber(value: string): number {
  const n = Number(value);
  if (!(n >= 0) || !Number.isFinite(n)) throw new InvalidArgumentError('expected a number of at least 0.');
  return n;
}

function queryName(value: string): string {
  if (!isQueryName(value) && value !== 'seed') throw new InvalidArgumentError(`choose one of ${QUERY_NAMES.join(', ')}.`);
  return value;
}

/** What one run reports (SPEC.md, "What each run reports"), in this key order. */
export interface NexmarkReport {
  engine: 'eddy';
  query: string;
  events: number;
  parallelism: number;
  seconds: number;
  eventsPerSecond: number;
  cpuSeconds: number;
  peakRssBytes: number;
  outputLines: number;
  /** Latency mode only: the source's limit, the measured records and their age at the window operator (µs). */
  rateLimit?: number;
  samples?: number;
  p50us?: number;
  p99us?: number;
  p999us?: number;
  maxUs?: number;
  /** With checkpoints only: the interval, and the checkpoints the job completed and failed (the final one of a bounded job included). */
  checkpointIntervalMs?: number;
  checkpoints?: number;
  checkpointsFailed?: number;
  /** Over the completed checkpoints: trigger -> last acknowledgement (ms), and the bytes of their state files. */
  checkpointAvgMs?: number;
  checkpointMaxMs?: number;
  checkpointAvgBytes?: number;
  checkpointMaxBytes?: number;
}

/** The checkpoint fields of a report (SPEC.md) from a job's checkpoint history; savepoints are left out. */
export function checkpointReport(intervalMs: number, history: readonly CheckpointStats[]): Partial<NexmarkReport> {
  const checkpoints = history.filter((c) => c.kind === 'checkpoint');
  const done = checkpoints.filter((c) => c.status === 'completed');
  const average = (values: number[]) => (values.length === 0 ? 0 : Math.round(values.reduce((a, b) => a + b, 0) / values.length));
  const durations = done.map((c) => c.durationMs);
  const sizes = done.map((c) => c.sizeBytes);
  return {
    checkpointIntervalMs: intervalMs,
    checkpoints: done.length,
    checkpointsFailed: checkpoints.length - done.length,
    checkpointAvgMs: average(durations),
    checkpointMaxMs: Math.round(Math.max(0, ...durations)),
    checkpointAvgBytes: average(sizes),
    checkpointMaxBytes: Math.max(0, ...sizes),
  };
}

/** A latency run: `rateLimit` records per second for `seconds`, ages measured after the first `warmupSeconds`. */
export interface LatencyOptions {
  rateLimit: number;
  seconds: number;
  warmupSeconds: number;
  checkpointInterval?: number;
  checkpointDir?: string;
}

export interface NexmarkRunOptions {
  /** q0 ... q11, or seed. */
  query: string;
  events: number;
  parallelism: number;
  /** Events per second of event time (default: 10 M for Nexmark, 10 k for seed). */
  rate?: number;
  /** Devices of the seed job (default 1000). */
  devices?: number;
  /** Collect the output lines and return them sorted (otherwise they are counted and dropped). */
  collect?: boolean;
  /** Latency mode (seed and q5): `events` is then rateLimit * seconds. */
  latency?: LatencyOptions;
  /** Checkpoints every `intervalMs` into `dir` (default: a fresh temporary folder, removed after the run). */
  checkpoint?: { intervalMs: number; dir?: string };
}

/** Runs one query as an eddy job; measures from submission to the end of the job. */
export async function runNexmark(options: NexmarkRunOptions): Promise<{ report: NexmarkReport; lines: string[] | undefined }> {
  const { latency } = options;
  const events = latency === undefined ? options.events : Math.round(latency.rateLimit * latency.seconds);
  const args: NexmarkJobArgs = {
    query: options.query,
    events,
    // In latency mode event time advances with wall time, as in the Flink reference.
    rate: options.rate ?? latency?.rateLimit ?? (options.query === 'seed' ? DEFAULT_SEED_RATE : DEFAULT_RATE),
    devices: options.devices ?? DEFAULT_DEVICES,
    output: options.collect === true,
  };
  const { checkpoint } = options;
  const temporary = checkpoint !== undefined && checkpoint.dir === undefined ? mkdtempSync(join(tmpdir(), 'eddy-nexmark-chk-')) : undefined;
  if (checkpoint !== undefined) args.checkpoint = { intervalMs: checkpoint.intervalMs, dir: checkpoint.dir ?? temporary! };
  try {
    return await runMeasured(options, args, events);
  } finally {
    if (temporary !== undefined) rmSync(temporary, { recursive: true, force: true });
  }
}

async function runMeasured(options: NexmarkRunOptions, args: NexmarkJobArgs, events: number): Promise<{ report: NexmarkReport; lines: string[] | undefined }> {
  const { latency } = options;
  const job = new URL('../jobs/nexmark-query.js', import.meta.url);
  const cpu = process.cpuUsage();
  const started = performance.now();
  if (latency !== undefined) {
    args.latency = { rateLimit: latency.rateLimit, histogram: SharedHistogram.allocate(), warmupMs: latency.warmupSeconds * 1000 };
  }
  const client = await runJob(job, { parallelism: options.parallelism, args, jobName: `nexmark ${options.query}` });
  const result = await client.result;
  const seconds = (performance.now() - started) / 1000;
  const used = process.cpuUsage(cpu);
  const lines = args.output ? (result.collected[0] as string[]).sort() : undefined;
  const outputLines = lines?.length ?? result.metrics.filter((m) => m.name === NEXMARK_SINK).reduce((sum, m) => sum + m.recordsIn, 0);
  const report: NexmarkReport = {
    engine: 'eddy',
    query: options.query,
    events,
    parallelism: options.parallelism,
    seconds,
    eventsPerSecond: events / seconds,
    cpuSeconds: (used.user + used.system) / 1e6,
    peakRssBytes: process.resourceUsage().maxRSS * 1024,
    outputLines,
  };
  if (args.latency !== undefined) {
    const ages = new SharedHistogram(args.latency.histogram).toHdr();
    Object.assign(report, {
      rateLimit: args.latency.rateLimit,
      samples: ages.totalCount,
      p50us: ages.getValueAtPercentile(50),
      p99us: ages.getValueAtPercentile(99),
      p999us: ages.getValueAtPercentile(99.9),
      maxUs: ages.maxValue,
    });
  }
  if (args.checkpoint !== undefined) Object.assign(report, checkpointReport(args.checkpoint.intervalMs, result.checkpoints));
  return { report, lines };
}

/** An event as one JSON line: `kind`, then the event's own object under its kind, fields in SPEC.md's order. */
export function eventJson(e: NexmarkEvent): string {
  switch (e.kind) {
    case 'person':
      return JSON.stringify({ kind: e.kind, person: e.person });
    case 'auction':
      return JSON.stringify({ kind: e.kind, auction: e.auction });
    default:
      return JSON.stringify({ kind: e.kind, bid: e.bid });
  }
}

/** Writes `lines` to `file`, each ended by a newline (in chunks: one string of them all may be too long). */
function writeLines(file: string, lines: readonly string[]): void {
  const fd = openSync(file, 'w');
  try {
    for (let from = 0; from < lines.length; from += 10_000) writeSync(fd, `${lines.slice(from, from + 10_000).join('\n')}\n`);
  } finally {
    closeSync(fd);
  }
}

/** Writes line(n) for n = 0 .. count-1 to stdout, in chunks, waiting for the pipe to drain. */
async function dump(count: number, line: (n: number) => string): Promise<void> {
  const CHUNK = 10_000;
  for (let from = 0; from < count; from += CHUNK) {
    const lines: string[] = [];
    for (let n = from; n < Math.min(count, from + CHUNK); n++) lines.push(line(n));
    if (!process.stdout.write(`${lines.join('\n')}\n`)) await new Promise((resolve) => process.stdout.once('drain', resolve));
  }
}

interface CliOptions {
  query?: string;
  events?: number;
  parallelism: number;
  rate?: number;
  devices: number;
  output?: string;
  dump?: number;
  latency?: boolean;
  rateLimit?: number;
  seconds: number;
  warmupSeconds: number;
  checkpointInterval?: number;
  checkpointDir?: string;
}

async function main(): Promise<void> {
  const program = new Command()
    .name('nexmark')
    .description('Runs one Nexmark query on eddy and prints the JSON report line (bench/nexmark/SPEC.md).')
    .addOption(new Option('--query <q>', `query: ${QUERY_NAMES.join(', ')}`).argParser(queryName))
    .addOption(new Option('--events <n>', 'events (seed: readings) to generate').argParser(wholeNumber(0)))
    .addOption(new Option('--parallelism <p>', 'parallelism of the job').argParser(wholeNumber(1)).default(2))
    .addOption(new Option('--rate <r>', `events per second of event time (default ${DEFAULT_RATE}; seed: ${DEFAULT_SEED_RATE})`).argParser(positiveNumber))
    .addOption(new Option('--devices <d>', 'devices of the seed job').argParser(wholeNumber(1)).default(DEFAULT_DEVICES))
    .option('--output <file>', 'write the output lines, sorted, to this file')
    .addOption(new Option('--dump <n>', 'print the first n events as JSON lines and exit').argParser(wholeNumber(0)))
    .option('--latency', 'latency mode (seed, q5): a paced, stamped source; percentiles of the age at the window operator')
    .addOption(new Option('--rate-limit <r>', 'latency mode: records per second of wall time').argParser(positiveNumber))
    .addOption(new Option('--seconds <s>', 'latency mode: how long the source runs').argParser(positiveNumber).default(10))
    .addOption(new Option('--warmup-seconds <s>', 'latency mode: records stamped in the first s seconds are not measured').argParser(nonNegativeNumber).default(1))
    .addOption(new Option('--checkpoint-interval <ms>', 'checkpoint every ms milliseconds (exactly once); the report adds the completed checkpoints').argParser(wholeNumber(10)))
    .option('--checkpoint-dir <dir>', 'with --checkpoint-interval: the checkpoint folder (default: a fresh temporary folder, removed after the run)')
    .parse();
  const o = program.opts<CliOptions>();
  if (o.dump !== undefined) {
    await dump(o.dump, o.query === 'seed' ? (n) => JSON.stringify(readingAt(n, o.rate ?? DEFAULT_SEED_RATE, o.devices)) : (n) => eventJson(eventAt(n, o.rate ?? DEFAULT_RATE)));
    return;
  }
  const { query } = o;
  if (o.latency === true) {
    if (query !== 'seed' && query !== 'q5') return program.error('error: --latency measures --query seed or --query q5.');
    if (o.rateLimit === undefined) return program.error('error: --latency needs --rate-limit RECORDS_PER_SECOND.');
  }
  const latency = o.latency === true ? { rateLimit: o.rateLimit!, seconds: o.seconds, warmupSeconds: o.warmupSeconds } : undefined;
  const events = o.events ?? (latency === undefined ? undefined : 0);
  if (query === undefined || events === undefined) return program.error('error: --query and --events are required (or --dump N, or --latency).');
  if (o.checkpointDir !== undefined && o.checkpointInterval === undefined) return program.error('error: --checkpoint-dir needs --checkpoint-interval MS.');
  const checkpoint = o.checkpointInterval === undefined ? undefined : { intervalMs: o.checkpointInterval, dir: o.checkpointDir };
  const { report, lines } = await runNexmark({ query, events, parallelism: o.parallelism, rate: o.rate, devices: o.devices, collect: o.output !== undefined, latency, checkpoint });
  if (o.output !== undefined) writeLines(o.output, lines!);
  process.stdout.write(`${JSON.stringify(report)}\n`);
}

// Run as the CLI only when this is the entry script (the module is also imported for runNexmark).
if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) await main();
