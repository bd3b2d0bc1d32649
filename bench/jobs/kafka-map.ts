// Benchmark job: Kafka -> map -> Kafka (bench/kafka/): KafkaSource reads the input topic, each
// reading is converted to Fahrenheit, and KafkaSink writes it to the output topic with the given
// delivery guarantee; bounded (throughput) or not (latency); with `checkpoint`, checkpointed
// (bench/jobs/checkpointing.ts); with `freeClients`, through clients that cost nothing
// (bench/kafka/free-clients.ts) instead of kafkajs.

import { defineJob, KafkaSink, KafkaSource, WatermarkStrategy } from '../../src/index.js';
import { replaceKafkaClients } from '../../src/connectors/kafka/kafka-clients.js';
import { freeClients, type FreeClientsArgs } from '../kafka/free-clients.js';
import { toFahrenheit, type Reading } from '../kafka/records.js';
import { enableBenchCheckpoints, type BenchCheckpointArgs } from './checkpointing.js';

export interface KafkaMapArgs {
  brokers: string[];
  input: string;
  output: string;
  /** The source's group, to which it commits offsets when checkpoints complete. */
  groupId: string;
  bounded: boolean;
  deliveryGuarantee: 'at-least-once' | 'exactly-once';
  /** Used by exactly-once only; unique per run. */
  transactionalIdPrefix: string;
  checkpoint?: BenchCheckpointArgs;
  /** Read and write through clients that cost nothing (at-least-once only): eddy's own cost. */
  freeClients?: FreeClientsArgs;
}

export default defineJob((env, args: KafkaMapArgs) => {
  enableBenchCheckpoints(env, args.checkpoint);
  if (args.freeClients !== undefined) replaceKafkaClients(freeClients(args.freeClients));
  env
    .fromSource(KafkaSource.create<Reading>({ brokers: args.brokers, topics: [args.input], groupId: args.groupId, bounded: args.bounded }), WatermarkStrategy.noWatermarks(), 'in')
    .map(toFahrenheit)
    .sinkTo(
      KafkaSink.create<Reading>({
        brokers: args.brokers,
        topic: args.output,
        deliveryGuarantee: args.deliveryGuarantee,
        transactionalIdPrefix: args.transactionalIdPrefix,
      }),
    );
});
