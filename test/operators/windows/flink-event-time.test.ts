// Flink's WindowOperatorTest, event-time and session cases, with their exact inputs and expected
// outputs (snapshot/restore steps left out until the harness can snapshot).

import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { DataStream } from '../../../src/api/data-stream.js';
import { createHarness } from '../../../src/testing/harness.js';
import { EventTimeSessionWindows } from '../../../src/operators/windows/assigners/session.js';
import { SlidingEventTimeWindows } from '../../../src/operators/windows/assigners/sliding.js';
import { TumblingEventTimeWindows } from '../../../src/operators/windows/assigners/tumbling.js';
import { EventTimeTrigger } from '../../../src/operators/windows/triggers/event-time-trigger.js';
import { CountTrigger } from '../../../src/operators/windows/triggers/count-trigger.js';
import { PurgingTrigger } from '../../../src/operators/windows/triggers/purging-trigger.js';
import { TimeWindow, timeWindowNamespaces } from '../../../src/operators/windows/time-window.js';
import { mergeTimeWindows, type MergingWindowAssigner } from '../../../src/operators/windows/window-assigner.js';
import type { WindowedStream } from '../../../src/api/windowed-stream.js';
import type { Window } from '../../../src/operators/windows/time-window.js';
import { keyOf, rec, reducedSession, sessionProcess, sorted, sumProcess, sumReducer, watermarkEmits, type Pair } from './flink-udfs.js';

/** The out-of-order input of testSlidingEventTimeWindows and testTumblingEventTimeWindows. */
const OUT_OF_ORDER: [Pair, number][] = [
  [['key2', 1], 3999], [['key2', 1], 3000],
  [['key1', 1], 20], [['key1', 1], 0], [['key1', 1], 999],
  [['key2', 1], 1998], [['key2', 1], 1999], [['key2', 1], 1000],
];

type Windowed<W extends Window> = (s: DataStream<Pair>) => WindowedStream<Pair, string, W>;
const sliding: Windowed<TimeWindow> = (s) => s.keyBy(keyOf).window(SlidingEventTimeWindows.of(3000, 1000));
const tumbling: Windowed<TimeWindow> = (s) => s.keyBy(keyOf).window(TumblingEventTimeWindows.of(3000));

/** Window functions that must all give Flink's answers: per window, on shared panes, buffered. */
const SUM_VARIANTS: [string, <W extends Window>(w: WindowedStream<Pair, string, W>) => DataStream<Pair>][] = [
  ['reduce', (w) => w.reduce(sumReducer)],
  ['associative reduce (panes)', (w) => w.reduce(sumReducer, { associative: true })],
  ['aggregate (panes)', (w) => w.aggregate({ createAccumulator: () => ['', 0] as Pair, add: (v, a) => sumReducer(a, v), getResult: (a) => a, merge: (a, b) => [b[0] || a[0], a[1] + b[1]] })],
  ['process (apply)', (w) => w.process(sumProcess)],
];

for (const [name, fn] of SUM_VARIANTS) {
  test(`testSlidingEventTimeWindows: ${name}`, async () => {
    const h = await createHarness((s: DataStream<Pair>) => fn(sliding(s)));
    for (const [value, ts] of OUT_OF_ORDER) h.processElement(value, ts);
    watermarkEmits(h, 999, [rec(['key1', 3], 999)]);
    watermarkEmits(h, 1999, [rec(['key1', 3], 1999), rec(['key2', 3], 1999)]);
    watermarkEmits(h, 2999, [rec(['key1', 3], 2999), rec(['key2', 3], 2999)]);
    watermarkEmits(h, 3999, [rec(['key2', 5], 3999)]);
    watermarkEmits(h, 4999, [rec(['key2', 2], 4999)]);
    watermarkEmits(h, 5999, [rec(['key2', 2], 5999)]);
    watermarkEmits(h, 6999, []);
    watermarkEmits(h, 7999, []);
    await h.close();
  });

  test(`testTumblingEventTimeWindows: ${name}`, async () => {
    const h = await createHarness((s: DataStream<Pair>) => fn(tumbling(s)));
    for (const [value, ts] of OUT_OF_ORDER) h.processElement(value, ts);
    watermarkEmits(h, 999, []);
    watermarkEmits(h, 1999, []);
    watermarkEmits(h, 2999, [rec(['key1', 3], 2999), rec(['key2', 3], 2999)]);
    watermarkEmits(h, 3999, []);
    watermarkEmits(h, 4999, []);
    watermarkEmits(h, 5999, [rec(['key2', 2], 5999)]);
    watermarkEmits(h, 6999, []);
    watermarkEmits(h, 7999, []);
    await h.close();
  });
}

const SESSION_INPUT: [Pair, number][] = [
  [['key2', 1], 0], [['key2', 2], 1000], [['key2', 3], 2500],
  [['key1', 1], 10], [['key1', 2], 1000], [['key1', 3], 2500],
  [['key2', 4], 5501], [['key2', 5], 6000], [['key2', 5], 6000], [['key2', 6], 6050],
];

const sessions = (s: DataStream<Pair>): WindowedStream<Pair, string, TimeWindow> => s.keyBy(keyOf).window(EventTimeSessionWindows.withGap(3000));

