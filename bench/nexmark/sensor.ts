// The seed's sensor job on generated readings, as the Flink reference runs it
// (bench/reference/flink/README.md): reading n draws from mulberry32 seeded with n (the generator
// of SPEC.md) `device_id = 'sensor-' + nextInt(devices)`, then `temp = nextInt(4000) / 100`; its
// event time is dateTime(n, rate). Per device, sliding windows of 10 s every 5 s reduce the
// readings with the seed's pairwise mean, and each window prints `device,windowEnd,round(temp * 1000)`.
//
// The pairwise mean is not associative: a window's result depends on the order its readings
// arrive in, so the two engines agree line for line only where that order is fixed (parallelism 1).

import {
  SlidingEventTimeWindows,
  WatermarkStrategy,
  type Collector,
  type DataStream,
  type Source,
  type SourceReader,
  type SourceReaderContext,
  type StreamExecutionEnvironment,
  type TimeWindow,
  type WindowAssigner,
} from '../../src/index.js';
import { dateTimeOf, nextInt, OUT_OF_ORDERNESS_MS, seed } from './generator.js';
import { StrideReader, type StrideSplit } from './stride-reader.js';
import type { QueryJob } from './queries.js';

/** A sensor reading, fields in the Flink reference's order. */
export interface Reading {
  device_id: string;
  temp: number;
  /** Event time (ms). */
  ts: number;
}

export const DEFAULT_DEVICES = 1000;
/** Readings per second of event time, unless a run says otherwise. */
export const DEFAULT_SEED_RATE = 10_000;

const deviceNames = new Map<number, string[]>();

function namesOf(devices: number): string[] {
  let names = deviceNames.get(devices);
  if (names === undefined) deviceNames.set(devices, (names = Array.from({ length: devices }, (_, d) => `sensor-${d}`)));
  return names;
}

/** Reading `n` of `devices` devices at `rate` readings per second. */
export function readingAt(n: number, rate: number = DEFAULT_SEED_RATE, devices: number = DEFAULT_DEVICES): Reading {
  seed(n);
  const device_id = namesOf(devices)[nextInt(devices)]!;
  const temp = nextInt(4000) / 100;
  return { device_id, temp, ts: dateTimeOf(n, rate) };
}

/** Readings 0 .. count-1; subtask i of p reads n = i, i + p, ... Bounded; its readers checkpoint their position. */
export class ReadingSource implements Source<Reading, StrideSplit> {
  readonly boundedness = 'bounded';

  constructor(
    readonly count: number,
    readonly rate: number = DEFAULT_SEED_RATE,
    readonly devices: number = DEFAULT_DEVICES,
  ) {
    if (!Number.isSafeInteger(count) || count < 0) throw new RangeError(`ReadingSource: count must be a whole number >= 0, got ${count}`);
    if (!(rate > 0) || !Number.isFinite(rate)) throw new RangeError(`ReadingSource: rate must be a positive number, got ${rate}`);
    if (!Number.isSafeInteger(devices) || devices < 1) throw new RangeError(`ReadingSource: devices must be a whole number >= 1, got ${devices}`);
  }

  createReader(ctx: SourceReaderContext<StrideSplit>): SourceReader<Reading, StrideSplit> {
    const { rate, devices } = this;
    return new StrideReader(this.count, ctx, (n) => readingAt(n, rate, devices));
  }
}

/** The readings of a job, event time from `ts`, watermarks 4 s behind as the Nexmark source's. */
export function readingStream(env: StreamExecutionEnvironment, count: number, rate: number = DEFAULT_SEED_RATE, devices: number = DEFAULT_DEVICES): DataStream<Reading> {
  return env.fromSource(
    new ReadingSource(count, rate, devices),
    WatermarkStrategy.forBoundedOutOfOrderness<Reading>(OUT_OF_ORDERNESS_MS).withTimestampAssigner((r) => r.ts),
    'Sensor Readings',
  );
}

/** The seed job's windows: 10 s every 5 s. */
export const SEED_WINDOWS = SlidingEventTimeWindows.of(10_000, 5_000);

/** A seed job result: the pairwise mean of one device's window. */
export interface WindowMean {
  device: string;
  windowEnd: number;
  temp: number;
}

/**
 * The seed's job: per device, 10 s windows every 5 s, the pairwise-mean reduce; its line
 * `device,windowEnd,round(temp * 1000)`. `windows` is {@link SEED_WINDOWS}, or in latency mode the
 * same wrapped to measure each arrival.
 */
export function seedJob(readings: DataStream<Reading>, windows: WindowAssigner<Reading, TimeWindow> = SEED_WINDOWS): QueryJob<WindowMean> {
  const results = readings
    .keyBy((r) => r.device_id)
    .window(windows)
    .reduce(
      (v1, v2) => ({ device_id: v1.device_id, temp: (v1.temp + v2.temp) / 2, ts: v1.ts }),
      (device: string, ctx, means, out: Collector<WindowMean>) => {
        for (const r of means) out.collect({ device, windowEnd: ctx.window.end, temp: r.temp });
      },
    )
    .name('seed: pairwise mean per device');
  return { results, format: (m) => `${m.device},${m.windowEnd},${Math.round(m.temp * 1000)}` };
}
