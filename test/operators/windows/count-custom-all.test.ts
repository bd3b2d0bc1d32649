// Count windows (with and without a slide), a user's own trigger, windowAll, and the window nodes
// the graph check reads (type and event time).

import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { DataStream } from '../../../src/api/data-stream.js';
import { StreamExecutionEnvironment } from '../../../src/api/environment.js';
import { createHarness } from '../../../src/testing/harness.js';
import { TumblingEventTimeWindows } from '../../../src/operators/windows/assigners/tumbling.js';
import { TumblingProcessingTimeWindows } from '../../../src/operators/windows/assigners/tumbling.js';
import { ReducingStateDescriptor } from '../../../src/core/state-descriptors.js';
import type { TimeWindow } from '../../../src/operators/windows/time-window.js';
import type { Trigger } from '../../../src/operators/windows/triggers/trigger.js';
import { keyOf, rec, sumReducer, type Pair } from './flink-udfs.js';

const END = Number.POSITIVE_INFINITY;

test('countWindow(n): fires and purges every n elements of a key, at timestamp +Infinity', async () => {
  const h = await createHarness((s: DataStream<Pair>) => s.keyBy(keyOf).countWindow(3).reduce(sumReducer));
  for (let i = 1; i <= 7; i++) h.processElement(['a', i]);
  h.processElement(['b', 100]);
  assert.deepEqual(h.output(), [rec(['a', 6], END), rec(['a', 15], END)]);
  await h.close();
});

test('countWindow(n, slide): every slide elements, over the last n (reduce, aggregate, process)', async () => {
  // Each build has its own output type.
  const builds: [string, (s: DataStream<Pair>) => DataStream<any>][] = [
    ['reduce', (s) => s.keyBy(keyOf).countWindow(3, 2).reduce(sumReducer)],
    ['aggregate', (s) => s.keyBy(keyOf).countWindow(3, 2).aggregate({ createAccumulator: () => 0, add: ([, v], a) => a + v, getResult: (a) => a, merge: (a, b) => a + b })],
    ['process', (s) => s.keyBy(keyOf).countWindow(3, 2).process((key, _ctx, els, out) => out.collect([key, [...els].map(([, v]) => v)]))],
  ];
  const expected: Record<string, unknown[]> = {
    reduce: [['a', 3], ['a', 9], ['a', 15]],
    aggregate: [3, 9, 15],
    process: [['a', [1, 2]], ['a', [2, 3, 4]], ['a', [4, 5, 6]]],
  };
  for (const [name, build] of builds) {
    const h = await createHarness(build);
    for (let i = 1; i <= 7; i++) h.processElement(['a', i]);
    assert.deepEqual(h.values(), expected[name], name);
    await h.close();
  }
});

/** A user's trigger: fires early every 2 elements, then fires and purges at the window's end. */
const everySecond = new ReducingStateDescriptor<number>('seen', (a, b) => a + b);
const earlyTrigger: Trigger<Pair, TimeWindow> = {
  onElement(_element, _timestamp, window, ctx) {
    ctx.registerEventTimeTimer(window.maxTimestamp());
    const seen = ctx.getPartitionedState(everySecond);
    seen.add(1);
    return seen.get()! % 2 === 0 ? 'fire' : 'continue';
  },
  onEventTime: (time, window) => (time === window.maxTimestamp() ? 'fire-and-purge' : 'continue'),
  onProcessingTime: () => 'continue',
  clear(window, ctx) {
    ctx.getPartitionedState(everySecond).clear();
    ctx.deleteEventTimeTimer(window.maxTimestamp());
  },
  toString: () => 'EarlyTrigger',
};

test('a custom trigger with its own per-window state fires early and at the end', async () => {
  const h = await createHarness((s: DataStream<Pair>) => s.keyBy(keyOf).window(TumblingEventTimeWindows.of(10)).trigger(earlyTrigger).reduce(sumReducer));
  for (let i = 1; i <= 5; i++) h.processElement(['a', i], i);
  h.processElement(['b', 10], 3);
  h.processWatermark(9);
  h.processElement(['a', 100], 12);
  h.processElement(['a', 200], 13);
  h.processWatermark(19);
  assert.deepEqual(h.timeline(), [
    { record: rec(['a', 3], 9) },
    { record: rec(['a', 10], 9) },
    { record: rec(['a', 15], 9) },
    { record: rec(['b', 10], 9) },
    { watermark: 9 },
    { record: rec(['a', 300], 19) },
    { record: rec(['a', 300], 19) },
    { watermark: 19 },
  ]);
  await h.close();
});

test('windowAll: one window over all keys; the function has no key', async () => {
  const h = await createHarness((s: DataStream<Pair>) =>
    s.windowAll(TumblingEventTimeWindows.of(10)).process<string>((ctx, els, out) => out.collect(`${ctx.window.start}:${[...els].map(([k, v]) => k + v).join(',')}`)),
  );
  h.processElement(['a', 1], 1);
  h.processElement(['b', 2], 2);
  h.processElement(['a', 3], 13);
  await h.endInput();
  assert.deepEqual(h.values(), ['0:a1,b2', '10:a3']);
  await h.close();
});

test('window nodes say whether they need event time; windowAll runs at parallelism 1', () => {
  const env = StreamExecutionEnvironment.getExecutionEnvironment().setParallelism(4);
  const input = env.fromElements<Pair>(['a', 1]);
  input.keyBy(keyOf).window(TumblingEventTimeWindows.of(10)).reduce(sumReducer).name('event');
  input.keyBy(keyOf).window(TumblingProcessingTimeWindows.of(10)).reduce(sumReducer).name('processing');
  input.keyBy(keyOf).countWindow(2).reduce(sumReducer).name('count');
  input.windowAll(TumblingEventTimeWindows.of(10)).reduce(sumReducer).name('all');
  const nodes = env.graphForRuntime().nodes.filter((n) => n.type.includes('window'));
  assert.deepEqual(
    nodes.map((n) => [n.name, n.type, n.needsEventTime, n.parallelism]),
    [
      ['event', 'window:event-time', true, undefined],
      ['processing', 'window:processing-time', false, undefined],
      ['count', 'window:processing-time', false, undefined],
      ['all', 'window-all:event-time', true, 1],
    ],
  );
});
