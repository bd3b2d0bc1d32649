// Kafka clients that cost nothing, behind the interfaces the connectors use (src/connectors/kafka/
// kafka-clients.ts): a read client serving the input topic's readings from memory (fetches of 1000
// records, each value already encoded, as a broker's 1 MB fetch would bring them) and a producer
// that only counts what it is sent. With them the Kafka job measures eddy's own cost: the ceiling
// a faster client would approach. Each producer writes its count to a file when it disconnects.

import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ReadClient, KafkaClients, PlainProducer } from '../../src/connectors/kafka/kafka-clients.js';
import type { FetchedPartition, TopicPartition } from '../../src/connectors/kafka/kafka-read-client.js';
import type { KafkaRecord } from '../../src/index.js';
import { reading } from './records.js';

export interface FreeClientsArgs {
  /** The records of the (imagined) input topic: reading n on partition n % partitions. */
  records: number;
  partitions: number;
  /** Where each producer writes the number of records it was sent, one file per producer. */
  countDir: string;
}

/** Records per fetch: a 1 MB fetch of 1 KB records. */
const PER_FETCH = 1000;
/** Distinct encoded values served in turn (their content matters, not their number). */
const DISTINCT = 1000;

let producers = 0;

export function freeClients({ records, partitions, countDir }: FreeClientsArgs): KafkaClients {
  const values = Array.from({ length: DISTINCT }, (_, n) => Buffer.from(JSON.stringify(reading(n, Date.now()))));
  const end = (partition: number): number => Math.ceil((records - partition) / partitions);
  const key = (topic: string, partition: number): string => `${topic}-${partition}`;
  const offsets = (ps: readonly TopicPartition[], at: (p: TopicPartition) => number): Map<string, number> => new Map(ps.map((p) => [key(p.topic, p.partition), at(p)]));
  const readClient: ReadClient = {
    connect: async () => undefined,
    close: async () => undefined,
    partitionsOf: async (topics) => {
      if (topics instanceof RegExp) throw new Error('the free read client serves named topics only');
      return topics.flatMap((topic) => Array.from({ length: partitions }, (_, partition) => ({ topic, partition })));
    },
    offsetsAt: async (ps, spec) => offsets(ps, (p) => (spec === 'earliest' ? 0 : end(p.partition))),
    committedOffsets: async () => new Map(),
    commitOffsets: async () => undefined,
    fetch: async (requests, maxWaitMs) => {
      const fetched: FetchedPartition[] = requests.map(({ topic, partition, offset }) => {
        const last = Math.min(end(partition), offset + PER_FETCH);
        const out: KafkaRecord[] = [];
        for (let o = offset; o < last; o++) {
          out.push({ topic, partition, offset: o, timestamp: Date.now(), key: null, value: values[(o * partitions + partition) % DISTINCT]!, headers: {} });
        }
        return { topic, partition, records: out, nextOffset: Math.max(offset, last) };
      });
      // A broker holds a fetch with nothing to bring for its wait time.
      if (fetched.every((f) => f.records.length === 0)) await new Promise((resolve) => setTimeout(resolve, maxWaitMs));
      return fetched;
    },
  };
  return {
    readClient: () => readClient,
    plainProducer: (): PlainProducer => {
      let sent = 0;
      const file = join(countDir, `${process.pid}-${producers++}-${Math.random().toString(36).slice(2)}`);
      return {
        connect: async () => undefined,
        sendBatch: async ({ topicMessages }) => {
          for (const t of topicMessages ?? []) sent += t.messages.length;
          return [];
        },
        disconnect: async () => writeFileSync(file, String(sent)),
      };
    },
  };
}
