// The Kafka exactly-once runs, shared by the tests (test/kafka/kafka-exactly-once.test.ts) and the
// chaos bench (`npm run bench -- kafka-chaos`): a topic of sensor readings and the window sums they
// make, the fixture job (test/fixtures/kafka-exactly-once-job.ts) run to its end or killed in a
// child process, the check that a read-committed consumer sees every window exactly once, and one
// chaos run that fails the job at a random point in one of four ways.

import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startBroker, stopBroker, type BrokerOptions } from '../../tools/kafka/broker.js';
import type { KafkaExactlyOnceArgs, WindowSum } from '../fixtures/kafka-exactly-once-job.js';
import { createTopic, produce, readTopic, uniqueTopic } from '../kafka/kafka-client.js';
import { hasCheckpoint } from './exactly-once-runs.js';

const JOB = fileURLToPath(new URL('../fixtures/kafka-exactly-once-job.js', import.meta.url));
const SENSORS = 5;

export interface KafkaRun {
  readonly args: KafkaExactlyOnceArgs;
  /** The window sums of the input, by `${sensor} ${start}`. */
  readonly expected: Map<string, WindowSum>;
  /** The run's folder (checkpoints, marker). */
  readonly dir: string;
}

/**
 * A topic of `readings` readings over 4 partitions (10 ms of event time apart), an output topic,
 * a checkpoint folder and the job's arguments (with `extra`), and the window sums expected.
 */
export async function kafkaRun(brokers: string[], extra: Partial<KafkaExactlyOnceArgs> = {}, readings = 6000): Promise<KafkaRun> {
  const input = uniqueTopic('readings');
  await createTopic(brokers, input, 4);
  const expected = new Map<string, WindowSum>();
  const messages = Array.from({ length: readings }, (_, i) => {
    const sensor = `s${i % SENSORS}`;
    const time = 1_000_000 + i * 10;
    const start = time - (time % 1000);
    const w = expected.get(`${sensor} ${start}`) ?? { sensor, start, count: 0, sum: 0 };
    expected.set(`${sensor} ${start}`, { ...w, count: w.count + 1, sum: w.sum + i });
    return { partition: i % 4, key: sensor, timestamp: String(time), value: JSON.stringify({ i, sensor, value: i }) };
  });
  await produce(brokers, input, messages);
  const output = uniqueTopic('sums');
  await createTopic(brokers, output, 2);
  const dir = mkdtempSync(join(tmpdir(), 'eddy-kafka-eo-'));
  const args: KafkaExactlyOnceArgs = {
    brokers,
    input,
    output,
    prefix: uniqueTopic('eo'),
    checkpoints: join(dir, 'checkpoints'),
    parallelism: 2,
    intervalMs: 100,
    slowEvery: 4,
    marker: join(dir, 'failed-once'),
    ...extra,
  };
  return { args, expected, dir };
}

/** Runs the job to its end in a child process: its exit status (null when killed) and its output. */
export function runToEnd(args: KafkaExactlyOnceArgs): { status: number | null; output: string } {
  const run = spawnSync(process.execPath, [JOB, JSON.stringify(args)], { encoding: 'utf8', timeout: 90_000 });
  return { status: run.status, output: `${run.stdout}${run.stderr}` };
}

