// Sliding windows on shared panes give exactly what per-window state gives (Flink's operator):
// the same records, watermarks and late data in the same order, on random out-of-order input
// with lateness, for aggregates and associative reduces, in event and processing time.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { DataStream } from '../../../src/api/data-stream.js';
import { OutputTag } from '../../../src/core/output-tag.js';
import { createHarness, type HarnessEvent, type HarnessRecord } from '../../../src/testing/harness.js';
import { SlidingEventTimeWindows, SlidingProcessingTimeWindows } from '../../../src/operators/windows/assigners/sliding.js';
import { EventTimeTrigger } from '../../../src/operators/windows/triggers/event-time-trigger.js';
import { ProcessingTimeTrigger } from '../../../src/operators/windows/triggers/processing-time-trigger.js';
import type { WindowedStream } from '../../../src/api/windowed-stream.js';
import type { TimeWindow } from '../../../src/operators/windows/time-window.js';
import type { AggregateFunction } from '../../../src/core/state-descriptors.js';
import { paneContentsOf } from '../../../src/operators/windows/window-operator-factory.js';
import { TumblingEventTimeWindows } from '../../../src/operators/windows/assigners/tumbling.js';
import { keyOf, sumReducer, type Pair } from './flink-udfs.js';

/** Deterministic xorshift numbers in [0, n). */
function random(seed: number): (n: number) => number {
  let x = seed;
  return (n) => {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    return (x >>> 0) % n;
  };
}

/** Sum and count in a mutable accumulator; merge updates and returns its first argument. */
const sumCount: AggregateFunction<Pair, { sum: number; count: number }, string> = {
  createAccumulator: () => ({ sum: 0, count: 0 }),
  add: ([, v], acc) => ((acc.sum += v), (acc.count += 1), acc),
  getResult: (acc) => `${acc.sum}/${acc.count}`,
  merge: (a, b) => ((a.sum += b.sum), (a.count += b.count), a),
};

interface Run {
  timeline: HarnessEvent<unknown>[];
  late: HarnessRecord<Pair>[];
}

const late = new OutputTag<Pair>('late');

/**
 * Feeds random keyed elements, out of order by up to `disorder` ms, with watermarks lagging 2 s
 * behind the highest timestamp: some elements are too late for some or all of their windows.
 */
async function runEventTime<R>(seed: number, disorder: number, windowed: (s: DataStream<Pair>) => DataStream<R>): Promise<Run> {
  const h = await createHarness(windowed, { sideOutputs: [late] });
  const next = random(seed);
  let time = 0;
  let max = 0;
  for (let i = 0; i < 3000; i++) {
    time += next(40);
    const ts = time - next(disorder);
    max = Math.max(max, ts);
    h.processElement([`k${next(5)}`, next(100)], ts);
    if (i % 37 === 0) h.processWatermark(max - 2000);
  }
  await h.endInput();
  const run = { timeline: h.timeline() as HarnessEvent<unknown>[], late: h.sideOutput(late) };
  await h.close();
  return run;
}

type Geometry = [size: number, slide: number, offset: number];
const GEOMETRIES: Geometry[] = [[10000, 2000, 0], [9000, 3000, 1000], [5000, 2000, 0], [6000, 4000, -1000]];

for (const [size, slide, offset] of GEOMETRIES) {
  for (const lateness of [0, 1500]) {
    const windowed = (s: DataStream<Pair>): WindowedStream<Pair, string, TimeWindow> =>
      s.keyBy(keyOf).window(SlidingEventTimeWindows.of(size, slide, offset)).allowedLateness(lateness).sideOutputLateData(late);
    const label = `size ${size}, slide ${slide}, offset ${offset}, lateness ${lateness}`;

    test(`event time, aggregate: panes give what per-window state gives (${label})`, async () => {
      // Setting the (default) trigger explicitly makes the operator keep per-window state.
      const perWindow = await runEventTime(size + lateness, size + 4000, (s) => windowed(s).trigger(EventTimeTrigger.create()).aggregate(sumCount));
      const panes = await runEventTime(size + lateness, size + 4000, (s) => windowed(s).aggregate(sumCount));
      assert.ok(perWindow.timeline.length > 100 && perWindow.late.length > 10, 'the input fires windows and has late data');
      assert.deepEqual(panes, perWindow);
    });

    test(`event time, associative reduce: panes give what per-window state gives (${label})`, async () => {
      const perWindow = await runEventTime(slide + lateness, size + 4000, (s) => windowed(s).reduce(sumReducer));
      const panes = await runEventTime(slide + lateness, size + 4000, (s) => windowed(s).reduce(sumReducer, { associative: true }));
      assert.deepEqual(panes, perWindow);
    });
  }
}

test('processing time, aggregate: panes give what per-window state gives', async () => {
  const run = async (build: (s: DataStream<Pair>) => DataStream<string>): Promise<unknown[]> => {
    const h = await createHarness(build);
    const next = random(7);
    let clock = 0;
    for (let i = 0; i < 2000; i++) {
      clock += next(30);
      h.setProcessingTime(clock);
      h.processElement([`k${next(4)}`, next(10)]);
    }
    h.setProcessingTime(clock + 100000);
    const out = h.output();
    await h.close();
    return out;
  };
  const windowed = (s: DataStream<Pair>) => s.keyBy(keyOf).window(SlidingProcessingTimeWindows.of(3000, 1000));
  const perWindow = await run((s) => windowed(s).trigger(ProcessingTimeTrigger.create()).aggregate(sumCount));
  const panes = await run((s) => windowed(s).aggregate(sumCount));
  assert.ok(perWindow.length > 100);
  assert.deepEqual(panes, perWindow);
});

test('a merge that returns its second argument is refused: panes share it between windows', async () => {
  const h = await createHarness((s: DataStream<Pair>) =>
    s.keyBy(keyOf).window(SlidingEventTimeWindows.of(4, 2)).aggregate({ ...sumCount, merge: (a, b) => ((b.sum += a.sum), (b.count += a.count), b) }),
  );
  h.processElement(['a', 1], 1);
  assert.throws(() => h.processWatermark(10), /merge\(a, b\) returned b/);
  await h.close();
});

test('panes are used for sliding windows with the default trigger and a combinable function only', () => {
  const agg = { kind: 'aggregate', aggregate: sumCount } as const;
  const reduce = { kind: 'reduce', reduce: sumReducer } as const;
  const setup = { trigger: undefined, allowedLateness: 0, lateDataTag: undefined, emit: () => {} };
  const sliding = SlidingEventTimeWindows.of(10, 2);
  assert.equal(paneContentsOf({ ...setup, assigner: sliding, contents: agg, combinable: true })?.kind, 'aggregate');
  assert.equal(paneContentsOf({ ...setup, assigner: sliding, contents: reduce, combinable: true })?.kind, 'reduce');
  assert.equal(paneContentsOf({ ...setup, assigner: sliding, contents: reduce, combinable: false }), undefined, 'a reduce not declared associative');
  assert.equal(paneContentsOf({ ...setup, assigner: sliding, contents: agg, combinable: true, trigger: EventTimeTrigger.create() }), undefined, 'a trigger set');
  assert.equal(paneContentsOf({ ...setup, assigner: SlidingEventTimeWindows.of(10, 10), contents: agg, combinable: true }), undefined, 'tumbling');
  assert.equal(paneContentsOf({ ...setup, assigner: SlidingEventTimeWindows.of(10001, 10000), contents: agg, combinable: true }), undefined, '1 ms panes');
  assert.equal(paneContentsOf({ ...setup, assigner: TumblingEventTimeWindows.of(10), contents: agg, combinable: true }), undefined);
});
