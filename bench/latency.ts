// Latency (BENCHMARKS.md suite 6, issue-2 shape): single records at a low rate through
// source -> keyBy -> sink, p50/p99/p99.9/max of creation -> arrival; and the CPU an idle job uses.

import hdr from 'hdr-histogram-js';
import { runJob } from '../src/index.js';

export interface LatencyRow {
  shape: string;
  rate: number;
  samples: number;
  p50us: number;
  p99us: number;
  p999us: number;
  maxUs: number;
}

/** Source and measuring operator run at parallelism 1, on two threads; the rest at `parallelism`. */
export async function singleRecordLatency(count: number, intervalMs: number, parallelism: number): Promise<LatencyRow> {
  const client = await runJob(new URL('./jobs/latency.js', import.meta.url), { parallelism, args: { count, intervalMs } });
  const ages = ((await client.result).collected[0] as number[][])[0]!;
  const histogram = hdr.build({ lowestDiscernibleValue: 1, highestTrackableValue: 60_000_000, numberOfSignificantValueDigits: 3 });
  // Skip the first records: they include worker start-up and JIT warm-up.
  for (const ms of ages.slice(Math.min(100, ages.length >> 2))) histogram.recordValue(Math.max(1, Math.round(ms * 1000)));
  return {
    shape: 'source -> keyBy -> sink',
    rate: 1000 / intervalMs,
    samples: histogram.totalCount,
    p50us: histogram.getValueAtPercentile(50),
    p99us: histogram.getValueAtPercentile(99),
    p999us: histogram.getValueAtPercentile(99.9),
    maxUs: histogram.maxValue,
  };
}

export function latencyTable(rows: readonly LatencyRow[]): string {
  return [
    '| pipeline | rate (records/s) | samples | p50 | p99 | p99.9 | max |',
    '|---|---|---|---|---|---|---|',
    ...rows.map((r) => `| ${r.shape} | ${r.rate} | ${r.samples} | ${r.p50us} µs | ${r.p99us} µs | ${r.p999us} µs | ${r.maxUs} µs |`),
  ].join('\n');
}

/** CPU used by a running job whose source has nothing to read, as a share of one core. */
export async function idleCpuShare(seconds: number): Promise<number> {
  const client = await runJob(new URL('./jobs/idle.js', import.meta.url), { parallelism: 2 });
  await new Promise((resolve) => setTimeout(resolve, 500));
  const cpu = process.cpuUsage();
  const started = performance.now();
  await new Promise((resolve) => setTimeout(resolve, seconds * 1000));
  const used = process.cpuUsage(cpu);
  const wall = (performance.now() - started) / 1000;
  await client.cancel();
  return (used.user + used.system) / 1e6 / wall;
}
