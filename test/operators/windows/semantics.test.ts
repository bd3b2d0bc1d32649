// The window rules of SEMANTICS.md through the operator harness: the sliding golden vector, firing
// exactly at end - 1, late-but-allowed re-firing, late data, merged session state, forgotten sessions.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { DataStream } from '../../../src/api/data-stream.js';
import { OutputTag } from '../../../src/core/output-tag.js';
import { createHarness } from '../../../src/testing/harness.js';
import { EventTimeSessionWindows } from '../../../src/operators/windows/assigners/session.js';
import { SlidingEventTimeWindows } from '../../../src/operators/windows/assigners/sliding.js';
import { TumblingEventTimeWindows } from '../../../src/operators/windows/assigners/tumbling.js';
import type { AggregateFunction } from '../../../src/core/state-descriptors.js';
import { keyOf, rec, sessionProcess, sumReducer, type Pair, type Session } from './flink-udfs.js';

const late = new OutputTag<Pair>('late');

/** Counts elements; `[start, end, count]` per window. */
const countAgg: AggregateFunction<number, number, number> = { createAccumulator: () => 0, add: (_v, a) => a + 1, getResult: (a) => a, merge: (a, b) => a + b };

test('the sliding golden vector: size 5, slide 2, events 1 2 3 4 5 8 9 15, counted per window', async () => {
  const expected = [[-2, 3, 2], [0, 5, 4], [2, 7, 4], [4, 9, 3], [6, 11, 2], [8, 13, 2], [12, 17, 1], [14, 19, 1]];
  const builds: [string, (s: DataStream<number>) => DataStream<number[]>][] = [
    ['aggregate on panes', (s) => s.keyBy(() => 'all').window(SlidingEventTimeWindows.of(5, 2)).aggregate(countAgg, (_k, ctx, [c], out) => out.collect([ctx.window.start, ctx.window.end, c!]))],
    ['process per window', (s) => s.keyBy(() => 'all').window(SlidingEventTimeWindows.of(5, 2)).process((_k, ctx, els, out) => out.collect([ctx.window.start, ctx.window.end, [...els].length]))],
  ];
  for (const [name, build] of builds) {
    const h = await createHarness(build);
    for (const ts of [1, 2, 3, 4, 5, 8, 9, 15]) h.processElement(ts, ts);
    await h.endInput();
    assert.deepEqual(h.values(), expected, name);
    assert.deepEqual(h.output().map((r) => r.timestamp), expected.map(([, end]) => end! - 1), `${name}: results carry maxTimestamp`);
    await h.close();
  }
});

test('a window fires exactly when the watermark reaches end - 1; with no lateness it is late from then on', async () => {
  const h = await createHarness((s: DataStream<Pair>) => s.keyBy(keyOf).window(TumblingEventTimeWindows.of(10000)).sideOutputLateData(late).reduce(sumReducer), {
    sideOutputs: [late],
  });
  h.processElement(['a', 1], 5000);
  h.processWatermark(9998);
  assert.deepEqual(h.output(), []);
  h.processWatermark(9999);
  assert.deepEqual(h.timeline(), [{ watermark: 9998 }, { record: rec(['a', 1], 9999) }, { watermark: 9999 }]);
  h.processElement(['a', 1], 9999);
  h.processElement(['a', 5], 10000);
  assert.deepEqual(h.sideOutput(late), [rec(['a', 1], 9999)]);
  h.processWatermark(19999);
  assert.deepEqual(h.output().at(-1), rec(['a', 5], 19999));
  await h.close();
});

test('late but allowed: each element re-fires the window with all its contents until the cleanup time', async () => {
  const h = await createHarness(
    (s: DataStream<Pair>) => s.keyBy(keyOf).window(TumblingEventTimeWindows.of(10000)).allowedLateness(5000).sideOutputLateData(late).reduce(sumReducer),
    { sideOutputs: [late] },
  );
  h.processElement(['a', 1], 1000);
  h.processWatermark(9999);
  h.processElement(['a', 2], 2000);
  h.processWatermark(14998);
  h.processElement(['a', 4], 3000);
  h.processWatermark(14999);
  h.processElement(['a', 8], 4000);
  assert.deepEqual(h.timeline(), [
    { record: rec(['a', 1], 9999) },
    { watermark: 9999 },
    { record: rec(['a', 3], 9999) },
    { watermark: 14998 },
    { record: rec(['a', 7], 9999) },
    { watermark: 14999 },
  ]);
  assert.deepEqual(h.sideOutput(late), [rec(['a', 8], 4000)], 'after maxTimestamp + allowedLateness the window is gone');
  await h.close();
});

