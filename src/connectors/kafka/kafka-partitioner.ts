// The partitioner of eddy's Kafka sinks: kafkajs's default (the key's murmur2 hash like Java's,
// round robin without a key), made to give a message the same partition every time it is asked.
// kafkajs partitions a batch again each time it retries it; when a request failed for one
// partition (a new topic's partition not ready yet) after the broker wrote another's records,
// a keyless retry would regroup the records, and the idempotent producer's resend would carry
// the written sequence numbers with other records: the broker refuses it as out of order
// (OUT_OF_ORDER_SEQUENCE_NUMBER) instead of dropping it as a duplicate.

import type { ICustomPartitioner } from 'kafkajs';
import { kafkajs } from './kafka-connection.js';

/** Makes a partitioner (one per producer) that pins each keyless message to the partition it first chose. */
export const stablePartitioner: ICustomPartitioner = () => {
  const choose = kafkajs().Partitioners.DefaultPartitioner();
  return (args) => {
    const { message } = args;
    if (message.partition !== undefined && message.partition !== null) return message.partition;
    const partition = choose(args);
    if (message.key === undefined || message.key === null) message.partition = partition;
    return partition;
  };
};