for (const [name, build] of [
  ['testSessionWindows (process)', (s: DataStream<Pair>) => sessions(s).process(sessionProcess)],
  ['testReduceSessionWindows (reduce + window function)', (s: DataStream<Pair>) => sessions(s).reduce(sumReducer, reducedSession)],
] as const) {
  test(name, async () => {
    const h = await createHarness(build);
    for (const [value, ts] of SESSION_INPUT) h.processElement(value, ts);
    watermarkEmits(h, 12000, [rec(['key1-6', 10, 5500], 5499), rec(['key2-6', 0, 5500], 5499), rec(['key2-20', 5501, 9050], 9049)]);
    h.processElement(['key2', 10], 15000);
    h.processElement(['key2', 20], 15000);
    watermarkEmits(h, 17999, [rec(['key2-30', 15000, 18000], 17999)]);
    await h.close();
  });
}

test('testSessionWindowsWithCountTrigger: trigger state merges with the sessions', async () => {
  const h = await createHarness((s: DataStream<Pair>) => sessions(s).trigger(PurgingTrigger.of(CountTrigger.of(4))).process(sessionProcess));
  for (const [value, ts] of [[['key2', 1], 0], [['key2', 2], 1000], [['key2', 3], 2500], [['key2', 4], 3500], [['key1', 1], 10], [['key1', 2], 1000]] as [Pair, number][]) {
    h.processElement(value, ts);
  }
  assert.deepEqual(h.output(), [rec(['key2-10', 0, 6500], 6499)]);
  h.clearOutput();
  for (const [value, ts] of [[['key1', 3], 2500], [['key1', 1], 6000], [['key1', 2], 6500], [['key1', 3], 7000]] as [Pair, number][]) h.processElement(value, ts);
  assert.deepEqual(h.output(), []);
  // Merges the two key1 sessions (count 3 + 3) and adds one: the count passes 4 and fires.
  h.processElement(['key1', 10], 4500);
  assert.deepEqual(h.output(), [rec(['key1-22', 10, 10000], 9999)]);
  await h.close();
});

/** Flink's PointSessionWindows: a user's merging assigner; value 33 opens a point window [t, t). */
const pointSessions: MergingWindowAssigner<Pair> = {
  isEventTime: true,
  isMerging: true,
  namespaces: timeWindowNamespaces,
  assignWindows: ([, value], timestamp) => [new TimeWindow(timestamp, value === 33 ? timestamp : timestamp + 3000)],
  mergeWindows: mergeTimeWindows,
  defaultTrigger: () => EventTimeTrigger.create(),
  toString: () => 'PointSessionWindows(3000)',
};

test('testPointSessions: a custom merging assigner with empty windows', async () => {
  const h = await createHarness((s: DataStream<Pair>) => s.keyBy(keyOf).window(pointSessions).process(sessionProcess));
  for (const [value, ts] of [[['key2', 1], 0], [['key2', 33], 1000], [['key2', 33], 2500], [['key1', 1], 10], [['key1', 2], 1000], [['key1', 33], 2500]] as [Pair, number][]) {
    h.processElement(value, ts);
  }
  watermarkEmits(h, 12000, [rec(['key1-36', 10, 4000], 3999), rec(['key2-67', 0, 3000], 2999)]);
  await h.close();
});

test('testDynamicEventTimeSessionWindows: the gap depends on the element', async () => {
  const gap = ([key, value]: Pair): number => (key === 'key1' ? 3000 : value === 10 ? 1000 : 2000);
  const h = await createHarness((s: DataStream<Pair>) => s.keyBy(keyOf).window(EventTimeSessionWindows.withDynamicGap(gap)).process(sessionProcess));
  h.processElement(['key1', 3], 10);
  h.processElement(['key2', 4], 5000);
  h.processElement(['key2', 5], 6000);
  watermarkEmits(h, 8999, [rec(['key1-3', 10, 3010], 3009), rec(['key2-9', 5000, 8000], 7999)]);
  // A gap that ends before the session's current end: the furthest end is kept.
  h.processElement(['key2', 1], 9000);
  h.processElement(['key2', 2], 10000);
  h.processElement(['key2', 10], 10500);
  watermarkEmits(h, 12999, [rec(['key2-13', 9000, 12000], 11999)]);
  h.processElement(['key2', 10], 13000);
  h.processElement(['key2', 10], 13500);
  h.processElement(['key2', 1], 14000);
  watermarkEmits(h, 16999, [rec(['key2-21', 13000, 16000], 15999)]);
  await h.close();
});

test('testCountTrigger: countWindow(4) fires and purges every 4 elements per key', async () => {
  const h = await createHarness((s: DataStream<Pair>) => s.keyBy(keyOf).countWindow(4).reduce(sumReducer));
  for (const [value, ts] of [[['key2', 1], 3000], [['key2', 1], 3999], [['key1', 1], 20], [['key1', 1], 0], [['key1', 1], 999], [['key2', 1], 1998], [['key2', 1], 1999], [['key2', 1], 1000]] as [Pair, number][]) {
    h.processElement(value, ts);
  }
  h.processElement(['key1', 1], 10999);
  for (let i = 0; i < 3; i++) h.processElement(['key2', 1], 1000);
  const end = Number.POSITIVE_INFINITY;
  assert.deepEqual(sorted(h.output()), sorted([rec(['key2', 4], end), rec(['key1', 4], end), rec(['key2', 4], end)]));
  await h.close();
});
