// Helpers for the Kafka tests: create a topic, write records to chosen partitions with chosen
// timestamps (kafkajs), and read a topic the way a downstream consumer would: read committed
// through eddy's read client, or uncommitted through a kafkajs consumer.

import { setTimeout as sleep } from 'node:timers/promises';
import type { Message } from 'kafkajs';
import { retryWhileUnavailable } from '../../src/connectors/kafka/kafka-connection.js';
import { KafkaReadClient, partitionKey } from '../../src/connectors/kafka/kafka-read-client.js';
import { benchKafka as testKafka, uniqueName as uniqueTopic } from '../../bench/kafka/topics.js';

// The client, unique names and topic creation (which waits for leaders without kafkajs's
// waitForLeaders, whose errors can escape uncaught) are the benchmarks' own.
export { benchKafka as testKafka, createTopic, uniqueName as uniqueTopic } from '../../bench/kafka/topics.js';

/**
 * Writes `messages` (each with its partition) to `topic`, acknowledged by the broker, each once:
 * idempotent, because kafkajs resends a whole request when one of its partitions fails (a new
 * topic's partition not ready yet), which would write the other partitions' records twice.
 */
export async function produce(brokers: string[], topic: string, messages: Message[]): Promise<void> {
  const producer = testKafka(brokers).producer({ allowAutoTopicCreation: false, idempotent: true, maxInFlightRequests: 1 });
  await producer.connect();
  for (let i = 0; i < messages.length; i += 500) await producer.send({ topic, acks: -1, messages: messages.slice(i, i + 500) });
  await producer.disconnect();
}

/**
 * What a consumer reads of `topic` from the start: once `expected` values arrived (and 500 ms
 * more, for duplicates) or after `ms`. Read committed goes through eddy's read client, not a
 * kafkajs consumer: kafkajs's consumer lets through records of an aborted transaction when the
 * broker lists two aborted transactions out of offset order (one that began earlier ended later).
 */
export async function readTopic(brokers: string[], topic: string, expected: number, options: { committed?: boolean; ms?: number } = {}): Promise<string[]> {
  return options.committed === false ? readUncommitted(brokers, topic, expected, options.ms) : readCommitted(brokers, topic, expected, options.ms);
}

async function readCommitted(brokers: string[], topic: string, expected: number, ms = 15_000): Promise<string[]> {
  const client = new KafkaReadClient(testKafka(brokers));
  const values: string[] = [];
  // A broker just restarted answers "not the leader" for a moment: retried, as eddy's source does.
  const retry = <R>(call: () => Promise<R>): Promise<R> => retryWhileUnavailable(call, `reading back ${topic}`, brokers, ms);
  await retry(() => client.connect());
  try {
    const partitions = await retry(() => client.partitionsOf([topic]));
    const offsets = await retry(() => client.offsetsAt(partitions, 'earliest'));
    const started = Date.now();
    let enoughAt: number | undefined;
    while (Date.now() - started < ms && (enoughAt === undefined || Date.now() - enoughAt < 500)) {
      const requests = partitions.map((p) => ({ ...p, offset: offsets.get(partitionKey(p.topic, p.partition))! }));
      for (const fetched of await retry(() => client.fetch(requests, 100))) {
        offsets.set(partitionKey(fetched.topic, fetched.partition), fetched.nextOffset);
        for (const record of fetched.records) values.push(Buffer.from(record.value!).toString());
      }
      if (values.length >= expected) enoughAt ??= Date.now();
    }
  } finally {
    await client.close();
  }
  return values;
}

async function readUncommitted(brokers: string[], topic: string, expected: number, ms = 15_000): Promise<string[]> {
  // Short fetch waits: disconnecting waits for the fetch in flight.
  const consumer = testKafka(brokers).consumer({ groupId: uniqueTopic('check'), readUncommitted: true, maxWaitTimeInMs: 100 });
  const values: string[] = [];
  await consumer.connect();
  try {
    await consumer.subscribe({ topic, fromBeginning: true });
    let done!: () => void;
    const arrived = new Promise<void>((resolve) => (done = resolve));
    await consumer.run({
      eachMessage: async ({ message }) => {
        values.push(message.value!.toString());
        if (values.length >= expected) done();
      },
    });
    const waited = new AbortController();
    await Promise.race([arrived, sleep(ms, undefined, { signal: waited.signal }).catch(() => undefined)]);
    waited.abort();
    await sleep(500);
  } finally {
    await consumer.disconnect();
  }
  return values;
}
