// `npm run bench:compare -- --suite kafka`: the Kafka -> map -> Kafka job (bench/kafka/) on eddy and
// on Apache Flink with its Kafka connector (bench/reference/flink, KafkaMap.java), against one
// broker started for the run (tools/kafka/broker.ts, stopped at the end): the same input topic of
// 1 KB JSON readings, at least once and exactly once, engines alternated; every output topic is
// read back and must hold each record once (read committed).

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startBroker, stopBroker } from '../../tools/kafka/broker.js';
import { eddyKafkaRun, type EddyKafkaOptions, type Guarantee } from '../kafka/eddy-run.js';
import { produceReadings } from '../kafka/kafkajs-alone.js';
import { checkCommittedCount, createTopic, deleteTopics, uniqueName } from '../kafka/topics.js';
import { formatRate, median, spreadPercent } from '../utils/stats.js';
import { flinkCommand, flinkVersions, runReporting } from './engines.js';

export interface KafkaCompareOptions {
  records: number;
  parallelism: number;
  rounds: number;
  /** Checkpoint interval of the exactly-once runs (ms). */
  intervalMs: number;
}

const PARTITIONS = 4;

/** One Flink run from `input` to a fresh output topic, checked and deleted; records/s from submission to the job's end. */
async function flinkRate(options: EddyKafkaOptions, input: string, parallelism: number, guarantee: Guarantee): Promise<number> {
  const { brokers, records } = options;
  const output = uniqueName('eddy-bench-flink-out');
  await createTopic(brokers, output, PARTITIONS);
  const args = ['--brokers', brokers.join(','), '--input', input, '--output', output, '--records', String(records), '--parallelism', String(parallelism), '--guarantee', guarantee];
  if (guarantee === 'exactly-once') args.push('--checkpoint-interval', String(options.intervalMs), '--transactional-id-prefix', uniqueName('eddy-bench-flink-tx'));
  const report = await runReporting<{ eventsPerSecond: number }>(`flink kafka-map ${guarantee}`, flinkCommand('eddy.reference.KafkaMap', args));
  await checkCommittedCount(brokers, output, records, `flink ${guarantee}`);
  await deleteTopics(brokers, [output]);
  return report.eventsPerSecond;
}

export async function kafkaCompare(options: KafkaCompareOptions): Promise<string> {
  const dir = mkdtempSync(join(tmpdir(), 'eddy-bench-compare-kafka-'));
  const rows: string[] = [];
  try {
    console.error('kafka: starting the broker');
    const run: EddyKafkaOptions = { brokers: [(await startBroker({ dir })).bootstrap], records: options.records, partitions: PARTITIONS, intervalMs: options.intervalMs };
    const input = uniqueName('eddy-bench-compare-in');
    await createTopic(run.brokers, input, PARTITIONS);
    await produceReadings(run.brokers, input, options.records, PARTITIONS);
    for (const guarantee of ['at-least-once', 'exactly-once'] as const) {
      const eddy: number[] = [];
      const flink: number[] = [];
      for (let round = 0; round < options.rounds; round++) {
        for (const engine of round % 2 === 0 ? (['eddy', 'flink'] as const) : (['flink', 'eddy'] as const)) {
          const rate = engine === 'eddy' ? (await eddyKafkaRun(run, input, options.parallelism, guarantee)).rate : await flinkRate(run, input, options.parallelism, guarantee);
          (engine === 'eddy' ? eddy : flink).push(rate);
          console.error(`  ${guarantee} round ${round + 1} ${engine}: ${formatRate(rate)} records/s`);
        }
      }
      rows.push(
        `| ${guarantee} | ${formatRate(median(eddy))} ±${spreadPercent(eddy).toFixed(0)} % | ${formatRate(median(flink))} ±${spreadPercent(flink).toFixed(0)} % | **${(median(eddy) / median(flink)).toFixed(2)}** |`,
      );
    }
  } finally {
    await stopBroker(dir);
    rmSync(dir, { recursive: true, force: true });
  }
  return [
    `${flinkVersions()} with flink-connector-kafka; Apache Kafka 4.4 on the same machine. ${formatRate(options.records)} records of about 1000 bytes of JSON in ${PARTITIONS} partitions, ` +
      `KafkaSource (bounded) -> map (value in Fahrenheit, JSON parsed and written again) -> KafkaSink, parallelism ${options.parallelism}, exactly-once with a checkpoint every ${options.intervalMs} ms; ` +
      `${options.rounds} rounds, engines alternated; medians (± half the range). eddy's time runs from runJob to the job's result (worker start-up included), Flink's from job submission to its result on a MiniCluster started before; ` +
      'every output topic is read back and holds each record once (read committed).',
    '',
    '| sink | eddy records/s | Flink records/s | eddy / Flink |',
    '|---|---|---|---|',
    ...rows,
  ].join('\n');
}
