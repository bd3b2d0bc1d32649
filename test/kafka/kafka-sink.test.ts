// KafkaSink against the real broker: its options are checked with sentences saying what to change,
// and an exactly-once sink refuses a job without checkpoints or with too short a transaction
// timeout; 'none' and 'at-least-once' jobs deliver every record, at least once waits for the acks
// at the barrier, a failed send fails a later call, and brokers that never answer fail with
// BROKER_UNAVAILABLE; exactly once, a read-committed consumer sees nothing before the checkpoint
// completes and every record once after, slots stay dense, transactions a crash left open under
// the sink's ids (also a removed subtask's) are aborted at the start, a recorded transaction is
// committed on restore (again harmlessly), and the handle of a committed transaction never
// commits a later one of its slot.

import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { after, describe, it } from 'node:test';
import { createHarness, runJob, StreamError, type DataStream, type HarnessSnapshot, type OperatorHarness, type Sink } from '../../src/index.js';
import { COMMIT_UNCERTAIN_WARNING, KafkaSink, type KafkaSinkOptions, type KafkaSinkTransaction } from '../../src/connectors/kafka/kafka-sink.js';
import { createTransactionalProducer } from '../../src/connectors/kafka/kafka-transactions.js';
import type { KafkaSinkJobArgs } from '../fixtures/kafka-sink-job.js';
import { createTopic, readTopic, testKafka, uniqueTopic } from './kafka-client.js';
import { useTestBroker } from './test-broker.js';
import { warningsDuring } from '../harness/logs.js';

const { brokers } = useTestBroker();
const base = mkdtempSync(join(tmpdir(), 'eddy-kafka-sink-'));
after(() => rmSync(base, { recursive: true, force: true }));
const JOB = new URL('../fixtures/kafka-sink-job.js', import.meta.url);

/** The end offsets of `topic` as a read-committed consumer sees them (the last stable offsets), summed over its partitions. */
async function committedEnd(topic: string): Promise<number> {
  const admin = testKafka(brokers()).admin();
  await admin.connect();
  try {
    return (await admin.fetchTopicOffsets(topic)).reduce((sum, p) => sum + Number(p.high), 0);
  } finally {
    await admin.disconnect();
  }
}

function range(from: number, to: number): number[] {
  return Array.from({ length: to - from }, (_, i) => from + i);
}

/** The numbers in values (`{"n":5}` or `5`), sorted. */
function numbers(values: readonly string[]): number[] {
  return values
    .map((v) => {
      const parsed = JSON.parse(v) as number | { n: number };
      return typeof parsed === 'number' ? parsed : parsed.n;
    })
    .sort((a, b) => a - b);
}

async function harness<T>(sink: Sink<T, KafkaSinkTransaction>, restore?: HarnessSnapshot): Promise<OperatorHarness<T, T>> {
  const into = (s: DataStream<T>): DataStream<T> => {
    s.sinkTo(sink);
    return s;
  };
  return createHarness(into, restore === undefined ? {} : { restoreFrom: restore });
}

/** `sink`, noting the transactions its committer commits. */
function noting<T>(sink: Sink<T, KafkaSinkTransaction>, committed: KafkaSinkTransaction[]): Sink<T, KafkaSinkTransaction> {
  return {
    createWriter: (ctx) => sink.createWriter(ctx),
    createCommitter: async (ctx) => {
      const committer = await sink.createCommitter!(ctx);
      return { commit: async (txns) => (committed.push(...txns), committer.commit(txns)), abort: (txns) => committer.abort?.(txns) };
    },
  };
}

function exactlyOnce<T>(topic: string, prefix: string, extra: Partial<KafkaSinkOptions<T>> = {}): Sink<T, KafkaSinkTransaction> {
  return KafkaSink.create<T>({ brokers: brokers(), topic, deliveryGuarantee: 'exactly-once', transactionalIdPrefix: prefix, serializer: (v) => String(v), ...extra });
}

