// The Kafka sinks' partitioner: kafkajs's default choice, and the same partition each time a
// message is asked about again, as kafkajs does when it retries a batch.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Partitioners, type Message, type PartitionMetadata } from 'kafkajs';
import { stablePartitioner } from '../../src/connectors/kafka/kafka-partitioner.js';

const partitions = (n: number, unled: number[] = []): PartitionMetadata[] =>
  Array.from({ length: n }, (_, partitionId) => ({ partitionId, leader: unled.includes(partitionId) ? -1 : 0, partitionErrorCode: 0, replicas: [0], isr: [0] }));

/** The partition of each message, asked in order, as kafkajs groups a batch before each try. */
const assign = (partition: ReturnType<typeof stablePartitioner>, messages: Message[], metadata: PartitionMetadata[]): number[] =>
  messages.map((message) => partition({ topic: 't', partitionMetadata: metadata, message }));

test('a retried batch of keyless records keeps every record in the partition it was first given', () => {
  const partition = stablePartitioner();
  const messages: Message[] = Array.from({ length: 50 }, (_, i) => ({ value: `v${i}` }));
  const first = assign(partition, messages, partitions(4));
  assert.deepEqual(new Set(first), new Set([0, 1, 2, 3]), 'keyless records are spread over the partitions');
  assert.deepEqual(assign(partition, messages, partitions(4)), first);
  assert.deepEqual(assign(partition, messages, partitions(4, [1])), first, 'also when a partition lost its leader meanwhile');
});

test("keyed records go where kafkajs's default partitioner puts them (murmur2, like Java's client), and an explicit partition wins", () => {
  const messages: Message[] = Array.from({ length: 50 }, (_, i) => ({ key: `k${i}`, value: 'v' }));
  assert.deepEqual(assign(stablePartitioner(), messages, partitions(6)), assign(Partitioners.DefaultPartitioner(), messages, partitions(6)));
  assert.deepEqual(assign(stablePartitioner(), [{ key: 'k', value: 'v', partition: 5 }, { value: 'v', partition: 2 }], partitions(6)), [5, 2]);
});
