// The sensor job on Kafka, end to end: a generator writes temperature readings to a topic (and one
// malformed record); the job reads them with their Kafka timestamps, averages each sensor over a
// 10-second window sliding every 5 seconds in event time, and writes the averages to another topic
// exactly once. It reads up to the end of the topic as it was at the start, then ends.
//
// Run:  npm run kafka:start -- --port 9092 --dir /tmp/kafka
//       npm run demo:kafka -- --generate 30000
// After a kill (kill -9) part-way, run it again with --restore: it resumes from its newest
// checkpoint, and the output topic still holds every window once (for read-committed consumers).
// Options: --brokers 127.0.0.1:9092, --input sensor-readings, --output sensor-averages,
// --checkpoints ./checkpoints/kafka-sensor-job, --parallelism N.

import { isMainThread } from 'node:worker_threads';
import { Command } from 'commander';
import { Kafka, logLevel } from 'kafkajs';
import {
  KafkaSink,
  KafkaSource,
  SlidingEventTimeWindows,
  StreamExecutionEnvironment,
  Time,
  WatermarkStrategy,
  type AggregateFunction,
} from 'eddy';

/** A reading as the generator writes it; its time is the Kafka record's timestamp. */
interface Reading {
  device_id: string;
  temp: number;
}

/** What the job writes per sensor and window. */
interface WindowAverage {
  device_id: string;
  windowStart: number;
  windowEnd: number;
  avg: number;
  count: number;
}

const options = new Command()
  .option('--brokers <list>', 'bootstrap brokers, comma-separated', '127.0.0.1:9092')
  .option('--input <topic>', 'the readings topic', 'sensor-readings')
  .option('--output <topic>', 'the averages topic', 'sensor-averages')
  .option('--generate <n>', 'first write n readings (and one malformed record) to the input topic', (v) => Number.parseInt(v, 10), 0)
  .option('--checkpoints <dir>', 'checkpoint folder', './checkpoints/kafka-sensor-job')
  .option('--restore', 'resume from the newest checkpoint (after a kill)')
  .option('--parallelism <n>', 'parallelism of the job', (v) => Number.parseInt(v, 10))
  .allowExcessArguments()
  .parse(process.argv)
  .opts<{ brokers: string; input: string; output: string; generate: number; checkpoints: string; restore?: boolean; parallelism?: number }>();
const brokers = options.brokers.split(',');

/** Writes `count` readings of three sensors, 100 ms of event time apart, to the input topic; and one record that is not JSON. */
async function generate(count: number): Promise<void> {
  const kafka = new Kafka({ clientId: 'kafka-sensor-generator', brokers, logLevel: logLevel.NOTHING });
  const admin = kafka.admin();
  await admin.connect();
  await admin.createTopics({ topics: [{ topic: options.input, numPartitions: 4 }, { topic: options.output, numPartitions: 2 }], waitForLeaders: true });
  await admin.disconnect();
  // Idempotent: a retried request is not written twice.
  const producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1 });
  await producer.connect();
  const start = Date.parse('2026-01-01T00:00:00Z');
  let seed = 7;
  const random = (): number => ((seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31) / 2 ** 31);
  for (let i = 0; i < count; i += 1000) {
    const messages = Array.from({ length: Math.min(1000, count - i) }, (_, k) => {
      const n = i + k;
      const device_id = `sensor-${(n % 3) + 1}`;
      const reading: Reading = { device_id, temp: Math.round((18 + random() * 12) * 10) / 10 };
      return { key: device_id, value: JSON.stringify(reading), timestamp: String(start + n * 100) };
    });
    if (i === 0) messages.push({ key: 'sensor-1', value: '{"device_id": "sensor-1", "temp": ', timestamp: String(start) });
    await producer.send({ topic: options.input, acks: -1, messages });
  }
  await producer.disconnect();
  console.log(`wrote ${count} readings and 1 malformed record to ${options.input}`);
}

const average: AggregateFunction<Reading, { sum: number; count: number }, { avg: number; count: number }> = {
  createAccumulator: () => ({ sum: 0, count: 0 }),
  add: (r, acc) => ({ sum: acc.sum + r.temp, count: acc.count + 1 }),
  getResult: (acc) => ({ avg: Math.round((acc.sum / acc.count) * 100) / 100, count: acc.count }),
  merge: (a, b) => ({ sum: a.sum + b.sum, count: a.count + b.count }),
};

// Workers re-run this script to build the same job: only the main thread writes the readings.
if (isMainThread && options.generate > 0 && options.restore !== true) await generate(options.generate);

const env = StreamExecutionEnvironment.getExecutionEnvironment();
if (options.parallelism !== undefined) env.setParallelism(options.parallelism);
env.enableCheckpointing(1000, { dir: options.checkpoints });
if (options.restore === true) env.restoreFrom('latest');

const readings = KafkaSource.create<Reading>({
  brokers,
  topics: [options.input],
  groupId: 'kafka-sensor-job',
  bounded: true,
  onDeserializationError: 'skip',
});
env
  .fromSource(readings, WatermarkStrategy.forBoundedOutOfOrderness<Reading>(Time.seconds(1)).withIdleness(Time.seconds(5)), 'Sensor Readings')
  .uid('readings')
  .keyBy((r) => r.device_id)
  .window(SlidingEventTimeWindows.of(Time.seconds(10), Time.seconds(5)))
  .aggregate(average, (device_id, ctx, results, out) => {
    for (const { avg, count } of results) out.collect({ device_id, windowStart: ctx.window.start, windowEnd: ctx.window.end, avg, count } satisfies WindowAverage);
  })
  .uid('averages')
  .sinkTo(KafkaSink.create<WindowAverage>({ brokers, topic: options.output, key: (w) => w.device_id, deliveryGuarantee: 'exactly-once', transactionalIdPrefix: 'kafka-sensor-job' }));

const result = await env.execute('Kafka Sensor Averages');
const skipped = result.metrics.filter((m) => m.name === 'Sensor Readings').reduce((sum, m) => sum + m.recordsSkipped, 0);
const windows = result.metrics.filter((m) => m.name.startsWith('Sink')).reduce((sum, m) => sum + m.recordsIn, 0);
console.log(`kafka-sensor-job: ${windows} window averages written to ${options.output} exactly once, ${skipped} malformed record(s) skipped, ${result.restarts} restart(s)`);
