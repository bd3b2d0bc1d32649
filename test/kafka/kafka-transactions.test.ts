// eddy's interface to Kafka transactions against the real broker: a transaction left open by a
// producer that went away is committed from another client by the handle a checkpoint recorded
// (twice is fine), and a read-committed consumer then sees its records once; initializing the
// transactional id first aborts it instead (why a restore commits before anything else); and the
// kafkajs internals it needs are all where it expects them, so a kafkajs upgrade that moves one
// fails this test rather than a restored job.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Kafka, logLevel } from 'kafkajs';
import { commitRecordedTransaction, createTransactionalProducer, kafkajsInternals } from '../../src/connectors/kafka/kafka-transactions.js';
import { useTestBroker } from './test-broker.js';

const { brokers } = useTestBroker();

function client(): Kafka {
  return new Kafka({ clientId: 'eddy-tx-test', brokers: brokers(), logLevel: logLevel.NOTHING });
}

/** What a read-committed consumer reads of `topic` within `ms`. */
async function committedValues(topic: string, ms = 4000): Promise<string[]> {
  const consumer = client().consumer({ groupId: `check-${topic}-${Date.now()}`, readUncommitted: false });
  const values: string[] = [];
  await consumer.connect();
  await consumer.subscribe({ topic, fromBeginning: true });
  await consumer.run({ eachMessage: async ({ message }) => void values.push(message.value!.toString()) });
  await new Promise((r) => setTimeout(r, ms));
  await consumer.disconnect();
  return values.sort();
}

async function ensureTopic(topic: string): Promise<void> {
  const admin = client().admin();
  await admin.connect();
  await admin.createTopics({ topics: [{ topic, numPartitions: 2 }], waitForLeaders: true });
  await admin.disconnect();
}

describe('Kafka transactions through eddy\'s client interface', () => {
  it('finds every kafkajs internal it relies on', () => {
    const internals = kafkajsInternals();
    assert.equal(internals.version, '2.2.4');
    assert.equal(typeof internals.transactionCoordinator, 'number');
    assert.equal(typeof internals.createCluster(client()).connect, 'function');
  });

  it('commits a transaction its producer left open, from another client, by its recorded handle', async () => {
    const topic = 'tx-recorded';
    await ensureTopic(topic);
    const producer = await createTransactionalProducer(client(), 'eddy-test-sink-0', 60_000);
    await producer.begin();
    await producer.send([{ topic, messages: Array.from({ length: 10 }, (_, i) => ({ key: String(i), value: `v${i}` })) }]);
    const handle = producer.handle();
    assert.ok(handle.producerId >= 0, 'the producer id is known');
    await producer.close(); // the process "crashes": the transaction stays open
    await commitRecordedTransaction(client(), handle);
    await commitRecordedTransaction(client(), handle); // a restore that crashed after committing commits again
    assert.deepEqual(await committedValues(topic), Array.from({ length: 10 }, (_, i) => `v${i}`).sort());
  });

  it('initializing the transactional id first aborts the open transaction', async () => {
    const topic = 'tx-fenced';
    await ensureTopic(topic);
    const first = await createTransactionalProducer(client(), 'eddy-test-sink-1', 60_000);
    await first.begin();
    await first.send([{ topic, messages: [{ value: 'lost' }] }]);
    const handle = first.handle();
    await first.close();
    const next = await createTransactionalProducer(client(), 'eddy-test-sink-1', 60_000);
    await next.begin(); // InitProducerId: aborts the open transaction and bumps the epoch
    await next.send([{ topic, messages: [{ value: 'kept' }] }]);
    await next.commit();
    await next.close();
    await assert.rejects(commitRecordedTransaction(client(), handle), /epoch|fenced|INVALID_PRODUCER_EPOCH|PRODUCER_FENCED/i);
    assert.deepEqual(await committedValues(topic), ['kept']);
  });
});
