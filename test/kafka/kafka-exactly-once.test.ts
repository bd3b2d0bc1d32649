// Exactly once from Kafka to Kafka, proven by failing: a job reading sensor readings from a topic,
// windowing them per sensor and writing the window sums to another topic with an exactly-once
// KafkaSink, run in a child process that throws once, is killed with SIGKILL mid-way and
// restored (at another parallelism), or is killed right after a checkpoint completed and before
// its transaction was committed. A read-committed consumer must see every window exactly once.

import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import type { KafkaExactlyOnceArgs, WindowSum } from '../fixtures/kafka-exactly-once-job.js';
import { hasCheckpoint } from '../it/exactly-once-runs.js';
import { createTopic, produce, readTopic, uniqueTopic } from './kafka-client.js';
import { useTestBroker } from './test-broker.js';

const { brokers } = useTestBroker();
const JOB = fileURLToPath(new URL('../fixtures/kafka-exactly-once-job.js', import.meta.url));
const READINGS = 6000;
const SENSORS = 5;

/** A topic of READINGS readings over 4 partitions, 10 ms of event time apart, and the window sums they make. */
async function readingsTopic(): Promise<{ input: string; expected: Map<string, WindowSum> }> {
  const input = uniqueTopic('readings');
  await createTopic(brokers(), input, 4);
  const expected = new Map<string, WindowSum>();
  const messages = Array.from({ length: READINGS }, (_, i) => {
    const sensor = `s${i % SENSORS}`;
    const time = 1_000_000 + i * 10;
    const start = time - (time % 1000);
    const w = expected.get(`${sensor} ${start}`) ?? { sensor, start, count: 0, sum: 0 };
    expected.set(`${sensor} ${start}`, { ...w, count: w.count + 1, sum: w.sum + i });
    return { partition: i % 4, key: sensor, timestamp: String(time), value: JSON.stringify({ i, sensor, value: i }) };
  });
  await produce(brokers(), input, messages);
  return { input, expected };
}

async function setUp(extra: Partial<KafkaExactlyOnceArgs> = {}): Promise<{ args: KafkaExactlyOnceArgs; expected: Map<string, WindowSum> }> {
  const { input, expected } = await readingsTopic();
  const output = uniqueTopic('sums');
  await createTopic(brokers(), output, 2);
  const dir = mkdtempSync(join(tmpdir(), 'eddy-kafka-eo-'));
  const args: KafkaExactlyOnceArgs = {
    brokers: brokers(),
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
  return { args, expected };
}

function runToEnd(args: KafkaExactlyOnceArgs): { status: number | null; output: string } {
  const run = spawnSync(process.execPath, [JOB, JSON.stringify(args)], { encoding: 'utf8', timeout: 90_000 });
  return { status: run.status, output: `${run.stdout}${run.stderr}` };
}

/** Every window once, and nothing else, in what a read-committed consumer reads of the output. */
async function assertExactlyOnce(args: KafkaExactlyOnceArgs, expected: Map<string, WindowSum>): Promise<void> {
  const values = (await readTopic(brokers(), args.output, expected.size)).map((v) => JSON.parse(v) as WindowSum);
  const seen = new Map<string, number>();
  for (const w of values) {
    const id = `${w.sensor} ${w.start}`;
    seen.set(id, (seen.get(id) ?? 0) + 1);
    assert.deepEqual(w, expected.get(id), `window ${id} holds its readings`);
  }
  const twice = [...seen].filter(([, n]) => n > 1).map(([id]) => id);
  const missing = [...expected.keys()].filter((id) => !seen.has(id));
  assert.deepEqual({ twice, missing }, { twice: [], missing: [] });
}

describe('Kafka to Kafka, exactly once', () => {
  it('a user function that throws once: the job restarts from its checkpoint and every window is committed once', async () => {
    const { args, expected } = await setUp({ throwAt: 3000 });
    const run = runToEnd(args);
    assert.equal(run.status, 0, run.output);
    await assertExactlyOnce(args, expected);
  });

  it('SIGKILL of the whole process mid-way, restored at another parallelism: every window once', async () => {
    const { args, expected } = await setUp();
    const child = spawn(process.execPath, [JOB, JSON.stringify(args)], { stdio: 'ignore' });
    const exited = new Promise((resolve) => child.on('exit', resolve));
    const started = Date.now();
    while (!hasCheckpoint(args.checkpoints) && Date.now() - started < 30_000) await new Promise((r) => setTimeout(r, 5));
    await new Promise((r) => setTimeout(r, 300));
    child.kill('SIGKILL');
    await exited;
    assert.ok(hasCheckpoint(args.checkpoints), 'a checkpoint completed before the kill');
    const run = runToEnd({ ...args, parallelism: 3, restore: true });
    assert.equal(run.status, 0, run.output);
    await assertExactlyOnce(args, expected);
  });

  it('SIGKILL after a checkpoint completed and before its transaction was committed: the restore commits it, every window once', async () => {
    const { args, expected } = await setUp({ killBeforeCommit: true });
    const killed = runToEnd(args);
    assert.equal(killed.status, null, 'the process was killed at the commit');
    const run = runToEnd({ ...args, killBeforeCommit: undefined, restore: true });
    assert.equal(run.status, 0, run.output);
    await assertExactlyOnce(args, expected);
  });
});
