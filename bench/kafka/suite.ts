// `npm run bench -- kafka`: Kafka -> map -> Kafka against a real broker started for the run (Apache
// Kafka 4.4 from tools/kafka/broker.ts, in a temporary folder, stopped at the end): throughput of
// kafkajs alone and of the eddy job with each delivery guarantee, and end-to-end latency with
// at-least-once and exactly-once sinks, as one section of bench/RESULTS.md.

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startBroker, stopBroker } from '../../tools/kafka/broker.js';
import { kafkaLatency } from './latency.js';
import { kafkaThroughput } from './throughput.js';

export interface KafkaSuiteOptions {
  rounds: number;
}

export async function kafkaSuite({ rounds }: KafkaSuiteOptions): Promise<string> {
  const dir = mkdtempSync(join(tmpdir(), 'eddy-bench-kafka-'));
  try {
    console.error('kafka: starting the broker');
    const brokers = [(await startBroker({ dir })).bootstrap];
    console.error('kafka: throughput');
    const throughput = await kafkaThroughput({ brokers, records: 200_000, partitions: 4, parallelisms: [1, 2], intervalMs: 1000, rounds });
    console.error('kafka: end-to-end latency');
    const latency = await kafkaLatency({ brokers, partitions: 4, parallelism: 1, rate: 2000, seconds: 10, warmupSeconds: 2, intervalsMs: [1000, 200], rounds });
    return ['### Throughput: Kafka -> map -> Kafka, and kafkajs alone', '', throughput, '', '### End-to-end latency by delivery guarantee', '', latency].join('\n');
  } finally {
    await stopBroker(dir);
    rmSync(dir, { recursive: true, force: true });
  }
}