test('sessions: merged aggregate state, touching windows merge, a side output from the window function', async () => {
  const avg: AggregateFunction<Pair, [number, number], number> = {
    createAccumulator: () => [0, 0],
    add: ([, v], [sum, n]) => [sum + v, n + 1],
    getResult: ([sum, n]) => sum / n,
    merge: ([s1, n1], [s2, n2]) => [s1 + s2, n1 + n2],
  };
  const sizes = new OutputTag<number>('sizes');
  const h = await createHarness(
    (s: DataStream<Pair>) =>
      s
        .keyBy(keyOf)
        .window(EventTimeSessionWindows.withGap(10000))
        .aggregate(avg, (key, ctx, [mean], out) => {
          ctx.output(sizes, ctx.window.end - ctx.window.start);
          out.collect([key, mean!]);
        }),
    { sideOutputs: [sizes] },
  );
  h.processElement(['a', 1], 0);
  h.processElement(['a', 3], 25000);
  h.processElement(['a', 5], 10000);
  await h.endInput();
  assert.deepEqual(h.output(), [rec(['a', 3], 19999), rec(['a', 3], 34999)]);
  assert.deepEqual(h.sideOutput(sizes), [rec(20000, 19999), rec(10000, 34999)]);
  await h.close();
});

test('a fired session is remembered until its cleanup time, then forgotten', async () => {
  const h = await createHarness(
    (s: DataStream<Pair>) => s.keyBy(keyOf).window(EventTimeSessionWindows.withGap(10000)).allowedLateness(2000).sideOutputLateData(late).process(sessionProcess),
    { sideOutputs: [late] },
  );
  h.processElement(['a', 1], 0);
  h.processWatermark(9999);
  h.processElement(['a', 1], 1000);
  h.processWatermark(10999);
  assert.deepEqual(h.values(), [['a-1', 0, 10000], ['a-2', 0, 11000]]);
  h.processWatermark(12000);
  h.clearOutput();
  // Remembered: merges, and the merged window is behind the watermark, so it fires at once.
  h.processElement(['a', 1], 500);
  assert.deepEqual(h.output(), [rec<Session>(['a-3', 0, 11000], 10999)]);
  h.processWatermark(13000);
  h.clearOutput();
  // Forgotten at 12999: the next element starts a new session (behind the watermark: fires at once).
  h.processElement(['a', 1], 2500);
  assert.deepEqual(h.output(), [rec<Session>(['a-1', 2500, 12500], 12499)]);
  h.processElement(['a', 1], -9000);
  assert.deepEqual(h.sideOutput(late), [rec(['a', 1], -9000)], 'too late for any session');
  await h.close();
});

test('windowed streams refuse what cannot work, saying why', async () => {
  await createHarness((s: DataStream<Pair>) => {
    const keyed = s.keyBy(keyOf);
    const noMerge = { onElement: () => 'fire' as const, onEventTime: () => 'continue' as const, onProcessingTime: () => 'continue' as const, clear() {} };
    assert.throws(() => keyed.window(EventTimeSessionWindows.withGap(10)).trigger(noMerge), /needs an onMerge method/);
    assert.throws(() => keyed.window(TumblingEventTimeWindows.of(10)).trigger({} as never), /onElement/);
    assert.throws(() => keyed.window(TumblingEventTimeWindows.of(10)).allowedLateness(-1), RangeError);
    assert.throws(() => keyed.window(TumblingEventTimeWindows.of(10)).sideOutputLateData('late' as never), /OutputTag/);
    assert.throws(() => keyed.window(10 as never), /expects a WindowAssigner/);
    assert.throws(() => keyed.countWindow(0), RangeError);
    assert.throws(() => keyed.window(TumblingEventTimeWindows.of(10)).aggregate({ createAccumulator: () => 0 } as never), /add/);
    return keyed.window(TumblingEventTimeWindows.of(10)).reduce(sumReducer);
  });
  const h = await createHarness((s: DataStream<Pair>) => s.keyBy(keyOf).window(TumblingEventTimeWindows.of(10)).reduce(sumReducer));
  assert.throws(() => h.processElement(['a', 1]), /without a timestamp.*assignTimestampsAndWatermarks/s);
  await h.close();
});
