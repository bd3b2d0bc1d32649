// How bench:compare starts each engine for one run, and reads the JSON report line it prints
// (bench/nexmark/SPEC.md, "What each run reports").

import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import type { NexmarkReport } from '../nexmark/run.js';
import { projectRoot } from '../utils/project-root.js';

export type Engine = 'eddy' | 'flink';

/** One run's report, as both engines print it (latency runs add the rate limit and percentiles). */
export interface RunReport extends Omit<NexmarkReport, 'engine'> {
  engine: Engine;
}

export interface RunOptions {
  query: string;
  events: number;
  parallelism: number;
  rate?: number;
  output?: string;
  /** Latency mode: a rate-limited source, percentiles in the report. */
  latency?: { eventsPerSecond: number; seconds: number; bufferTimeoutMs?: number };
  /** Checkpoints every this many ms (exactly once, into a temporary folder each runner removes); the report adds them. */
  checkpointIntervalMs?: number;
}

const ROOT = `${projectRoot()}/`;
const FLINK_DIR = `${ROOT}bench/reference/flink`;
/** The Flink reference's runnable jar with its dependencies (built by build.sh). */
export const FLINK_JAR = `${FLINK_DIR}/target/eddy-flink-reference.jar`;

/** "Apache Flink 2.3.0 on Java 17.0.15": the reference's Flink version (pom.xml) and the JVM that runs it. */
export function flinkVersions(): string {
  const flink = /<flink\.version>([^<]+)<\/flink\.version>/.exec(readFileSync(`${FLINK_DIR}/pom.xml`, 'utf8'))?.[1] ?? 'unknown';
  const java = /version "([^"]+)"/.exec(spawnSync('java', ['-version'], { encoding: 'utf8' }).stderr ?? '')?.[1] ?? 'unknown';
  return `Apache Flink ${flink} on Java ${java}`;
}

function flags(options: RunOptions): string[] {
  const args = ['--query', options.query, '--events', String(options.events), '--parallelism', String(options.parallelism)];
  if (options.rate !== undefined) args.push('--rate', String(options.rate));
  if (options.output !== undefined) args.push('--output', options.output);
  if (options.checkpointIntervalMs !== undefined) args.push('--checkpoint-interval', String(options.checkpointIntervalMs));
  if (options.latency !== undefined) {
    args.push('--latency', '--rate-limit', String(options.latency.eventsPerSecond), '--seconds', String(options.latency.seconds));
    if (options.latency.bufferTimeoutMs !== undefined) args.push('--buffer-timeout', String(options.latency.bufferTimeoutMs));
  }
  return args;
}

/** The command line that runs `mainClass` of the Flink reference with `args`. */
export function flinkCommand(mainClass: string, args: string[]): [string, string[]] {
  if (!existsSync(FLINK_JAR)) {
    throw new Error(`The Flink reference is not built (${FLINK_JAR} is missing): run bench/reference/flink/build.sh.`);
  }
  return ['java', ['-Xms1g', '-Xmx4g', '-cp', `${FLINK_JAR}:${FLINK_DIR}/target/lib/*`, mainClass, ...args]];
}

/** The command line that runs one engine on one workload. */
export function commandFor(engine: Engine, options: RunOptions): [string, string[]] {
  if (engine === 'eddy') return [process.execPath, [`${ROOT}dist/bench/nexmark/run.js`, ...flags(options)]];
  return flinkCommand('eddy.reference.Run', flags(options));
}

/** Runs `command` and returns its report: the last JSON line of its standard output. */
export function runReporting<R>(what: string, [command, args]: [string, string[]], timeoutMs = 600_000): Promise<R> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.on('close', (code) => {
      clearTimeout(timer);
      const line = stdout.trim().split('\n').filter((l) => l.startsWith('{')).pop();
      if (code !== 0 || line === undefined) {
        reject(new Error(`${what} failed (exit ${code}): ${stderr.trim().split('\n').slice(-5).join(' | ')}`));
        return;
      }
      resolve(JSON.parse(line) as R);
    });
  });
}

/** Runs one engine once and returns its report (the last JSON line of its standard output). */
export function runOnce(engine: Engine, options: RunOptions, timeoutMs = 600_000): Promise<RunReport> {
  return runReporting(`${engine} ${options.query}`, commandFor(engine, options), timeoutMs);
}
