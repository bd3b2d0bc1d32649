// End-to-end latency of Kafka -> map -> Kafka: readings written at a steady rate, each stamped when
// handed to the producer, through the unbounded eddy job to an output topic that a read-committed
// kafkajs consumer reads; latency = receive time - stamp, for at-least-once and for exactly-once
// at each checkpoint interval (exactly-once output is visible only once its checkpoint completes),
// next to kafkajs alone (the consumer reading the input topic: the floor of producer + consumer).

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import hdr from 'hdr-histogram-js';
import { runJob, StreamError } from '../../src/index.js';
import { ms } from '../checkpoints/checkpointed-run.js';
import type { KafkaMapArgs } from '../jobs/kafka-map.js';
import { nowMs } from '../utils/clock.js';
import { median } from '../utils/stats.js';
import { producePaced } from './paced-producer.js';
import type { Reading } from './records.js';
import { createTopic, deleteTopics, startConsumer, uniqueName, waitForCount } from './topics.js';

export interface KafkaLatencyOptions {
  brokers: string[];
  partitions: number;
  parallelism: number;
  /** Records per second. */
  rate: number;
  /** Measured seconds, after `warmupSeconds` whose records are not counted. */
  seconds: number;
  warmupSeconds: number;
  /** Checkpoint intervals of the exactly-once runs (ms). */
  intervalsMs: readonly number[];
  rounds: number;
}

/** kafkajs alone (no job), or the eddy job with a sink of `guarantee`. */
interface Variant {
  readonly name: string;
  readonly guarantee?: KafkaMapArgs['deliveryGuarantee'];
  readonly intervalMs?: number;
}

interface Percentiles {
  samples: number;
  p50Ms: number;
  p99Ms: number;
  maxMs: number;
}

/**
 * Writes paced readings to `input` while a consumer reads `read`, until every record arrived;
 * the percentiles of those stamped after the warm-up. Gives up as soon as `failed` (the job) rejects.
 */
async function measure(options: KafkaLatencyOptions, input: string, read: string, what: string, failed?: Promise<never>): Promise<Percentiles> {
  const { brokers, partitions } = options;
  const histogram = hdr.build({ lowestDiscernibleValue: 1, highestTrackableValue: 60_000_000, numberOfSignificantValueDigits: 3 });
  let measureFrom = Number.POSITIVE_INFINITY;
  let received = 0;
  const { consumer } = await startConsumer(brokers, read, (batch) => {
    const now = nowMs();
    for (const message of batch.messages) {
      const { time } = JSON.parse(message.value!.toString()) as Reading;
      if (time >= measureFrom) histogram.recordValue(Math.max(1, Math.round((now - time) * 1000)));
    }
    received += batch.messages.length;
  });
  try {
    const measured = (async () => {
      measureFrom = nowMs() + options.warmupSeconds * 1000;
      const sent = await producePaced({ brokers, topic: input, partitions, rate: options.rate, seconds: options.warmupSeconds + options.seconds });
      await waitForCount(() => received, sent, what);
      await sleep(500);
      if (received !== sent) throw new Error(`${what}: ${received} records arrived of the ${sent} sent.`);
    })();
    await (failed === undefined ? measured : Promise.race([measured, failed]));
  } finally {
    await consumer.disconnect();
  }
  return { samples: histogram.totalCount, p50Ms: histogram.getValueAtPercentile(50) / 1000, p99Ms: histogram.getValueAtPercentile(99) / 1000, maxMs: histogram.maxValue / 1000 };
}

/** One round of `variant` on fresh topics (deleted after). */
async function latencyRun(options: KafkaLatencyOptions, variant: Variant): Promise<Percentiles> {
  const { brokers, partitions } = options;
  const input = uniqueName('eddy-bench-latency-in');
  await createTopic(brokers, input, partitions);
  if (variant.guarantee === undefined) {
    try {
      return await measure(options, input, input, `latency, ${variant.name}`);
    } finally {
      await deleteTopics(brokers, [input]);
    }
  }
  const output = uniqueName('eddy-bench-latency-out');
  await createTopic(brokers, output, partitions);
  const dir = variant.intervalMs === undefined ? undefined : mkdtempSync(join(tmpdir(), 'eddy-bench-kafka-checkpoints-'));
  const args: KafkaMapArgs = {
    brokers,
    input,
    output,
    groupId: uniqueName('eddy-bench-job'),
    bounded: false,
    deliveryGuarantee: variant.guarantee,
    transactionalIdPrefix: uniqueName('eddy-bench-tx'),
    checkpoint: dir === undefined ? undefined : { intervalMs: variant.intervalMs!, dir },
  };
  const client = await runJob(new URL('../jobs/kafka-map.js', import.meta.url), { parallelism: options.parallelism, args, jobName: 'kafka latency' });
  // The job runs until cancelled: ending before that is a failure, reported as soon as it happens.
  const failed = client.result.then(() => {
    throw new Error('the latency job ended by itself');
  });
  failed.catch(() => undefined);
  let percentiles: Percentiles;
  try {
    percentiles = await measure(options, input, output, `latency, ${variant.name}`, failed);
  } finally {
    await client.cancel();
    if (dir !== undefined) rmSync(dir, { recursive: true, force: true });
    await deleteTopics(brokers, [input, output]);
  }
  await failed.catch((error: unknown) => {
    if (!(error instanceof StreamError && error.code === 'JOB_CANCELLED')) throw error;
  });
  return percentiles;
}

export async function kafkaLatency(options: KafkaLatencyOptions): Promise<string> {
  const variants: Variant[] = [
    { name: 'kafkajs alone: producer -> consumer, no job' },
    { name: 'eddy, at-least-once', guarantee: 'at-least-once' },
    ...options.intervalsMs.map((intervalMs) => ({ name: 'eddy, exactly-once', guarantee: 'exactly-once' as const, intervalMs })),
  ];
  const lines = [
    `${options.rate} records/s of about 1000 bytes for ${options.warmupSeconds} + ${options.seconds} s (the first ${options.warmupSeconds} s not measured), ${options.partitions} partitions, ` +
      `the eddy job unbounded at parallelism ${options.parallelism}; latency from handing a record to the kafkajs producer (acks -1) to a read-committed kafkajs consumer (in the same process) receiving it, ` +
      `or its result; medians of ${options.rounds} rounds (max: the largest).`,
    '',
    '| pipeline | checkpoint interval | samples per round | p50 | p99 | max |',
    '|---|---|---|---|---|---|',
  ];
  for (const variant of variants) {
    const runs: Percentiles[] = [];
    for (let round = 0; round < options.rounds; round++) {
      const r = await latencyRun(options, variant);
      runs.push(r);
      console.error(`  ${variant.name} ${variant.intervalMs ?? '-'} round ${round + 1}: p50 ${ms(r.p50Ms)} ms, p99 ${ms(r.p99Ms)} ms, max ${ms(r.maxMs)} ms`);
    }
    lines.push(
      `| ${variant.name} | ${variant.intervalMs === undefined ? 'none' : `${variant.intervalMs} ms`} | ${median(runs.map((r) => r.samples))} | ` +
        `${ms(median(runs.map((r) => r.p50Ms)))} ms | ${ms(median(runs.map((r) => r.p99Ms)))} ms | ${ms(Math.max(...runs.map((r) => r.maxMs)))} ms |`,
    );
  }
  return lines.join('\n');
}
