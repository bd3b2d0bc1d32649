// Benchmark job: the per-device sliding-window sensor job on generated readings: per device, a
// 10 s window sliding every 5 s with the pairwise-mean reduce, into a discarding sink.

import { defineJob, SlidingEventTimeWindows, Time, WatermarkStrategy, type Source, type SourceReader } from '../../src/index.js';

/** A reading as the sensor job's records hold it; its time travels as the record timestamp. */
export interface Temperature {
  device_id: string;
  temp: number;
}

/** Event time of the first reading (epoch ms); each device reads every `READING_INTERVAL_MS`. */
export const BASE_TIME = Date.UTC(2026, 0, 1);
export const READING_INTERVAL_MS = 100;

/** Reading number `i` of `devices` devices, round-robin, and its event time (non-decreasing in `i`). */
export function sensorReading(i: number, deviceIds: readonly string[]): { reading: Temperature; time: number } {
  const devices = deviceIds.length;
  return {
    reading: { device_id: deviceIds[i % devices]!, temp: 15 + ((Math.imul(i, 0x9e3779b1) >>> 0) % 200) / 10 },
    time: BASE_TIME + Math.floor(i / devices) * READING_INTERVAL_MS,
  };
}

export function deviceIds(devices: number): string[] {
  return Array.from({ length: devices }, (_, d) => `sensor-${d}`);
}

const PER_POLL = 1024;

/**
 * Readings 0..count-1, subtask s of p reading numbers s, s + p, s + 2p ... (as Kafka partitions
 * interleave in time), each with its event time as the record timestamp.
 */
class GeneratedReadings implements Source<Temperature> {
  readonly boundedness = 'bounded';

  constructor(
    private readonly count: number,
    private readonly devices: number,
  ) {}

  createReader({ subtask, parallelism }: { subtask: number; parallelism: number }): SourceReader<Temperature> {
    const { count } = this;
    const ids = deviceIds(this.devices);
    let i = subtask;
    return {
      pollNext(output) {
        for (let n = 0; n < PER_POLL && i < count; n++, i += parallelism) {
          const { reading, time } = sensorReading(i, ids);
          output.collect(reading, time);
        }
        return i < count ? 'more-available' : 'end-of-input';
      },
      isAvailable: () => Promise.resolve(),
    };
  }
}

/** `collect`: return the window results (for the test against the plain loop) instead of discarding them. */
export default defineJob((env, args: { count: number; devices: number; collect?: boolean }) => {
  const results = env
    .fromSource(new GeneratedReadings(args.count, args.devices), WatermarkStrategy.forMonotonousTimestamps<Temperature>(), 'Sensor Readings')
    .keyBy((x) => x.device_id)
    .window(SlidingEventTimeWindows.of(Time.seconds(10), Time.seconds(5)))
    .reduce((v1, v2) => ({ device_id: v1.device_id, temp: (v1.temp + v2.temp) / 2 }));
  if (args.collect === true) return results;
  results.sinkTo({ createWriter: () => ({ write() {} }) });
  return undefined;
});