/** Starts the job in a child process; `exited` resolves with its exit status (null when killed) and its output. */
export function startJob(args: KafkaExactlyOnceArgs): { kill: () => void; exited: Promise<{ status: number | null; output: string }> } {
  const child = spawn(process.execPath, [JOB, JSON.stringify(args)], { stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<{ status: number | null; output: string }>((resolve) => child.on('close', (status) => resolve({ status, output })));
  return { kill: () => child.kill('SIGKILL'), exited };
}

/** Resolves once the job completed a checkpoint (or after 30 s), then `moreMs` later. */
export async function afterFirstCheckpoint(args: KafkaExactlyOnceArgs, moreMs: number): Promise<void> {
  const started = Date.now();
  while (!hasCheckpoint(args.checkpoints) && Date.now() - started < 30_000) await new Promise((r) => setTimeout(r, 5));
  await new Promise((r) => setTimeout(r, moreMs));
}

/** What is wrong with what a read-committed consumer reads of the output (empty: every window once, nothing else). */
export async function windowProblems({ args, expected }: KafkaRun): Promise<string[]> {
  const values = (await readTopic(args.brokers, args.output, expected.size)).map((v) => JSON.parse(v) as WindowSum);
  const problems: string[] = [];
  const seen = new Map<string, number>();
  for (const w of values) {
    const id = `${w.sensor} ${w.start}`;
    seen.set(id, (seen.get(id) ?? 0) + 1);
    const want = expected.get(id);
    if (want === undefined || want.count !== w.count || want.sum !== w.sum) problems.push(`window ${id}: ${JSON.stringify(w)}, expected ${JSON.stringify(want)}`);
  }
  for (const [id, n] of seen) if (n > 1) problems.push(`window ${id} ${n} times`);
  for (const id of expected.keys()) if (!seen.has(id)) problems.push(`window ${id} missing`);
  return problems;
}

export type KafkaChaosFailure = 'throw' | 'kill' | 'kill-before-commit' | 'broker-restart';
export const KAFKA_CHAOS_FAILURES: readonly KafkaChaosFailure[] = ['throw', 'kill', 'kill-before-commit', 'broker-restart'];

export interface KafkaChaosRun {
  readonly what: string;
  readonly failure: KafkaChaosFailure;
  /** Empty: every window committed exactly once. */
  readonly problems: readonly string[];
}

/**
 * One chaos run against the broker of `broker` (its folder and ports, to restart it): a job of
 * 4-8 k readings at parallelism 1-3 that throws at a random reading; or is killed with SIGKILL at
 * a random time after its first checkpoint and restored at a random parallelism; or is killed
 * between a checkpoint's completion and its commit and restored; or sees its broker stopped at a
 * random point and started again after 0.5-3 s (and carries on or restarts from its checkpoint).
 */
export async function kafkaChaosRun(broker: BrokerOptions & { bootstrap: string }, next: () => number, label: string): Promise<KafkaChaosRun> {
  const failure = KAFKA_CHAOS_FAILURES[Math.floor(next() * KAFKA_CHAOS_FAILURES.length)]!;
  const readings = 4000 + Math.floor(next() * 4000);
  const parallelism = 1 + Math.floor(next() * 3);
  const what = `${label}: ${failure}, ${readings} readings at parallelism ${parallelism}`;
  try {
    const run = await kafkaRun([broker.bootstrap], { parallelism, ...(failure === 'throw' ? { throwAt: Math.floor(next() * readings) } : {}), ...(failure === 'kill-before-commit' ? { killBeforeCommit: true } : {}) }, readings);
    const restore = { ...run.args, killBeforeCommit: undefined, restore: true, parallelism: 1 + Math.floor(next() * 3) };
    let ended: { status: number | null; output: string };
    if (failure === 'kill') {
      const job = startJob(run.args);
      await afterFirstCheckpoint(run.args, Math.floor(next() * 800));
      job.kill();
      await job.exited;
      ended = runToEnd({ ...restore, restore: hasCheckpoint(run.args.checkpoints) });
    } else if (failure === 'kill-before-commit') {
      runToEnd(run.args);
      ended = runToEnd(restore);
    } else if (failure === 'broker-restart') {
      const job = startJob(run.args);
      await afterFirstCheckpoint(run.args, Math.floor(next() * 800));
      await stopBroker(broker.dir);
      await new Promise((r) => setTimeout(r, 500 + Math.floor(next() * 2500)));
      await startBroker(broker);
      ended = await job.exited;
    } else {
      ended = runToEnd(run.args);
    }
    if (ended.status !== 0) {
      const lines = ended.output.trim().split('\n');
      const error = lines.find((line) => /Error|error:/.test(line)) ?? lines.at(-1);
      return { what, failure, problems: [`the job did not finish (exit ${ended.status}): ${error}`] };
    }
    const problems = await windowProblems(run);
    // A failed run keeps its checkpoints, to be read; a run that held leaves nothing behind.
    if (problems.length === 0) rmSync(run.dir, { recursive: true, force: true });
    else problems.unshift(`checkpoints kept in ${run.args.checkpoints}; output topic ${run.args.output}`);
    return { what, failure, problems };
  } catch (error) {
    return { what, failure, problems: [error instanceof Error ? error.message : String(error)] };
  }
}
