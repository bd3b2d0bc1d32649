// The broker that tools/kafka/broker.ts starts is a real Kafka: topics with several partitions,
// produce and consume, and transactions (a committed one is read, an aborted one is not, by a
// read-committed consumer); and the script says what to install when Java is missing, and that
// no broker was running when there is none to stop.

import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { Kafka, logLevel, type Consumer } from 'kafkajs';
import { useTestBroker } from './test-broker.js';

const { brokers } = useTestBroker();

function client(): Kafka {
  return new Kafka({ clientId: 'eddy-broker-test', brokers: brokers(), logLevel: logLevel.NOTHING });
}

/** Reads `count` messages of `topic` from the start with a read-committed consumer, then stops. */
async function readAll(kafka: Kafka, topic: string, count: number, timeoutMs = 30_000): Promise<string[]> {
  const consumer: Consumer = kafka.consumer({ groupId: `read-${topic}-${Date.now()}`, readUncommitted: false });
  const values: string[] = [];
  await consumer.connect();
  try {
    await consumer.subscribe({ topic, fromBeginning: true });
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`read ${values.length} of ${count} messages of ${topic} in ${timeoutMs} ms`)), timeoutMs);
      void consumer.run({
        eachMessage: async ({ message }) => {
          values.push(message.value!.toString());
          if (values.length >= count) {
            clearTimeout(timer);
            resolve();
          }
        },
      });
    });
  } finally {
    await consumer.disconnect();
  }
  return values;
}

const SCRIPT = fileURLToPath(new URL('../../tools/kafka/broker.js', import.meta.url));

describe('the broker script', () => {
  it('without Java on PATH, says what to install', () => {
    const dir = mkdtempSync(join(tmpdir(), 'eddy-kafka-nojava-'));
    try {
      const run = spawnSync(process.execPath, [SCRIPT, 'start', '--dir', dir], { encoding: 'utf8', env: { ...process.env, PATH: dir } });
      assert.equal(run.status, 1);
      assert.match(run.stderr, /needs Java 17 or newer.*Install a Java runtime/s);
      const stop = spawnSync(process.execPath, [SCRIPT, 'stop', '--dir', dir], { encoding: 'utf8' });
      assert.equal(stop.status, 0);
      assert.match(stop.stdout, /No Kafka broker was running from/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('the test Kafka broker', () => {
  it('holds a topic with several partitions; what is produced is consumed', async () => {
    const kafka = client();
    const admin = kafka.admin();
    await admin.connect();
    await admin.createTopics({ topics: [{ topic: 'smoke', numPartitions: 3 }], waitForLeaders: true });
    const [metadata] = (await admin.fetchTopicMetadata({ topics: ['smoke'] })).topics;
    await admin.disconnect();
    assert.equal(metadata!.partitions.length, 3);
    const producer = kafka.producer();
    await producer.connect();
    await producer.send({ topic: 'smoke', messages: Array.from({ length: 300 }, (_, i) => ({ key: `k${i % 7}`, value: String(i) })) });
    await producer.disconnect();
    const values = await readAll(kafka, 'smoke', 300);
    assert.deepEqual(values.map(Number).sort((a, b) => a - b), Array.from({ length: 300 }, (_, i) => i));
  });

  it('commits and aborts transactions; a read-committed consumer sees only the committed', async () => {
    const kafka = client();
    const producer = kafka.producer({ transactionalId: 'eddy-smoke-tx', idempotent: true, maxInFlightRequests: 1 });
    await producer.connect();
    const committed = await producer.transaction();
    await committed.send({ topic: 'tx-smoke', messages: [{ value: 'committed-1' }, { value: 'committed-2' }] });
    await committed.commit();
    const aborted = await producer.transaction();
    await aborted.send({ topic: 'tx-smoke', messages: [{ value: 'aborted' }] });
    await aborted.abort();
    const last = await producer.transaction();
    await last.send({ topic: 'tx-smoke', messages: [{ value: 'committed-3' }] });
    await last.commit();
    await producer.disconnect();
    assert.deepEqual(await readAll(kafka, 'tx-smoke', 3), ['committed-1', 'committed-2', 'committed-3']);
  });
});
