// The sensor job benchmark: the per-device sliding-window sensor job (the demo's job) on generated
// readings, as a plain single-threaded loop with the same windows (the language's ceiling) and as
// eddy jobs at parallelism 1 and 2, alternated over several rounds in one process.

import { runJob } from '../src/index.js';
import type { EfficiencyRow } from './engine-efficiency.js';
import { deviceIds, sensorReading, type Temperature } from './jobs/sensor-windows.js';
import { median, spreadPercent } from './utils/stats.js';
import { measure, type Measurement } from './utils/measure.js';

export interface SensorJobOptions {
  count: number;
  devices: number;
  rounds: number;
  parallelisms: number[];
}

const SIZE = 10_000;
const SLIDE = 5_000;


/**
 * The baseline: the same readings through the same sliding windows in one loop. The readings come
 * in time order, so a window fires once a reading reaches its end; its result goes to a checksum.
 * Returns how many windows fired and the sum of their results.
 */
export function plainLoop(count: number, devices: number): { windows: number; checksum: number } {
  const ids = deviceIds(devices);
  const windows = new Map<string, Map<number, Temperature>>(ids.map((id) => [id, new Map()]));
  let checksum = 0;
  let fired = 0;
  let firedUpTo = Number.NEGATIVE_INFINITY;
  const fire = (watermark: number) => {
    for (const perDevice of windows.values()) {
      for (const [start, result] of perDevice) {
        if (start + SIZE - 1 > watermark) continue;
        checksum += result.temp;
        fired++;
        perDevice.delete(start);
      }
    }
  };
  for (let i = 0; i < count; i++) {
    const { reading, time } = sensorReading(i, ids);
    const lastStart = time - (time % SLIDE);
    if (lastStart > firedUpTo) {
      fire(time - 1);
      firedUpTo = lastStart;
    }
    const perDevice = windows.get(reading.device_id)!;
    for (let start = lastStart; start > time - SIZE; start -= SLIDE) {
      const acc = perDevice.get(start);
      perDevice.set(start, acc === undefined ? reading : { device_id: acc.device_id, temp: (acc.temp + reading.temp) / 2 });
    }
  }
  fire(Number.POSITIVE_INFINITY);
  return { windows: fired, checksum };
}

async function eddyRun(count: number, devices: number, parallelism: number): Promise<void> {
  const client = await runJob(new URL('./jobs/sensor-windows.js', import.meta.url), { parallelism, args: { count, devices } });
  await client.result;
}

export async function sensorJob(options: SensorJobOptions): Promise<EfficiencyRow[]> {
  const { count, devices } = options;
  const variants: [string, () => Promise<void> | void][] = [
    ['plain loop (1 thread)', () => void plainLoop(count, devices)],
    ...options.parallelisms.map((p): [string, () => Promise<void>] => [`eddy p=${p}`, () => eddyRun(count, devices, p)]),
  ];
  const runs = new Map<string, Measurement[]>(variants.map(([name]) => [name, []]));
  await eddyRun(100_000, devices, 1); // warm up the module cache and the JIT
  plainLoop(count, devices); // and the loop, whose first run is slower
  for (let round = 0; round < options.rounds; round++) {
    for (const [name, work] of variants) runs.get(name)!.push(await measure(work));
  }
  return variants.map(([variant]) => {
    const m = runs.get(variant)!;
    const rates = m.map((x) => count / x.seconds);
    return {
      variant,
      recordsPerSecond: median(rates),
      spread: spreadPercent(rates),
      recordsPerCpuSecond: median(m.map((x) => count / x.cpuSeconds)),
    };
  });
}
