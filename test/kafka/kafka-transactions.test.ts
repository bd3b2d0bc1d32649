// eddy's interface to Kafka transactions against the real broker: a transaction left open by a
// producer that went away is committed from another client by the handle a checkpoint recorded
// (twice is fine), and a read-committed consumer then sees its records once; initializing the
// transactional id first aborts it instead (why a restore commits before anything else); and the
// kafkajs internals it needs are all where it expects them, so a kafkajs upgrade that moves one
// fails this test rather than a restored job. Also what the exactly-once KafkaSink builds on:
// initialize() reports epoch 0 only for a never-used id and aborts what is open; without a new
// epoch, the handle of a committed transaction would commit the producer's next one (so the sink
// initializes again before it reuses a slot), and with one it is refused as ended before; a
// handle aborts by its ids; an empty transaction was never begun on the broker.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Kafka, logLevel } from 'kafkajs';
import { abortRecordedTransaction, commitRecordedTransaction, createTransactionalProducer, endedBefore, kafkajsInternals } from '../../src/connectors/kafka/kafka-transactions.js';
import { uniqueTopic } from './kafka-client.js';
import { useTestBroker } from './test-broker.js';

const { brokers } = useTestBroker();

function client(): Kafka {
  return new Kafka({ clientId: 'eddy-tx-test', brokers: brokers(), logLevel: logLevel.NOTHING });
}

/** What a read-committed consumer reads of `topic` within `ms`. */
async function committedValues(topic: string, ms = 4000): Promise<string[]> {
  // Short fetch waits: disconnecting waits for the fetch in flight.
  const consumer = client().consumer({ groupId: `check-${topic}-${Date.now()}`, readUncommitted: false, maxWaitTimeInMs: 100 });
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
    assert.match(handle.producerId, /^\d+$/, 'the producer id is known');
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

  it('initialize() gives epoch 0 to a never-used id and a higher one after, aborting what is open under it', async () => {
    const topic = uniqueTopic('tx-init');
    await ensureTopic(topic);
    const id = uniqueTopic('eddy-test-init');
    const first = await createTransactionalProducer(client(), id, 60_000);
    assert.equal((await first.initialize()).producerEpoch, 0, 'a new id starts at epoch 0');
    await first.begin();
    await first.send([{ topic, messages: [{ value: 'open' }] }]);
    await first.close(); // left open
    const next = await createTransactionalProducer(client(), id, 60_000);
    assert.ok((await next.initialize()).producerEpoch > 0, 'a used id gets a higher epoch');
    await next.begin();
    await next.send([{ topic, messages: [{ value: 'after' }] }]);
    await next.commit();
    await next.close();
    assert.deepEqual(await committedValues(topic, 2500), ['after'], 'the open transaction was aborted, so it does not hold back read-committed consumers');
  });

  it('a committed handle ends the next transaction of its producer, unless the producer took a new epoch in between: then it is refused as ended before', async () => {
    const topic = uniqueTopic('tx-reuse');
    await ensureTopic(topic);
    const id = uniqueTopic('eddy-test-reuse');
    const producer = await createTransactionalProducer(client(), id, 60_000);
    await producer.begin();
    await producer.send([{ topic, messages: [{ value: 'a' }] }]);
    const a = producer.handle();
    await producer.commit();
    await producer.begin();
    await producer.send([{ topic, messages: [{ value: 'b' }] }]);
    assert.deepEqual(producer.handle(), a, 'the same ids: Kafka keeps the epoch from one transaction to the next');
    await commitRecordedTransaction(client(), a); // commits b, which nothing pre-committed
    await producer.close();
    const renewed = await createTransactionalProducer(client(), id, 60_000);
    assert.ok((await renewed.initialize()).producerEpoch > a.producerEpoch);
    await renewed.begin();
    await renewed.send([{ topic, messages: [{ value: 'c' }] }]);
    const refused = await commitRecordedTransaction(client(), a).then(() => undefined, (error: unknown) => error);
    assert.equal(endedBefore(refused), 'epoch', `the old handle is refused: ${String(refused)}`);
    const c = renewed.handle();
    await renewed.close();
    await abortRecordedTransaction(client(), c);
    await abortRecordedTransaction(client(), c); // again: fine
    assert.deepEqual(await committedValues(topic, 2500), ['a', 'b'], 'c was aborted by its handle');
  });

  it('a transaction without records was never begun on the broker: ending it by its handle is refused as INVALID_TXN_STATE', async () => {
    const id = uniqueTopic('eddy-test-empty');
    const producer = await createTransactionalProducer(client(), id, 60_000);
    await producer.begin();
    const handle = producer.handle();
    await producer.commit(); // kafkajs sends no EndTxn for a transaction without partitions
    await producer.close();
    const refused = await commitRecordedTransaction(client(), handle).then(() => undefined, (error: unknown) => error);
    assert.equal(endedBefore(refused), 'state', String(refused));
  });
});
