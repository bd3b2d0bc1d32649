// The per-device sliding-window sensor job (a classic PyFlink example) in TypeScript: temperature
// per sensor over a 10-second window sliding every 5 seconds, in event time. Prints the example's
// pairwise-mean reduce (which is not an average) next to the true average (an AggregateFunction).
// Run: npm run demo. To watch it on the dashboard, replay ten minutes of readings at 20x:
// npx eddy run examples/sensor-job.ts --ui -- --seconds 600 --speed 20

import {
  ProcessFunction,
  SlidingEventTimeWindows,
  StreamExecutionEnvironment,
  Time,
  WatermarkStrategy,
  type AggregateFunction,
  type Collector,
  type ProcessContext,
} from 'eddy';
import { parseArgs } from 'node:util';
import { clock, sensorReadings, type SensorReading } from './inputs.js';
import { ReplayedSource } from './replayed-source.js';

// --seconds: how much time the readings cover (default 30); --speed: replay them in real time,
// this many times faster (default: as fast as they go).
const { values: options } = parseArgs({ options: { seconds: { type: 'string' }, speed: { type: 'string' } } });
const seconds = Number(options.seconds ?? 30);
const speed = options.speed === undefined ? undefined : Number(options.speed);
if (!Number.isInteger(seconds) || seconds < 1) throw new TypeError(`--seconds must be a whole number of at least 1, got ${options.seconds}.`);
if (speed !== undefined && !(speed > 0)) throw new TypeError(`--speed must be a number above 0 (20: twenty times real time), got ${options.speed}.`);

/** What the job's records hold (a Kafka source would give them their time). */
interface Temperature {
  device_id: string;
  temp: number;
}

/** A window's result for one device, from either computation; `end` is the window's (exclusive) end. */
type WindowRow =
  | { kind: 'pairwise'; device_id: string; end: number; temp: number }
  | { kind: 'average'; device_id: string; end: number; temp: number; count: number };

/**
 * The pairwise-mean reduce folds each window's readings pairwise, `(v1 + v2) / 2` in arrival order, so
 * the last reading weighs 1/2, the one before 1/4, and so on: 10, 20 and 30 give 22.5, not 20.
 * An average needs a sum and a count, kept per window and merged when windows share panes.
 */
const averageTemperature: AggregateFunction<Temperature, { sum: number; count: number }, { temp: number; count: number }> = {
  createAccumulator: () => ({ sum: 0, count: 0 }),
  add: (reading, acc) => ({ sum: acc.sum + reading.temp, count: acc.count + 1 }),
  getResult: (acc) => ({ temp: acc.sum / acc.count, count: acc.count }),
  merge: (a, b) => ({ sum: a.sum + b.sum, count: a.count + b.count }),
};

/** Labels the pairwise means with their window: a window's result carries the timestamp end - 1. */
class PairwiseRow extends ProcessFunction<Temperature, WindowRow> {
  processElement(value: Temperature, ctx: ProcessContext, out: Collector<WindowRow>): void {
    out.collect({ kind: 'pairwise', device_id: value.device_id, end: ctx.timestamp! + 1, temp: value.temp });
  }
}

const env = StreamExecutionEnvironment.getExecutionEnvironment();

// The records are { device_id, temp } with the time beside them; here the time moves from the
// reading into the record's event timestamp. The map runs beside the source (parallelism 1), so
// each device's readings reach its windows in their order, which the pairwise mean depends on.
const recorded = sensorReadings(seconds);
const readings = (speed === undefined ? env.fromCollection(recorded) : env.addSource(new ReplayedSource(recorded, (r) => r.time, speed), 'Sensor Readings'))
  .assignTimestampsAndWatermarks(WatermarkStrategy.forMonotonousTimestamps<SensorReading>().withTimestampAssigner((r) => r.time))
  .map(({ device_id, temp }): Temperature => ({ device_id, temp }))
  .setParallelism(1);

// The job as the PyFlink example writes it: a pairwise mean.
const pairwise = readings
  .keyBy((x) => x.device_id)
  .window(SlidingEventTimeWindows.of(Time.seconds(10), Time.seconds(5)))
  .reduce((v1, v2) => ({ device_id: v1.device_id, temp: (v1.temp + v2.temp) / 2 }));

// The same windows with the average it means.
const averages = readings
  .keyBy((x) => x.device_id)
  .window(SlidingEventTimeWindows.of(Time.seconds(10), Time.seconds(5)))
  .aggregate(averageTemperature, (device, ctx, results, out: Collector<WindowRow>) => {
    for (const { temp, count } of results) out.collect({ kind: 'average', device_id: device, end: ctx.window.end, temp, count });
  });

const rows = await pairwise.process(new PairwiseRow()).union(averages).executeAndCollect({ jobName: 'Sensor Sliding Window' });

const pairwiseTemp = new Map<string, number>();
const report: Extract<WindowRow, { kind: 'average' }>[] = [];
for (const row of rows) {
  if (row.kind === 'pairwise') pairwiseTemp.set(`${row.device_id} ${row.end}`, row.temp);
  else report.push(row);
}
report.sort((a, b) => a.device_id.localeCompare(b.device_id) || a.end - b.end);
console.log(`sensor-job at parallelism ${env.getParallelism()}: ${report.length} windows (10 s, every 5 s) over ${recorded.length} readings`);
console.log('device    window           pairwise mean  average  readings');
for (const { device_id, end, temp, count } of report) {
  const pairwiseMean = pairwiseTemp.get(`${device_id} ${end}`)!;
  console.log(`${device_id}  ${clock(end - 10_000)}-${clock(end)}  ${pairwiseMean.toFixed(2).padStart(13)}  ${temp.toFixed(2).padStart(7)}  ${String(count).padStart(8)}`);
}
