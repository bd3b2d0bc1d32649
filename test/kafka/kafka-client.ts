// Plain kafkajs helpers for the Kafka tests: create a topic, write records to chosen partitions
// with chosen timestamps, and read a topic the way a downstream consumer would (read committed).

import { setTimeout as sleep } from 'node:timers/promises';
import type { Message } from 'kafkajs';
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

/** What a consumer reads of `topic` from the start: once `expected` values arrived (and 500 ms more, for duplicates) or after `ms`. */
export async function readTopic(brokers: string[], topic: string, expected: number, options: { committed?: boolean; ms?: number } = {}): Promise<string[]> {
  // Short fetch waits: disconnecting waits for the fetch in flight.
  const consumer = testKafka(brokers).consumer({ groupId: uniqueTopic('check'), readUncommitted: options.committed === false, maxWaitTimeInMs: 100 });
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
    await Promise.race([arrived, sleep(options.ms ?? 15_000, undefined, { signal: waited.signal }).catch(() => undefined)]);
    waited.abort();
    await sleep(500);
  } finally {
    await consumer.disconnect();
  }
  return values;
}

