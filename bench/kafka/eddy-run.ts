// One run of the eddy Kafka -> map -> Kafka job (bench/jobs/kafka-map.ts), bounded, from an input
// topic to a fresh output topic that is read back (each record once, read committed) and deleted:
// for the kafka suite and for bench:compare's. Or through clients that cost nothing
// (free-clients.ts), whose producers must together have been sent each record once.

import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { KafkaMapArgs } from '../jobs/kafka-map.js';
import { checkpointedRun } from '../checkpoints/checkpointed-run.js';
import { checkCommittedCount, createTopic, deleteTopics, uniqueName } from './topics.js';

export type Guarantee = KafkaMapArgs['deliveryGuarantee'];

export interface EddyKafkaRun {
  /** Records over the job's wall time (start-up and end included). */
  rate: number;
  /** Records over the time from the job's start to the Kafka timestamp of its last output record. */
  written: number;
}

export interface EddyKafkaOptions {
  brokers: string[];
  /** The records of `input`. */
  records: number;
  partitions: number;
  /** Checkpoint interval of an exactly-once run (ms). */
  intervalMs: number;
}

export async function eddyKafkaRun(options: EddyKafkaOptions, input: string, parallelism: number, guarantee: Guarantee): Promise<EddyKafkaRun> {
  const { brokers, records, partitions } = options;
  const output = uniqueName('eddy-bench-out');
  await createTopic(brokers, output, partitions);
  const args: KafkaMapArgs = {
    brokers,
    input,
    output,
    groupId: uniqueName('eddy-bench-job'),
    bounded: true,
    deliveryGuarantee: guarantee,
    transactionalIdPrefix: uniqueName('eddy-bench-tx'),
  };
  const startedAt = Date.now();
  const run = await checkpointedRun('kafka-map', args, parallelism, guarantee === 'exactly-once' ? { intervalMs: options.intervalMs } : undefined);
  const lastWritten = await checkCommittedCount(brokers, output, records, `eddy p=${parallelism} ${guarantee}`);
  await deleteTopics(brokers, [output]);
  return { rate: records / run.seconds, written: records / ((lastWritten - startedAt) / 1000) };
}

/** One at-least-once run of the job through clients that cost nothing; records/s over its wall time. */
export async function eddyFreeClientsRun(options: EddyKafkaOptions, parallelism: number): Promise<number> {
  const { records, partitions } = options;
  const countDir = mkdtempSync(join(tmpdir(), 'eddy-bench-free-'));
  try {
    const args: KafkaMapArgs = {
      brokers: ['127.0.0.1:1'],
      input: 'in',
      output: 'out',
      groupId: 'free',
      bounded: true,
      deliveryGuarantee: 'at-least-once',
      transactionalIdPrefix: 'free',
      freeClients: { records, partitions, countDir },
    };
    const run = await checkpointedRun('kafka-map', args, parallelism);
    const sent = readdirSync(countDir).reduce((sum, file) => sum + Number(readFileSync(join(countDir, file), 'utf8')), 0);
    if (sent !== records) throw new Error(`eddy p=${parallelism} with free clients: its producers were sent ${sent} records, expected ${records}.`);
    return records / run.seconds;
  } finally {
    rmSync(countDir, { recursive: true, force: true });
  }
}
