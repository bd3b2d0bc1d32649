// The KafkaSource reader driven by hand through a read client of the test's own (behind the
// interface the connectors use, src/connectors/kafka/kafka-clients.ts), to fail calls at chosen
// points: an assignment that fails half-way (the broker went away after the partitions were
// listed) and is retried still takes every partition, on a fresh start and on a restore.

import assert from 'node:assert/strict';
import { afterEach, describe, it } from 'node:test';
import { kafkaClients, replaceKafkaClients, type KafkaClients, type ReadClient } from '../../src/connectors/kafka/kafka-clients.js';
import type { KafkaPartitionSplit } from '../../src/connectors/kafka/kafka-source-reader.js';
import { KafkaSource, type SourceReader } from '../../src/index.js';
import { readerContext, readerOutput } from '../fixtures/reader-output.js';

const TOPIC = 'numbers';
/** Partition p holds the values p, p + 4, p + 8 ... below 40. */
const PARTITIONS = 4;
const END = 10;

/** A client serving the numbers topic from memory whose offsetsAt fails `failures` times. */
function flakyClient(failures: number): ReadClient {
  let failed = 0;
  return {
    connect: async () => undefined,
    close: async () => undefined,
    partitionsOf: async () => Array.from({ length: PARTITIONS }, (_, partition) => ({ topic: TOPIC, partition })),
    offsetsAt: async (ps, spec) => {
      if (failed++ < failures) throw Object.assign(new Error('Connection error: connect ECONNREFUSED 127.0.0.1:9092'), { retriable: true });
      return new Map(ps.map((p) => [`${p.topic}-${p.partition}`, spec === 'earliest' ? 0 : END]));
    },
    committedOffsets: async () => new Map(),
    commitOffsets: async () => undefined,
    fetch: async (requests) =>
      requests.map(({ topic, partition, offset }) => ({
        topic,
        partition,
        records: Array.from({ length: Math.max(0, END - offset) }, (_, k) => ({ topic, partition, offset: offset + k, timestamp: 0, key: null, value: Buffer.from(String((offset + k) * PARTITIONS + partition)), headers: {} })),
        nextOffset: Math.max(offset, END),
      })),
  };
}

async function readAll(reader: SourceReader<number, KafkaPartitionSplit>): Promise<number[]> {
  const values: number[] = [];
  const output = readerOutput<number>((v) => values.push(v));
  for (let polls = 0; polls < 1000; polls++) {
    if (reader.pollNext(output) === 'end-of-input') break;
    await Promise.race([reader.isAvailable?.(), new Promise((r) => setTimeout(r, 50))]);
  }
  await reader.close?.();
  return values.sort((a, b) => a - b);
}

describe('KafkaSource reader under failing calls', () => {
  const kafkajs: KafkaClients = kafkaClients();
  afterEach(() => replaceKafkaClients(kafkajs));
  const source = KafkaSource.create<number>({ brokers: ['127.0.0.1:9092'], topics: [TOPIC], groupId: 'g', bounded: true });

  it('an assignment that failed after listing the partitions is retried whole: every partition is read', async () => {
    replaceKafkaClients({ ...kafkajs, readClient: () => flakyClient(2) });
    const values = await readAll(source.createReader(readerContext(0, 1)) as SourceReader<number, KafkaPartitionSplit>);
    assert.deepEqual(values, Array.from({ length: PARTITIONS * END }, (_, n) => n));
  });

  it('restored from a checkpoint that had no position for two partitions: they are read whole after a failed try, the others from their offsets', async () => {
    replaceKafkaClients({ ...kafkajs, readClient: () => flakyClient(1) });
    const restored: KafkaPartitionSplit[] = [1, 2].map((partition) => ({ topic: TOPIC, partition, offset: 5, stopAt: END }));
    const values = await readAll(source.createReader(readerContext(0, 1, restored)) as SourceReader<number, KafkaPartitionSplit>);
    const expected = Array.from({ length: PARTITIONS * END }, (_, n) => n).filter((n) => n % PARTITIONS === 0 || n % PARTITIONS === 3 || Math.floor(n / PARTITIONS) >= 5);
    assert.deepEqual(values, expected);
  });
});
