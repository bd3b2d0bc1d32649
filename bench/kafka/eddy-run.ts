// One run of the eddy Kafka -> map -> Kafka job (bench/jobs/kafka-map.ts), bounded, from an input
// topic to a fresh output topic that is read back (each record once, read committed) and deleted:
// for the kafka suite and for bench:compare's.

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
