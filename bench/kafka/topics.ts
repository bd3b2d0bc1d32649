// Plain kafkajs for the Kafka suite: a client, topics made and deleted, a consumer reading a topic
// from its first record (read committed), and the check that a topic holds exactly the records a
// case should have written, so that every figure measures work really done.

import { setTimeout as sleep } from 'node:timers/promises';
import { Kafka, logLevel, type Batch, type Consumer } from 'kafkajs';

export function benchKafka(brokers: string[]): Kafka {
  return new Kafka({ clientId: 'eddy-bench', brokers, logLevel: logLevel.NOTHING });
}

let named = 0;

/** A topic (or group, or transactional id) name not used before. */
export function uniqueName(prefix: string): string {
  return `${prefix}-${process.pid}-${Date.now()}-${named++}`;
}

/**
 * Creates `topic` and waits until every partition has a leader. kafkajs's own wait
 * (`waitForLeaders`) lets an UNKNOWN_TOPIC_OR_PARTITION from a busy broker escape as an uncaught
 * rejection, so the metadata is polled here instead.
 */
export async function createTopic(brokers: string[], topic: string, partitions: number): Promise<void> {
  const admin = benchKafka(brokers).admin();
  await admin.connect();
  try {
    // No retention by time: test records carry event times of 1970, which the broker's 7-day
    // retention would delete at its next check (every 5 minutes), in the middle of a run.
    await admin.createTopics({ topics: [{ topic, numPartitions: partitions, configEntries: [{ name: 'retention.ms', value: '-1' }] }], waitForLeaders: false });
    for (const deadline = performance.now() + 30_000; ; await sleep(100)) {
      const led = await admin.fetchTopicMetadata({ topics: [topic] }).then(
        ({ topics }) => topics[0]!.partitions.filter((p) => p.leader >= 0).length,
        () => 0,
      );
      if (led === partitions) return;
      if (performance.now() > deadline) throw new Error(`topic ${topic}: ${led} of ${partitions} partitions have a leader after 30 s.`);
    }
  } finally {
    await admin.disconnect();
  }
}

/** Deletes topics once a case is done with them, so that the broker's disk does not fill up. */
export async function deleteTopics(brokers: string[], topics: string[]): Promise<void> {
  const admin = benchKafka(brokers).admin();
  await admin.connect();
  await admin.deleteTopics({ topics });
  await admin.disconnect();
}

export interface StartedConsumer {
  readonly consumer: Consumer;
  /** When the consumer had joined its group and was given the partitions (performance.now()). */
  readonly joinedAt: number;
}

/**
 * A consumer of `topic` in a group of its own, from the first record, read committed, calling
 * `onBatch` for every fetched batch; resolves once it has joined the group.
 */
export async function startConsumer(brokers: string[], topic: string, onBatch: (batch: Batch) => Promise<void> | void): Promise<StartedConsumer> {
  const consumer = benchKafka(brokers).consumer({ groupId: uniqueName('eddy-bench-read'), readUncommitted: false });
  await consumer.connect();
  await consumer.subscribe({ topic, fromBeginning: true });
  const joined = new Promise<number>((resolve) => consumer.on(consumer.events.GROUP_JOIN, () => resolve(performance.now())));
  await consumer.run({ eachBatch: async ({ batch }) => onBatch(batch) });
  return { consumer, joinedAt: await joined };
}

/** Resolves once `count()` reaches `target`; throws when it stopped growing for `stallMs` before. */
export async function waitForCount(count: () => number, target: number, what: string, stallMs = 20_000): Promise<void> {
  let seen = count();
  let grewAt = performance.now();
  while (seen < target) {
    await sleep(5);
    const now = count();
    if (now > seen) {
      seen = now;
      grewAt = performance.now();
    } else if (performance.now() - grewAt > stallMs) {
      throw new Error(`${what}: stuck at ${seen} of ${target} records for ${stallMs / 1000} s.`);
    }
  }
}

/**
 * Throws unless `topic` holds exactly `expected` committed records (duplicates would show);
 * returns the newest of their Kafka timestamps (epoch ms: when the producer sent the last one).
 */
export async function checkCommittedCount(brokers: string[], topic: string, expected: number, what: string): Promise<number> {
  let count = 0;
  let newest = 0;
  const { consumer } = await startConsumer(brokers, topic, (batch) => {
    count += batch.messages.length;
    for (const message of batch.messages) newest = Math.max(newest, Number(message.timestamp));
  });
  try {
    await waitForCount(() => count, expected, `${what}: reading back ${topic}`);
    await sleep(500);
  } finally {
    await consumer.disconnect();
  }
  if (count !== expected) throw new Error(`${what}: ${topic} holds ${count} committed records, expected ${expected}.`);
  return newest;
}
