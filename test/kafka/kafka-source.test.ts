// KafkaSource against the real broker: partitions split over 1, 2 and 4 subtasks, each record read
// once with its key, headers, partition, offset and Kafka timestamp; bounded mode; watermarks per
// partition (a slow partition holds windows back, an idle one stalls them without withIdleness and
// not with it); each bad-record policy; offsets restored from a checkpoint after a failure and at
// another parallelism; offsets committed to the group and read back with startingOffsets committed;
// and the broker stopped and started again mid-job.

import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { KafkaSource, runJob, StreamError, type JobClient } from '../../src/index.js';
import { freePort, startBroker, stopBroker } from '../../tools/kafka/broker.js';
import type { KafkaReadArgs, ReadRecord } from '../fixtures/kafka-read-job.js';
import { finalSums } from '../fixtures/checkpointed-sum.js';
import { fixtureUrl, PARALLELISMS } from '../harness/run-fixture.js';
import { createTopic, produce, testKafka, uniqueTopic } from './kafka-client.js';
import { useTestBroker } from './test-broker.js';

const { brokers } = useTestBroker();

function run(args: KafkaReadArgs): Promise<JobClient> {
  return runJob(fixtureUrl('kafka-read-job'), { parallelism: args.parallelism ?? 1, args, jobName: 'kafka read' });
}

async function collected<T>(client: JobClient): Promise<T[]> {
  return (await client.result).collected[0] as T[];
}

/** `count` numbered JSON records over `partitions` partitions (n on partition n % partitions). */
async function numbersTopic(count: number, partitions: number): Promise<string> {
  const topic = uniqueTopic('numbers');
  await createTopic(brokers(), topic, partitions);
  await produce(brokers(), topic, Array.from({ length: count }, (_, n) => ({ partition: n % partitions, value: JSON.stringify(n) })));
  return topic;
}

const scratch = (): string => mkdtempSync(join(tmpdir(), 'eddy-kafka-source-'));

