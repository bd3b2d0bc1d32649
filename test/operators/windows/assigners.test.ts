// Window assignment as SEMANTICS.md states it: window starts (negative timestamps, offsets),
// tumbling/sliding/session windows, session merging of touching windows, argument checks.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { EventTimeSessionWindows, ProcessingTimeSessionWindows } from '../../../src/operators/windows/assigners/session.js';
import { SlidingEventTimeWindows, SlidingProcessingTimeWindows } from '../../../src/operators/windows/assigners/sliding.js';
import { TumblingEventTimeWindows, TumblingProcessingTimeWindows } from '../../../src/operators/windows/assigners/tumbling.js';
import { GlobalWindows } from '../../../src/operators/windows/assigners/global.js';
import {
  fixedSizeWindowNamespaces,
  getWindowStartWithOffset,
  GlobalWindow,
  TimeWindow,
  timeWindowNamespaces,
} from '../../../src/operators/windows/time-window.js';
import { mergeTimeWindows } from '../../../src/operators/windows/window-assigner.js';

/** What the operator gives an event-time assigner: its clock, which event time never reads. */
const EVENT_TIME = { currentProcessingTime: (): number => Number.NaN };

const MINUTE = 60_000;
const spans = (windows: readonly TimeWindow[]): [number, number][] => windows.map((w) => [w.start, w.end]);

test('getWindowStartWithOffset: the vectors of SEMANTICS.md, negative timestamps included', () => {
  assert.equal(getWindowStartWithOffset(13000, 0, 10000), 10000);
  assert.equal(getWindowStartWithOffset(27000, 0, 10000), 20000);
  assert.equal(getWindowStartWithOffset(-1, 0, 5), -5);
  assert.equal(getWindowStartWithOffset(-7, 0, 5), -10);
  assert.equal(getWindowStartWithOffset(80 * MINUTE, 15 * MINUTE, 60 * MINUTE), 75 * MINUTE);
  assert.equal(getWindowStartWithOffset(-5, 0, 5), -5, 'a start is in its own window');
  assert.equal(getWindowStartWithOffset(3, -2, 5), 3, 'negative offset');
  assert.equal(getWindowStartWithOffset(2, -2, 5), -2);
  assert.equal(getWindowStartWithOffset(-8, 2, 5), -8);
});

test('getWindowStartWithOffset: the fast floor modulo equals the truncating one, epoch times and beyond 2^52', () => {
  const truncating = (t: number, offset: number, size: number): number => {
    const remainder = (t - offset) % size;
    return remainder < 0 ? t - (remainder + size) : t - remainder;
  };
  let state = 12345;
  const next = (): number => ((state = (Math.imul(state, 1103515245) + 12345) | 0) >>> 0) / 2 ** 32;
  for (let i = 0; i < 200_000; i++) {
    const size = 1 + Math.floor(next() * 10_000_000);
    const offset = Math.floor((next() - 0.5) * 1.9 * size);
    const t = i % 2 === 0 ? 1.7e12 + Math.floor(next() * 1e10) : Math.floor((next() - 0.5) * 2 ** 53);
    assert.equal(getWindowStartWithOffset(t, offset, size), truncating(t, offset, size), `t=${t} offset=${offset} size=${size}`);
  }
  assert.equal(getWindowStartWithOffset(Number.MAX_SAFE_INTEGER, 0, 10), Number.MAX_SAFE_INTEGER - 1);
});

test('TimeWindow: maxTimestamp is end - 1; touching windows intersect; cover', () => {
  const w = new TimeWindow(0, 10);
  assert.equal(w.maxTimestamp(), 9);
  assert.ok(w.intersects(new TimeWindow(10, 20)), 'touching windows merge');
  assert.ok(!w.intersects(new TimeWindow(11, 20)));
  assert.deepEqual(spans([w.cover(new TimeWindow(5, 30))]), [[0, 30]]);
  assert.equal(GlobalWindow.get().maxTimestamp(), Number.POSITIVE_INFINITY);
});

test('namespaces name windows without collisions and back', () => {
  const fixed = fixedSizeWindowNamespaces(5);
  assert.deepEqual(spans([fixed.windowOf(fixed.namespaceOf(new TimeWindow(-10, -5)))]), [[-10, -5]]);
  const any = timeWindowNamespaces;
  const windows = [new TimeWindow(0, 10), new TimeWindow(0, 11), new TimeWindow(-3, -3), new TimeWindow(10, 0)];
  assert.equal(new Set(windows.map((w) => any.namespaceOf(w))).size, windows.length);
  assert.deepEqual(spans(windows.map((w) => any.windowOf(any.namespaceOf(w)))), spans(windows));
});

test('tumbling windows: one window, aligned at the offset, negative timestamps below zero', () => {
  assert.deepEqual(spans(TumblingEventTimeWindows.of(5).assignWindows(null, -1, EVENT_TIME)), [[-5, 0]]);
  assert.deepEqual(spans(TumblingEventTimeWindows.of(10000).assignWindows(null, 13000, EVENT_TIME)), [[10000, 20000]]);
  assert.deepEqual(spans(TumblingEventTimeWindows.of(60 * MINUTE, 15 * MINUTE).assignWindows(null, 80 * MINUTE, EVENT_TIME)), [[75 * MINUTE, 135 * MINUTE]]);
  assert.deepEqual(spans(TumblingEventTimeWindows.of(10, -3).assignWindows(null, 5, EVENT_TIME)), [[-3, 7]]);
  assert.deepEqual(spans(TumblingProcessingTimeWindows.of(10).assignWindows(null, Number.NaN, { currentProcessingTime: () => 25 })), [[20, 30]]);
});

