// Micro benchmark of the window operator: sliding windows as size/slide grows from 2 to 60, with
// shared panes against per-window state (Flink's way), and session windows; records/s through
// the operator harness (in-process, one subtask). Run alone: `node dist/bench/micro/windows.bench.js`.

import { pathToFileURL } from 'node:url';
import { Bench } from 'tinybench';
import type { DataStream } from '../../src/api/data-stream.js';
import { createHarness, type OperatorHarness } from '../../src/testing/harness.js';
import { EventTimeSessionWindows } from '../../src/operators/windows/assigners/session.js';
import { SlidingEventTimeWindows } from '../../src/operators/windows/assigners/sliding.js';
import { EventTimeTrigger } from '../../src/operators/windows/triggers/event-time-trigger.js';
import type { AggregateFunction } from '../../src/core/state-descriptors.js';
import { formatRate } from '../utils/stats.js';

/** Records processed by one invocation of a task. */
const RECORDS = 10_000;
const KEYS = 1000;
/** Event time advances 1 ms every this many records: each key sees a record about every 100 ms. */
const RECORDS_PER_MS = 10;
/** A watermark (the current time - 1) every this many records. */
const WATERMARK_EVERY = 1024;
const SLIDE_MS = 1000;
const RATIOS = [2, 5, 10, 30, 60];
/** Length of the (power-of-two) cycle of generated readings. */
const READINGS = 1 << 16;

interface Reading {
  readonly sensor: string;
  readonly value: number;
}

/** Mean of the values; merge updates its first argument (allowed with panes). */
const mean: AggregateFunction<Reading, { sum: number; count: number }, number> = {
  createAccumulator: () => ({ sum: 0, count: 0 }),
  add: (r, acc) => ((acc.sum += r.value), (acc.count += 1), acc),
  getResult: (acc) => acc.sum / acc.count,
  merge: (a, b) => ((a.sum += b.sum), (a.count += b.count), a),
};

function readings(): Reading[] {
  let x = 0x9e3779b9;
  const sensors = Array.from({ length: KEYS }, (_, i) => `sensor-${i}`);
  return Array.from({ length: READINGS }, () => {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    return { sensor: sensors[(x >>> 0) % KEYS]!, value: (x >>> 0) % 1000 };
  });
}

/** One invocation: RECORDS readings in event-time order with periodic watermarks; time goes on across invocations. */
function feeder(h: OperatorHarness<Reading, unknown>, input: readonly Reading[]): () => void {
  let i = 0;
  return () => {
    for (let r = 0; r < RECORDS; r++, i++) {
      const ts = Math.floor(i / RECORDS_PER_MS);
      h.processElement(input[i & (READINGS - 1)]!, ts);
      if ((i & (WATERMARK_EVERY - 1)) === WATERMARK_EVERY - 1) h.processWatermark(ts - 1);
    }
    h.clearOutput();
  };
}

type Build = (s: DataStream<Reading>) => DataStream<unknown>;

function sliding(ratio: number, panes: boolean): Build {
  return (s) => {
    const windowed = s.keyBy((r) => r.sensor).window(SlidingEventTimeWindows.of(ratio * SLIDE_MS, SLIDE_MS));
    // Setting the default trigger explicitly keeps per-window state (Flink's operator).
    return (panes ? windowed : windowed.trigger(EventTimeTrigger.create())).aggregate(mean) as DataStream<unknown>;
  };
}

/** One benchmark's figures. */
export interface WindowBenchRow {
  task: string;
  recordsPerSecond: number;
  rmePercent: number;
}

/** Runs the tasks and returns records/s for each. */
export async function run(options: { timeMs?: number } = {}): Promise<WindowBenchRow[]> {
  const input = readings();
  const tasks: [string, Build][] = [];
  for (const ratio of RATIOS) {
    tasks.push([`sliding size/slide ${ratio}, per window`, sliding(ratio, false)]);
    tasks.push([`sliding size/slide ${ratio}, panes`, sliding(ratio, true)]);
  }
  tasks.push(['session gap 500 ms (merges per record)', (s) => s.keyBy((r) => r.sensor).window(EventTimeSessionWindows.withGap(500)).aggregate(mean) as DataStream<unknown>]);
  tasks.push(['session gap 50 ms (one record per session)', (s) => s.keyBy((r) => r.sensor).window(EventTimeSessionWindows.withGap(50)).aggregate(mean) as DataStream<unknown>]);
  const bench = new Bench({ time: options.timeMs ?? 1000 });
  const harnesses: OperatorHarness<Reading, unknown>[] = [];
  for (const [name, build] of tasks) {
    const h = await createHarness(build);
    harnesses.push(h);
    bench.add(name, feeder(h, input));
  }
  await bench.run();
  for (const h of harnesses) await h.close();
  return bench.tasks.map((task) => {
    const result = task.result;
    if (result.state !== 'completed') throw new Error(`Benchmark "${task.name}" did not complete: ${result.state}`);
    return { task: task.name, recordsPerSecond: RECORDS / (result.latency.mean / 1000), rmePercent: result.latency.rme };
  });
}

/** The results as markdown, for bench/RESULTS.md: panes against per-window state, and sessions. */
export async function windowsBench(): Promise<string> {
  const rows = await run();
  const rate = (task: string): number => rows.find((r) => r.task === task)!.recordsPerSecond;
  const lines = [
    `Window operator through the harness (one subtask, in-process): ${KEYS} keys, a record per key about every 100 ms of event time, ` +
      `a watermark every ${WATERMARK_EVERY} records, AggregateFunction mean; ${RECORDS} records per invocation (tinybench), records/s of the mean.`,
    '',
    '| sliding windows, slide 1 s | per-window state (Flink) | shared panes | panes / per-window |',
    '| --- | ---: | ---: | ---: |',
    ...RATIOS.map((ratio) => {
      const naive = rate(`sliding size/slide ${ratio}, per window`);
      const panes = rate(`sliding size/slide ${ratio}, panes`);
      return `| size/slide = ${ratio} | ${formatRate(naive)} | ${formatRate(panes)} | ${(panes / naive).toFixed(1)}x |`;
    }),
    '',
    '| session windows | records/s |',
    '| --- | ---: |',
    ...rows.filter((r) => r.task.startsWith('session')).map((r) => `| ${r.task} | ${formatRate(r.recordsPerSecond)} |`),
  ];
  return lines.join('\n');
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  console.log(await windowsBench());
}
