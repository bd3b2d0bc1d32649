// Engine efficiency (BENCHMARKS.md suite 2): the keyed pipeline generate -> map -> keyBy ->
// rolling sum -> discard, as a plain single-threaded loop (the language's ceiling) and as eddy
// jobs at parallelism 1 and 2, with and without object reuse, alternated over several rounds in
// one process.

import { runJob } from '../src/index.js';
import { keyedRecord } from './utils/keyed-records.js';
import { formatRate, median, spreadPercent } from './utils/stats.js';
import { measure, type Measurement } from './utils/measure.js';

export interface EfficiencyOptions {
  count: number;
  keys: number;
  rounds: number;
  parallelisms: number[];
}


/** The baseline: the same pipeline as one plain loop with a Map. */
export function plainLoop(count: number, keys: number): number {
  const sums = new Map<number, { key: number; value: number }>();
  let checksum = 0;
  for (let i = 0; i < count; i++) {
    const r = keyedRecord(i, keys);
    const acc = sums.get(r.key);
    const next = acc === undefined ? r : { key: acc.key, value: acc.value + r.value };
    sums.set(r.key, next);
    checksum += next.value;
  }
  return checksum;
}

async function eddyRun(count: number, keys: number, parallelism: number, objectReuse = false): Promise<void> {
  const job = new URL('./jobs/keyed-sum.js', import.meta.url);
  const client = await runJob(job, { parallelism, args: { count, keys, objectReuse } });
  await client.result;
}

export interface EfficiencyRow {
  variant: string;
  recordsPerSecond: number;
  spread: number;
  recordsPerCpuSecond: number;
}

export async function engineEfficiency(options: EfficiencyOptions): Promise<EfficiencyRow[]> {
  const variants: [string, () => Promise<void> | void][] = [
    ['plain loop (1 thread)', () => void plainLoop(options.count, options.keys)],
    ...options.parallelisms.map((p): [string, () => Promise<void>] => [`eddy p=${p}`, () => eddyRun(options.count, options.keys, p)]),
    ...options.parallelisms.map((p): [string, () => Promise<void>] => [`eddy p=${p}, object reuse`, () => eddyRun(options.count, options.keys, p, true)]),
  ];
  const runs = new Map<string, Measurement[]>(variants.map(([name]) => [name, []]));
  await eddyRun(100_000, options.keys, 1); // warm up the module cache and the JIT
  plainLoop(options.count, options.keys); // and the loop, whose first run is a third as fast
  for (let round = 0; round < options.rounds; round++) {
    for (const [name, work] of variants) runs.get(name)!.push(await measure(work));
  }
  return variants.map(([variant]) => {
    const m = runs.get(variant)!;
    const rates = m.map((x) => options.count / x.seconds);
    return {
      variant,
      recordsPerSecond: median(rates),
      spread: spreadPercent(rates),
      recordsPerCpuSecond: median(m.map((x) => options.count / x.cpuSeconds)),
    };
  });
}

/** Markdown table with ratios against the plain loop (records/s and per CPU-second) and against eddy p=1. */
export function efficiencyTable(rows: readonly EfficiencyRow[]): string {
  const base = rows[0]!.recordsPerSecond;
  const basePerCpu = rows[0]!.recordsPerCpuSecond;
  const p1 = rows.find((r) => r.variant === 'eddy p=1')?.recordsPerSecond ?? Number.NaN;
  const lines = [
    '| variant | records/s (median) | spread | records per CPU-second | vs plain loop | vs eddy p=1 | per CPU-second vs plain loop |',
    '|---|---|---|---|---|---|---|',
    ...rows.map(
      (r) =>
        `| ${r.variant} | ${formatRate(r.recordsPerSecond)} | ±${r.spread.toFixed(0)} % | ${formatRate(r.recordsPerCpuSecond)} | ` +
        `${(r.recordsPerSecond / base).toFixed(2)} | ${r.variant.startsWith('eddy') ? (r.recordsPerSecond / p1).toFixed(2) : ''} | ${(r.recordsPerCpuSecond / basePerCpu).toFixed(3)} |`,
    ),
  ];
  return lines.join('\n');
}