describe('KafkaSink options', () => {
  const ok = { brokers: ['127.0.0.1:9092'], topic: 'out' };
  const refused = (options: unknown, message: RegExp): void => {
    assert.throws(
      () => KafkaSink.create(options as KafkaSinkOptions<unknown>),
      (e: unknown) => e instanceof StreamError && e.code === 'INVALID_ARGUMENT' && message.test(e.message),
    );
  };

  it('are refused with a sentence saying what to change', () => {
    refused({ ...ok, brokers: [] }, /brokers must be a non-empty list of "host:port" strings/);
    refused({ ...ok, brokers: ['localhost'] }, /broker "localhost" is not "host:port"/);
    refused({ brokers: ok.brokers }, /topic is missing: name the topic/);
    refused({ ...ok, topic: 42 }, /topic must be a topic name or a function of the record that returns one, not number 42/);
    refused({ ...ok, deliveryGuarantee: 'twice' }, /deliveryGuarantee must be one of 'none', 'at-least-once', 'exactly-once', not "twice"/);
    refused({ ...ok, deliveryGuarantee: 'exactly-once' }, /'exactly-once' needs a transactionalIdPrefix/);
    refused({ ...ok, key: 'id' }, /key must be a function of the record, not "id"/);
    refused({ ...ok, serializer: JSON }, /serializer must be a function of the record, not an object/);
    refused({ ...ok, transactionTimeoutMs: -1 }, /transactionTimeoutMs must be a positive number of milliseconds/);
    refused({ ...ok, brokerTimeoutMs: '1s' }, /brokerTimeoutMs must be a positive number of milliseconds/);
    assert.ok(KafkaSink.create({ ...ok, topic: (v: { t: string }) => v.t }).createWriter);
  });

  it("exactly-once refuses a job without checkpoints, and a transaction timeout that does not outlast a checkpoint interval and a restart", () => {
    const sink = KafkaSink.create({ ...ok, deliveryGuarantee: 'exactly-once', transactionalIdPrefix: 'p' });
    assert.throws(() => sink.checkJob!({ checkpointIntervalMs: undefined, restartDelayMs: 0 }), /exactly-once' commits at checkpoints: call env\.enableCheckpointing\(ms\)/);
    assert.throws(
      () => sink.checkJob!({ checkpointIntervalMs: 45_000, restartDelayMs: 5_000 }),
      (e: unknown) =>
        e instanceof StreamError &&
        e.code === 'INVALID_ARGUMENT' &&
        /transactionTimeoutMs \(60000 ms\) must exceed the checkpoint interval \(45000 ms\) \+ the restart delay \(5000 ms\) \+ 10 s to restart = 60000 ms/.test(e.message) &&
        /Set transactionTimeoutMs to more than 60000 \(the broker caps it at transaction\.max\.timeout\.ms, 15 min by default\)/.test(e.message),
    );
    sink.checkJob!({ checkpointIntervalMs: 45_000, restartDelayMs: 4_999 });
    const longer = KafkaSink.create({ ...ok, deliveryGuarantee: 'exactly-once', transactionalIdPrefix: 'p', transactionTimeoutMs: 300_000 });
    longer.checkJob!({ checkpointIntervalMs: 120_000, restartDelayMs: 10_000 });
    assert.equal(KafkaSink.create(ok).checkJob, undefined, 'at least once needs no checkpoints');
  });

  it('a job with an exactly-once sink and no checkpoints is refused before it runs', async () => {
    const args: KafkaSinkJobArgs = { brokers: brokers(), topic: uniqueTopic('never'), count: 10, perMs: 10, deliveryGuarantee: 'exactly-once', transactionalIdPrefix: uniqueTopic('never') };
    await assert.rejects(async () => (await runJob(JOB, { parallelism: 1, args })).result, /commits at checkpoints: call env\.enableCheckpointing\(ms\)/);
  });
});

describe("KafkaSink 'none' and 'at-least-once'", () => {
  for (const deliveryGuarantee of ['none', 'at-least-once'] as const) {
    it(`'${deliveryGuarantee}': a job at parallelism 2 delivers every record`, async () => {
      const topic = uniqueTopic(`sink-${deliveryGuarantee}`);
      await createTopic(brokers(), topic, 3);
      const checkpoints = deliveryGuarantee === 'at-least-once' ? { intervalMs: 50, checkpoints: join(base, topic) } : {};
      const args: KafkaSinkJobArgs = { brokers: brokers(), topic, count: 3000, perMs: 10, deliveryGuarantee, ...checkpoints };
      const result = await (await runJob(JOB, { parallelism: 2, args })).result;
      if (deliveryGuarantee === 'at-least-once') assert.ok(result.checkpoints.some((c) => c.status === 'completed'));
      assert.deepEqual(numbers(await readTopic(brokers(), topic, 3000)), range(0, 3000));
    });
  }

  it("'at-least-once': the checkpoint's barrier waits until every record before it is acknowledged", async () => {
    const topic = uniqueTopic('sink-barrier');
    await createTopic(brokers(), topic, 2);
    const h = await harness(KafkaSink.create<number>({ brokers: brokers(), topic, key: (n) => String(n) }));
    for (const n of range(0, 500)) h.processElement(n);
    assert.equal(await committedEnd(topic), 0, 'buffered, not sent: the harness never said the input was drained');
    await h.snapshot(1);
    assert.equal(await committedEnd(topic), 500, 'every record is in Kafka once the snapshot returns');
    await h.close();
  });

  it("'none': a send that fails fails a later call of the writer", async () => {
    const topic = uniqueTopic('sink-too-large');
    await createTopic(brokers(), topic, 1);
    const h = await harness(KafkaSink.create<string>({ brokers: brokers(), topic, deliveryGuarantee: 'none', serializer: (s) => s }));
    h.processElement('x'.repeat(2_000_000)); // over the broker's message.max.bytes: sent at once, refused
    let failure: unknown;
    for (let i = 0; i < 100 && failure === undefined; i++) {
      await sleep(50);
      try {
        h.processElement('small');
      } catch (error) {
        failure = error;
      }
    }
    assert.match(String((failure as Error | undefined)?.message), /too large|larger than/i);
    await h.close();
  });

  it('brokers that never answer fail the writer with BROKER_UNAVAILABLE after brokerTimeoutMs, naming them', async () => {
    const sink = KafkaSink.create<number>({ brokers: ['127.0.0.1:9'], topic: 'nowhere', brokerTimeoutMs: 300 });
    await assert.rejects(harness(sink), (e: unknown) => e instanceof StreamError && e.code === 'BROKER_UNAVAILABLE' && /127\.0\.0\.1:9/.test(e.message) && /brokerTimeoutMs/.test(e.message));
  });
});

describe("KafkaSink 'exactly-once'", () => {
  it('a read-committed consumer sees nothing before the checkpoint completes, and every record once after; slots stay dense', async () => {
    const topic = uniqueTopic('eo-visible');
    await createTopic(brokers(), topic, 2);
    const prefix = uniqueTopic('eo-visible');
    const committed: KafkaSinkTransaction[] = [];
    const h = await harness(noting(exactlyOnce<number>(topic, prefix, { key: (n) => String(n) }), committed));
    for (const n of range(0, 300)) h.processElement(n);
    await h.snapshot(1);
    assert.equal(await committedEnd(topic), 0, 'pre-committed, not committed: read-committed consumers see nothing');
    assert.equal((await readTopic(brokers(), topic, 300, { committed: false })).length, 300, 'the pre-commit sent every record and waited for the acks');
    await h.notifyCheckpointComplete(1);
    for (const n of range(300, 400)) h.processElement(n);
    await h.snapshot(2);
    for (const n of range(400, 450)) h.processElement(n);
    await h.snapshot(3); // checkpoint 2 never completes: its transaction commits with 3's
    await h.notifyCheckpointComplete(3);
    for (const id of [4, 5, 6]) {
      await h.snapshot(id); // checkpoints without records: their transactions reach no broker, and their slots are used again
      await h.notifyCheckpointComplete(id);
    }
    for (const n of range(450, 460)) h.processElement(n);
    await h.snapshot(7);
    await h.notifyCheckpointComplete(7);
    for (const n of range(460, 470)) h.processElement(n); // never checkpointed: aborted by close
    await h.close();
    assert.deepEqual(
      committed.map((t) => [t.transactionalId.slice(prefix.length), t.records]),
      [
        ['-0-0', 300],
        ['-0-1', 100],
        ['-0-0', 50],
        ['-0-2', 0],
        ['-0-0', 0],
        ['-0-1', 0],
        ['-0-0', 10],
      ],
      'each transaction takes the smallest free slot',
    );
    assert.deepEqual(numbers(await readTopic(brokers(), topic, 460)), range(0, 460));
  });

  it("transactions a crash left open under the sink's ids, also a removed subtask's, are aborted when the writer starts, so they hold back no reader", async () => {
    const topic = uniqueTopic('eo-strays');
    await createTopic(brokers(), topic, 1);
    const prefix = uniqueTopic('eo-strays');
    // The crashed run, at parallelism 2: subtask 0 committed one transaction and left its next open; subtask 1 left one open.
    const kafka = testKafka(brokers());
    const done = await createTransactionalProducer(kafka, `${prefix}-0-0`, 60_000);
    await done.begin();
    await done.send([{ topic, messages: [{ value: 'committed' }] }]);
    await done.commit();
    await done.close();
    for (const id of [`${prefix}-0-1`, `${prefix}-1-0`]) {
      const stray = await createTransactionalProducer(kafka, id, 60_000);
      await stray.begin();
      await stray.send([{ topic, messages: [{ value: `stray ${id}` }] }]);
      await stray.close();
    }
    // The new run, at parallelism 1 (subtask 1 no longer exists).
    const h = await harness(exactlyOnce<string>(topic, prefix));
    for (const v of ['fresh 1', 'fresh 2']) h.processElement(v);
    await h.snapshot(1);
    await h.notifyCheckpointComplete(1);
    await h.close();
    // One partition: an open stray before the fresh records would keep them from read-committed readers.
    assert.deepEqual(await readTopic(brokers(), topic, 3, { ms: 8000 }), ['committed', 'fresh 1', 'fresh 2']);
  });

  it('a restore commits the transaction its checkpoint recorded, before the writer starts; committing it again is harmless', async (t) => {
    const topic = uniqueTopic('eo-restore');
    await createTopic(brokers(), topic, 2);
    const prefix = uniqueTopic('eo-restore');
    const crashed = await harness(exactlyOnce<string>(topic, prefix));
    t.after(() => crashed.close()); // its producers are fenced by the restores: closing still works
    for (const v of ['x1', 'x2', 'x3']) crashed.processElement(v);
    const snapshot = await crashed.snapshot(1);
    // The process dies here: checkpoint 1 completed, its commit never ran. A new process (a new sink object) restores.
    const committed: KafkaSinkTransaction[] = [];
    const { warnings } = await warningsDuring(COMMIT_UNCERTAIN_WARNING, async () => {
      const restored = await harness(noting(exactlyOnce<string>(topic, prefix), committed), snapshot);
      assert.deepEqual(committed.map((t) => [t.transactionalId, t.records]), [[`${prefix}-0-0`, 3]], 'committed by its recorded handle when the subtask opened');
      await restored.close();
      // It crashed again after that commit: the next restore commits the same handle again.
      const again = await harness(exactlyOnce<string>(topic, prefix), snapshot);
      again.processElement('y');
      await again.snapshot(2);
      await again.notifyCheckpointComplete(2);
      await again.close();
    });
    assert.deepEqual(warnings, [], 'committed again within the transaction timeout: known to be committed');
    assert.deepEqual((await readTopic(brokers(), topic, 4)).sort(), ['x1', 'x2', 'x3', 'y']);
  });

  it("the handle of a committed transaction does not commit a later one of its slot: a restore from an older checkpoint commits only that checkpoint's", async (t) => {
    const topic = uniqueTopic('eo-reuse');
    await createTopic(brokers(), topic, 1);
    const prefix = uniqueTopic('eo-reuse');
    const first = await harness(exactlyOnce<string>(topic, prefix));
    t.after(() => first.close());
    first.processElement('a');
    const checkpoint1 = await first.snapshot(1); // records slot 0's transaction
    await first.notifyCheckpointComplete(1); // ... and commits it
    await first.snapshot(2); // slot 1's transaction (empty: see the note below), never committed
    first.processElement('c');
    await first.snapshot(3); // slot 0 again, never committed
    // Restored from checkpoint 1: its slot-0 handle is committed again; it must not commit 'c'.
    // (Slot 1's transaction holds nothing: kafkajs's consumer shows records of an aborted
    // transaction when the broker lists the aborted transactions of a fetch out of the order of
    // their first offsets, as it does when a later-begun transaction was aborted first.)
    const { warnings } = await warningsDuring(COMMIT_UNCERTAIN_WARNING, async () => {
      const restored = await harness(exactlyOnce<string>(topic, prefix), checkpoint1);
      restored.processElement('d');
      await restored.snapshot(2);
      await restored.notifyCheckpointComplete(2);
      await restored.close();
    });
    assert.deepEqual(warnings, []);
    assert.deepEqual(await readTopic(brokers(), topic, 2, { ms: 8000 }), ['a', 'd']);
  });

  it('a recorded transaction the broker can no longer vouch for (its id moved on, after its timeout) warns and lets the job go on', async (t) => {
    const topic = uniqueTopic('eo-uncertain');
    await createTopic(brokers(), topic, 1);
    const prefix = uniqueTopic('eo-uncertain');
    const crashed = await harness(exactlyOnce<string>(topic, prefix));
    t.after(() => crashed.close());
    crashed.processElement('z');
    const snapshot = await crashed.snapshot(1);
    await (await harness(exactlyOnce<string>(topic, prefix), snapshot)).close(); // commits it, and re-initializes the slot
    await sleep(300);
    const { warnings } = await warningsDuring(COMMIT_UNCERTAIN_WARNING, async () => {
      await (await harness(exactlyOnce<string>(topic, prefix, { transactionTimeoutMs: 200 }), snapshot)).close();
    });
    assert.equal(warnings.length, 1);
    assert.match(warnings[0]!, /could not be committed again: its id moved on.*either committed before or aborted by the broker/);
  });

  it('a job at parallelism 2 with checkpoints writes every record exactly once', async () => {
    const topic = uniqueTopic('eo-job');
    await createTopic(brokers(), topic, 3);
    const args: KafkaSinkJobArgs = {
      brokers: brokers(),
      topic,
      count: 2000,
      perMs: 5,
      deliveryGuarantee: 'exactly-once',
      transactionalIdPrefix: uniqueTopic('eo-job'),
      intervalMs: 100,
      checkpoints: join(base, topic),
    };
    const result = await (await runJob(JOB, { parallelism: 2, args })).result;
    assert.ok(result.checkpoints.filter((c) => c.status === 'completed').length >= 2);
    assert.deepEqual(numbers(await readTopic(brokers(), topic, 2000)), range(0, 2000));
  });
});