test('sliding windows: from the newest start back while start > ts - size, size/slide of them', () => {
  const assigner = SlidingEventTimeWindows.of(5, 2);
  assert.deepEqual(spans(assigner.assignWindows(null, 0, EVENT_TIME)), [[0, 5], [-2, 3], [-4, 1]]);
  assert.deepEqual(spans(assigner.assignWindows(null, 1, EVENT_TIME)), [[0, 5], [-2, 3]]);
  assert.deepEqual(spans(assigner.assignWindows(null, 1, EVENT_TIME)), [[0, 5], [-2, 3]], 'the same answer again');
  assert.deepEqual(spans(assigner.assignWindows(null, -3, EVENT_TIME)), [[-4, 1], [-6, -1]]);
  assert.deepEqual(spans(SlidingEventTimeWindows.of(10, 5, 2).assignWindows(null, 8, EVENT_TIME)), [[7, 17], [2, 12]]);
  assert.deepEqual(spans(SlidingEventTimeWindows.of(2, 5).assignWindows(null, 3, EVENT_TIME)), [], 'between hopping windows');
  assert.deepEqual(spans(SlidingProcessingTimeWindows.of(3000, 1000).assignWindows(null, 0, { currentProcessingTime: () => 3 })), [
    [0, 3000], [-1000, 2000], [-2000, 1000],
  ]);
});

test('session windows: [t, t + gap), per element with a dynamic gap; global windows: one', () => {
  assert.deepEqual(spans(EventTimeSessionWindows.withGap(10).assignWindows(null, 7, EVENT_TIME)), [[7, 17]]);
  const dynamic = EventTimeSessionWindows.withDynamicGap((e: { gap: number }) => e.gap);
  assert.deepEqual(spans(dynamic.assignWindows({ gap: 3 }, 7, EVENT_TIME)), [[7, 10]]);
  assert.throws(() => dynamic.assignWindows({ gap: 0 }, 7, EVENT_TIME), /greater than 0, got 0/);
  assert.deepEqual(spans(ProcessingTimeSessionWindows.withGap(10).assignWindows(null, 0, { currentProcessingTime: () => 4 })), [[4, 14]]);
  assert.deepEqual(GlobalWindows.create().assignWindows(), [GlobalWindow.get()]);
});

test('session merging: gap 10 s, events at 0, 10 s, 25 s give [0, 20 s) and [25 s, 35 s)', () => {
  const s = 1000;
  const merges: [[number, number][], [number, number]][] = [];
  const windows = [new TimeWindow(0, 10 * s), new TimeWindow(10 * s, 20 * s), new TimeWindow(25 * s, 35 * s)];
  mergeTimeWindows(windows, (group, result) => merges.push([spans(group), [result.start, result.end]]));
  assert.deepEqual(merges, [[[[0, 10 * s], [10 * s, 20 * s]], [0, 20 * s]]]);
  const none: unknown[] = [];
  mergeTimeWindows([new TimeWindow(0, 5), new TimeWindow(0, 5)], (g) => none.push(g));
  assert.deepEqual(none, [], 'equal windows are one window, not a merge');
});

test('assigners refuse sizes, slides, gaps and offsets that make no windows', () => {
  assert.throws(() => TumblingEventTimeWindows.of(0), { name: 'RangeError', message: /size must be a whole number of milliseconds greater than 0, got 0/ });
  assert.throws(() => TumblingEventTimeWindows.of(10, 10), { name: 'RangeError', message: /\|offset\| < size \(10\), got 10/ });
  assert.throws(() => TumblingProcessingTimeWindows.of(10, -11), /\|offset\| < size/);
  assert.throws(() => SlidingEventTimeWindows.of(10, 0), /slide must be a whole number/);
  assert.throws(() => SlidingEventTimeWindows.of(10, 5, 5), /\|offset\| < slide \(5\), got 5/);
  assert.throws(() => SlidingProcessingTimeWindows.of(-1, 5), /size must be/);
  assert.throws(() => EventTimeSessionWindows.withGap(-1), /the gap must be/);
  assert.throws(() => ProcessingTimeSessionWindows.withGap(1.5), /the gap must be/);
  assert.throws(() => EventTimeSessionWindows.withDynamicGap(5 as never), TypeError);
});

test('event-time assigners refuse records without a timestamp, saying how to add one', () => {
  assert.throws(() => TumblingEventTimeWindows.of(10).assignWindows(null, Number.NaN, EVENT_TIME), /assignTimestampsAndWatermarks/);
  assert.throws(() => SlidingEventTimeWindows.of(10, 5).assignWindows(null, Number.NaN, EVENT_TIME), /without a timestamp/);
  assert.throws(() => EventTimeSessionWindows.withGap(10).assignWindows(null, Number.NaN, EVENT_TIME), /without a timestamp/);
});
