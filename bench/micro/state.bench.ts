// Micro benchmarks of the keyed per-record path: hashing keys to key groups, and a rolling sum on
// ValueState (setCurrentKey + value + update per record) beside a plain Map<string, number>.
// Run alone: `node dist/bench/micro/state.bench.js`; `npm run bench -- micro` runs it with the rest.

import { pathToFileURL } from 'node:url';
import { Bench } from 'tinybench';
import { keyGroupFor, keyGroupOf } from '../../src/core/key-groups.js';
import { HeapKeyedStateBackend } from '../../src/state/keyed-state-backend.js';
import { ValueStateDescriptor } from '../../src/core/state-descriptors.js';
import { formatRate } from '../utils/stats.js';

/** Records processed by one invocation of a task. */
const RECORDS = 10_000;
const MAX_PARALLELISM = 128;
/** Length of the (power-of-two) key sequence the rolling sums cycle through. */
const ORDER_LENGTH = 1 << 18;

/** One benchmark's figures, per record. */
export interface StateBenchRow {
  task: string;
  recordsPerSecond: number;
  nsPerRecord: number;
  /** Relative margin of error of the mean, in percent. */
  rmePercent: number;
  samples: number;
}

/** Defeats dead-code elimination: the hashing tasks fold their results into it. */
let sink = 0;

/**
 * Which key each record has: uniformly random (fixed seed), the same sequence for the state and
 * the Map variants, so that neither gets the cache-friendly order of its own insertions.
 */
function keyOrder(keyCount: number): Uint32Array {
  let x = 0x2545f491;
  return Uint32Array.from({ length: ORDER_LENGTH }, () => {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    return (x >>> 0) % keyCount;
  });
}

function rollingSumOnState(keyCount: number): () => void {
  const backend = new HeapKeyedStateBackend({
    maxParallelism: MAX_PARALLELISM,
    keyGroupRange: { start: 0, end: MAX_PARALLELISM - 1 },
    clock: Date.now,
  });
  const sum = backend.getState(new ValueStateDescriptor<number>('sum'));
  const keys = Array.from({ length: keyCount }, (_, i) => `key-${i}`);
  const groups = keys.map((key) => keyGroupFor(key, MAX_PARALLELISM));
  const order = keyOrder(keyCount);
  let next = 0;
  return () => {
    for (let i = 0; i < RECORDS; i++) {
      const k = order[next]!;
      next = (next + 1) & (ORDER_LENGTH - 1);
      backend.setCurrentKey(keys[k]!, groups[k]!);
      sum.update((sum.value() ?? 0) + 1);
    }
  };
}

function rollingSumOnMap(keyCount: number): () => void {
  const sums = new Map<string, number>();
  const keys = Array.from({ length: keyCount }, (_, i) => `key-${i}`);
  const order = keyOrder(keyCount);
  let next = 0;
  return () => {
    for (let i = 0; i < RECORDS; i++) {
      const key = keys[order[next]!]!;
      next = (next + 1) & (ORDER_LENGTH - 1);
      sums.set(key, (sums.get(key) ?? 0) + 1);
    }
  };
}

function hashingFor(keys: readonly (string | number)[]): () => void {
  return () => {
    let acc = 0;
    for (let i = 0; i < RECORDS; i++) acc += keyGroupFor(keys[i & 1023]!, MAX_PARALLELISM);
    sink += acc;
  };
}

function hashingOf(keys: readonly unknown[]): () => void {
  return () => {
    let acc = 0;
    for (let i = 0; i < RECORDS; i++) acc += keyGroupOf(keys[i & 1023], MAX_PARALLELISM, 'bench');
    sink += acc;
  };
}

/** Runs the tasks and returns their figures per record. */
export async function run(options: { timeMs?: number } = {}): Promise<StateBenchRow[]> {
  const stringKeys = Array.from({ length: 1024 }, (_, i) => `user-${i * 7919}`);
  const numberKeys = Array.from({ length: 1024 }, (_, i) => i * 7919);
  const bench = new Bench({ time: options.timeMs ?? 1000 });
  bench
    .add('keyGroupFor, string keys', hashingFor(stringKeys))
    .add('keyGroupFor, number keys', hashingFor(numberKeys))
    .add('keyGroupOf (validates), string keys', hashingOf(stringKeys))
    .add('ValueState rolling sum, 10^3 keys', rollingSumOnState(1_000))
    .add('Map<string, number> rolling sum, 10^3 keys', rollingSumOnMap(1_000))
    .add('ValueState rolling sum, 10^5 keys', rollingSumOnState(100_000))
    .add('Map<string, number> rolling sum, 10^5 keys', rollingSumOnMap(100_000));
  await bench.run();
  return bench.tasks.map((task) => {
    const result = task.result;
    if (result.state !== 'completed') throw new Error(`Benchmark "${task.name}" did not complete: ${result.state}`);
    const secondsPerRecord = result.latency.mean / 1000 / RECORDS;
    return {
      task: task.name,
      recordsPerSecond: 1 / secondsPerRecord,
      nsPerRecord: secondsPerRecord * 1e9,
      rmePercent: result.latency.rme,
      samples: result.latency.samplesCount,
    };
  });
}

/** The results as a markdown table, for bench/RESULTS.md. */
export async function stateBench(): Promise<string> {
  const rows = await run();
  const lines = [
    `Keyed state, ${RECORDS} records per invocation (tinybench); records/s of the mean.`,
    '',
    '| task | records/s | ns/record | ± % |',
    '| --- | ---: | ---: | ---: |',
    ...rows.map((r) => `| ${r.task} | ${formatRate(r.recordsPerSecond)} | ${r.nsPerRecord.toFixed(1)} | ${r.rmePercent.toFixed(1)} |`),
  ];
  return lines.join('\n');
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  console.table(await run());
}