describe('KafkaSource', () => {
  it('refuses bad options before the job runs, saying what to write', () => {
    const base = { brokers: ['127.0.0.1:9092'], topics: ['t'], groupId: 'g' };
    assert.throws(() => KafkaSource.create({ ...base, brokers: [] }), /brokers must be a non-empty list/);
    assert.throws(() => KafkaSource.create({ ...base, brokers: ['localhost'] }), /is not "host:port"/);
    assert.throws(() => KafkaSource.create({ ...base, topics: [] }), /topics must be a non-empty list/);
    assert.throws(() => KafkaSource.create({ ...base, groupId: '' }), /groupId must be a non-empty string/);
    assert.throws(() => KafkaSource.create({ ...base, startingOffsets: 'newest' as never }), /startingOffsets "newest" is not/);
    assert.throws(() => KafkaSource.create({ ...base, startingOffsets: { 't-x': 1 } }), /is not "<topic>-<partition>"/);
    assert.throws(() => KafkaSource.create({ ...base, deserializer: 'xml' as never }), /deserializer "xml" is not one of/);
    assert.throws(() => KafkaSource.create({ ...base, onDeserializationError: 'ignore' as never }), /onDeserializationError must be/);
    assert.throws(() => KafkaSource.create({ ...base, brokerTimeoutMs: -1 }), /brokerTimeoutMs must be a positive number/);
  });

  for (const parallelism of PARALLELISMS) {
    it(`reads every record of 4 partitions once at parallelism ${parallelism}, with key, headers, partition, offset and Kafka timestamp`, async () => {
      const topic = uniqueTopic('records');
      await createTopic(brokers(), topic, 4);
      const count = 400;
      await produce(
        brokers(),
        topic,
        Array.from({ length: count }, (_, n) => ({ partition: n % 4, key: `k${n}`, value: JSON.stringify(n), timestamp: String(1_700_000_000_000 + n), headers: { h: `v${n}` } })),
      );
      const records = await collected<ReadRecord>(await run({ mode: 'records', parallelism, wholeRecord: true, source: { brokers: brokers(), topics: [topic], groupId: uniqueTopic('g'), bounded: true } }));
      assert.equal(records.length, count);
      const byValue = new Map(records.map((r) => [r.value as number, r]));
      assert.equal(byValue.size, count, 'each record once');
      for (let n = 0; n < count; n++) {
        const r = byValue.get(n)!;
        assert.deepEqual([r.partition, r.offset, r.timestamp, r.key, r.headers?.['h']], [n % 4, Math.floor(n / 4), 1_700_000_000_000 + n, `k${n}`, `v${n}`]);
      }
    });
  }

  it('bounded: starts at the chosen offsets and ends at the offsets that were the latest at the start', async () => {
    const topic = await numbersTopic(40, 2);
    const source = { brokers: brokers(), topics: [topic], groupId: uniqueTopic('g'), bounded: true };
    const explicit = await collected<ReadRecord>(await run({ mode: 'records', source: { ...source, startingOffsets: { [`${topic}-0`]: 15 } } }));
    // Partition 0 holds the even numbers (offset k = 2k); from offset 15: 30, 32, ... 38; partition 1 whole.
    const expected = [30, 32, 34, 36, 38, ...Array.from({ length: 20 }, (_, k) => 2 * k + 1)].sort((a, b) => a - b);
    assert.deepEqual(explicit.map((r) => r.value as number).sort((a, b) => a - b), expected);
    const latest = await collected<ReadRecord>(await run({ mode: 'records', source: { ...source, startingOffsets: 'latest' } }));
    assert.deepEqual(latest, [], 'latest: nothing to read in a bounded job');
  });

  it('commits the offsets of completed checkpoints to its group, and startingOffsets committed resumes there (the first record where the group has none)', async () => {
    const topic = await numbersTopic(40, 2);
    const groupId = uniqueTopic('g');
    const out = join(scratch(), 'records.jsonl');
    const client = await run({ mode: 'records', out, checkpoints: { dir: scratch(), intervalMs: 200 }, source: { brokers: brokers(), topics: [topic], groupId } });
    await until(() => readLines(out).length >= 40, 20_000);
    const admin = testKafka(brokers()).admin();
    await admin.connect();
    const committed = async (): Promise<string[]> => (await admin.fetchOffsets({ groupId, topics: [topic] }))[0]!.partitions.map((p) => `${p.partition}:${p.offset}`).sort();
    // Within a few checkpoints of reading everything the group has each partition's end.
    const deadline = Date.now() + 10_000;
    while ((await committed()).join() !== '0:20,1:20' && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
    assert.deepEqual(await committed(), ['0:20', '1:20']);
    await admin.disconnect();
    await client.cancel();
    await client.result.catch(() => undefined);
    // Ten more records, and a topic the group never read: from the committed offsets, and that topic whole.
    await produce(brokers(), topic, Array.from({ length: 10 }, (_, k) => ({ partition: k % 2, value: JSON.stringify(100 + k) })));
    const other = await numbersTopic(4, 1);
    const resumed = await collected<ReadRecord>(await run({ mode: 'records', source: { brokers: brokers(), topics: [topic, other], groupId, bounded: true, startingOffsets: 'committed' } }));
    assert.deepEqual(resumed.map((r) => r.value as number).sort((a, b) => a - b), [0, 1, 2, 3, ...Array.from({ length: 10 }, (_, k) => 100 + k)]);
  });

  it('generates watermarks per partition: a partition behind holds windows back, an idle one stalls them unless withIdleness is set', async () => {
    // Partition 1: times 0..1900, then nothing; a second later partition 0: times 0..9900.
    const fired = async (idlenessMs: number | undefined, windows: number): Promise<{ p: number; start: number; count: number }[]> => {
      const topic = uniqueTopic('watermarks');
      await createTopic(brokers(), topic, 2);
      const out = join(scratch(), 'windows.jsonl');
      const client = await run({ mode: 'windows', windowMs: 1000, idlenessMs, out, source: { brokers: brokers(), topics: [topic], groupId: uniqueTopic('g') } });
      await produce(brokers(), topic, Array.from({ length: 20 }, (_, k) => ({ partition: 1, value: JSON.stringify({ p: 1, n: k }), timestamp: String(k * 100) })));
      await new Promise((r) => setTimeout(r, 1_000));
      await produce(brokers(), topic, Array.from({ length: 100 }, (_, k) => ({ partition: 0, value: JSON.stringify({ p: 0, n: k }), timestamp: String(k * 100) })));
      // Until the windows expected fired, then a while longer: nothing else may fire.
      await until(() => readLines(out).length >= windows, 20_000).catch(() => undefined);
      await new Promise((r) => setTimeout(r, 1_500));
      await client.cancel();
      await client.result.catch(() => undefined);
      return readLines(out);
    };
    // Without idleness the watermark is min(9899, 1899) = 1899: only the windows ending by 1000 fire, none late.
    const stalled = await fired(undefined, 2);
    assert.deepEqual(stalled.sort((a, b) => a.p - b.p), [{ p: 0, start: 0, count: 10 }, { p: 1, start: 0, count: 10 }]);
    // With idleness partition 1 drops out once quiet (partition 0 is still active): partition 0's windows up to 8000 fire, and partition 1's second one.
    const idle = await fired(300, 11);
    const starts = (p: number): number[] => idle.filter((w) => w.p === p).map((w) => w.start).sort((a, b) => a - b);
    assert.deepEqual(starts(0), [0, 1000, 2000, 3000, 4000, 5000, 6000, 7000, 8000]);
    assert.deepEqual(starts(1), [0, 1000]);
    assert.ok(idle.every((w) => w.count === 10), 'no record was late');
  });

  it('reads committed records only, also when a transaction that began earlier was aborted later', async () => {
    const topic = uniqueTopic('aborted');
    await createTopic(brokers(), topic, 1);
    const kafka = testKafka(brokers());
    const producers = [kafka.producer({ transactionalId: `${topic}-b`, idempotent: true, maxInFlightRequests: 1 }), kafka.producer({ transactionalId: `${topic}-c`, idempotent: true, maxInFlightRequests: 1 })];
    for (const p of producers) await p.connect();
    const b = await producers[0]!.transaction();
    await b.send({ topic, messages: [{ value: '"b"' }] });
    const c = await producers[1]!.transaction();
    await c.send({ topic, messages: [{ value: '"c"' }] });
    // Aborted in the other order than they began: kafkajs's own filter lets "b" through.
    await c.abort();
    await b.abort();
    for (const p of producers) await p.disconnect();
    await produce(brokers(), topic, [{ value: '"d"' }]);
    const records = await collected<ReadRecord>(await run({ mode: 'records', source: { brokers: brokers(), topics: [topic], groupId: uniqueTopic('g'), bounded: true } }));
    assert.deepEqual(records.map((r) => r.value), ['d']);
  });

  it("'fail' fails the job naming the record's topic, partition and offset, with its bytes", async () => {
    const topic = uniqueTopic('bad');
    await createTopic(brokers(), topic, 1);
    await produce(brokers(), topic, [{ value: '1' }, { value: 'not json{' }, { value: '3' }]);
    const client = await run({ mode: 'records', source: { brokers: brokers(), topics: [topic], groupId: uniqueTopic('g'), bounded: true } });
    await assert.rejects(client.result, (e: unknown) => {
      assert.ok(e instanceof StreamError);
      assert.match(e.message, new RegExp(`topic "${topic}", partition 0, offset 1 could not be read as json`));
      assert.match(e.message, /"not json\{"/);
      assert.match(e.message, /onDeserializationError: 'skip'/);
      return true;
    });
  });

  it("'skip' drops a bad record and counts it in the job's metrics; a dead-letter tag carries the raw record and the error", async () => {
    const topic = uniqueTopic('bad');
    await createTopic(brokers(), topic, 1);
    await produce(brokers(), topic, [{ value: '1' }, { value: 'not json{' }, { value: '3' }]);
    const source = { brokers: brokers(), topics: [topic], groupId: uniqueTopic('g'), bounded: true };
    const skipped = await (await run({ mode: 'records', policy: 'skip', source })).result;
    assert.deepEqual((skipped.collected[0] as ReadRecord[]).map((r) => r.value), [1, 3]);
    assert.equal(skipped.metrics.filter((m) => m.name === 'Kafka').reduce((sum, m) => sum + m.recordsSkipped, 0), 1);
    const dead = await collected<ReadRecord>(await run({ mode: 'records', policy: 'dead-letter', source }));
    assert.deepEqual(dead.filter((r) => r.dead === undefined).map((r) => r.value).sort(), [1, 3]);
    const letters = dead.filter((r) => r.dead !== undefined);
    assert.equal(letters.length, 1);
    assert.equal(letters[0]!.offset, 1);
    assert.match(letters[0]!.dead!, /^not json\{ \| .*offset 1 could not be read as json/);
  });

  it('resumes from the offsets of the checkpoint after a failure, and a restore at another parallelism reads each record once', async () => {
    const count = 3000;
    const keys = 4;
    const topic = await numbersTopic(count, 4);
    const dir = scratch();
    const source = { brokers: brokers(), topics: [topic], groupId: uniqueTopic('g'), bounded: true };
    // Run 1 at parallelism 2 fails once after a checkpoint and restarts from it: the sums hold every record once.
    // Paced at 1 ms per 2 records, so that a first checkpoint (up to half a second on a loaded
    // 2-core machine) completes before the readers are past 1500.
    const restarted = await (
      await run({ mode: 'sum', parallelism: 2, keys, slowEvery: 2, failAt: 1500, marker: join(dir, 'threw'), source, checkpoints: { dir: join(dir, 'a'), intervalMs: 50, restartStrategy: { type: 'fixed-delay', attempts: 2, delayMs: 10 } } })
    ).result;
    assert.equal(restarted.restarts, 1);
    assert.deepEqual(lastSums(restarted.collected[0] as { key: number; n: number }[], keys), finalSums(count, keys));
    // Run 2 fails without restarts; run 3 restores its newest checkpoint at parallelism 3 and finishes the sums.
    const failed = await run({ mode: 'sum', parallelism: 2, keys, slowEvery: 2, failAt: 1500, marker: join(dir, 'threw-b'), source, checkpoints: { dir: join(dir, 'b'), intervalMs: 50, restartStrategy: { type: 'none' } } });
    await assert.rejects(failed.result, /planned failure/);
    const resumed = await (await run({ mode: 'sum', parallelism: 3, keys, source, checkpoints: { dir: join(dir, 'b'), intervalMs: 50, restore: 'latest' } })).result;
    assert.deepEqual(lastSums(resumed.collected[0] as { key: number; n: number }[], keys), finalSums(count, keys));
  });

  it('rides out a broker restart mid-job, and fails after brokerTimeoutMs naming the broker when it stays down', async () => {
    const dir = scratch();
    const port = await freePort();
    const controllerPort = await freePort();
    const own = [(await startBroker({ dir, port, controllerPort })).bootstrap];
    try {
      const topic = uniqueTopic('restart');
      await createTopic(own, topic, 2);
      await produce(own, topic, Array.from({ length: 100 }, (_, n) => ({ partition: n % 2, value: JSON.stringify(n) })));
      const out = join(dir, 'records.jsonl');
      const client = await run({ mode: 'records', parallelism: 2, out, source: { brokers: own, topics: [topic], groupId: uniqueTopic('g'), brokerTimeoutMs: 60_000 } });
      await until(() => readLines(out).length >= 100, 20_000);
      await stopBroker(dir);
      await new Promise((r) => setTimeout(r, 1_000));
      await startBroker({ dir, port, controllerPort });
      await produce(own, topic, Array.from({ length: 100 }, (_, n) => ({ partition: n % 2, value: JSON.stringify(100 + n) })));
      await until(() => readLines(out).length >= 200, 40_000);
      await new Promise((r) => setTimeout(r, 500));
      await client.cancel();
      await client.result.catch(() => undefined);
      const values = readLines<ReadRecord>(out).map((r) => r.value as number).sort((a, b) => a - b);
      assert.deepEqual(values, Array.from({ length: 200 }, (_, n) => n), 'every record once, across the restart');

      await stopBroker(dir);
      const down = await run({ mode: 'records', source: { brokers: own, topics: [topic], groupId: uniqueTopic('g'), brokerTimeoutMs: 1_500 } });
      await assert.rejects(down.result, (e: unknown) => {
        assert.ok(e instanceof StreamError);
        assert.match(e.message, new RegExp(`no answer from the brokers ${own[0]!.replace('.', '\\.')}`));
        assert.match(e.message, /brokerTimeoutMs/);
        return true;
      });
    } finally {
      await stopBroker(dir);
    }
  });
});

function readLines<T = { p: number; start: number; count: number }>(file: string): T[] {
  return existsSync(file) ? readFileSync(file, 'utf8').split('\n').filter(Boolean).map((line) => JSON.parse(line) as T) : [];
}

async function until(condition: () => boolean, ms: number): Promise<void> {
  const deadline = Date.now() + ms;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`not within ${ms} ms`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** The last (largest) running sum of each key. */
function lastSums(records: readonly { key: number; n: number }[], keys: number): number[] {
  const sums = new Array<number>(keys).fill(0);
  for (const r of records) sums[r.key] = Math.max(sums[r.key]!, r.n);
  return sums;
}
