// kafkajs alone, the ceiling of any pipeline built on it: producing readings (acks -1, batches of
// 1000), consuming them (eachBatch + JSON.parse), and a consume-transform-produce loop from one
// topic to another, each in records/s.

import { reading, toFahrenheit, type Reading } from './records.js';
import { benchKafka, startConsumer, waitForCount } from './topics.js';

const BATCH = 1000;

/**
 * Writes readings 0 .. count-1 to `topic`, reading n to partition n % partitions; records/s.
 * Idempotent (the Java client's default): kafkajs resends a whole request when one partition of a
 * new topic is not ready, and would write the others twice.
 */
export async function produceReadings(brokers: string[], topic: string, count: number, partitions: number): Promise<number> {
  const producer = benchKafka(brokers).producer({ allowAutoTopicCreation: false, idempotent: true, maxInFlightRequests: 1 });
  await producer.connect();
  try {
    const started = performance.now();
    for (let first = 0; first < count; first += BATCH) {
      const messages = [];
      for (let n = first; n < Math.min(count, first + BATCH); n++) messages.push({ partition: n % partitions, value: JSON.stringify(reading(n, Date.now())) });
      await producer.send({ topic, acks: -1, messages });
    }
    return count / ((performance.now() - started) / 1000);
  } finally {
    await producer.disconnect();
  }
}

/** Reads the `count` records of `topic` and parses each; records/s from joining the group to the last. */
export async function consumeReadings(brokers: string[], topic: string, count: number): Promise<number> {
  let parsed = 0;
  const { consumer, joinedAt } = await startConsumer(brokers, topic, (batch) => {
    for (const message of batch.messages) JSON.parse(message.value!.toString());
    parsed += batch.messages.length;
  });
  try {
    await waitForCount(() => parsed, count, 'kafkajs consume');
    return count / ((performance.now() - joinedAt) / 1000);
  } finally {
    await consumer.disconnect();
  }
}

/**
 * Reads the `count` records of `input`, parses, converts and serializes each, and writes each
 * fetched batch to the same partition of `output` (acks -1); records/s from joining the group to
 * the last acknowledgement.
 */
export async function consumeTransformProduce(brokers: string[], input: string, output: string, count: number): Promise<number> {
  const producer = benchKafka(brokers).producer({ allowAutoTopicCreation: false });
  await producer.connect();
  let written = 0;
  const { consumer, joinedAt } = await startConsumer(brokers, input, async (batch) => {
    const messages = batch.messages.map((m) => ({ partition: batch.partition, value: JSON.stringify(toFahrenheit(JSON.parse(m.value!.toString()) as Reading)) }));
    await producer.send({ topic: output, acks: -1, messages });
    written += messages.length;
  });
  try {
    await waitForCount(() => written, count, 'kafkajs consume-transform-produce');
    return count / ((performance.now() - joinedAt) / 1000);
  } finally {
    await consumer.disconnect();
    await producer.disconnect();
  }
}
