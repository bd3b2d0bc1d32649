// Flink's WindowOperatorTest, lateness cases: late-but-allowed re-firing, late elements to the side
// output, sessions that merge late elements while remembered, and cleanup timers.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { DataStream } from '../../../src/api/data-stream.js';
import { OutputTag } from '../../../src/core/output-tag.js';
import { createHarness } from '../../../src/testing/harness.js';
import { EventTimeSessionWindows } from '../../../src/operators/windows/assigners/session.js';
import { SlidingEventTimeWindows } from '../../../src/operators/windows/assigners/sliding.js';
import { TumblingEventTimeWindows } from '../../../src/operators/windows/assigners/tumbling.js';
import { EventTimeTrigger } from '../../../src/operators/windows/triggers/event-time-trigger.js';
import { PurgingTrigger } from '../../../src/operators/windows/triggers/purging-trigger.js';
import type { Trigger, TriggerContext, TriggerResult } from '../../../src/operators/windows/triggers/trigger.js';
import type { TimeWindow } from '../../../src/operators/windows/time-window.js';
import { keyOf, rec, reducedSession, sorted, sumReducer, watermarkEmits, type Pair, type Session } from './flink-udfs.js';

const late = new OutputTag<Pair>('late-output');

test('testLateness: a purging trigger re-fires a late-but-allowed element alone; later ones go to the side output', async () => {
  const h = await createHarness(
    (s: DataStream<Pair>) =>
      s.keyBy(keyOf).window(TumblingEventTimeWindows.of(2000)).trigger(PurgingTrigger.of(EventTimeTrigger.create())).allowedLateness(500).sideOutputLateData(late).reduce(sumReducer),
    { sideOutputs: [late] },
  );
  h.processElement(['key2', 1], 500);
  h.processWatermark(1500);
  h.processElement(['key2', 1], 1300);
  h.processWatermark(2300);
  // maxTimestamp + allowedLateness (2499) > watermark: not late; it fires at once, alone (purged).
  h.processElement(['key2', 1], 1997);
  h.processWatermark(6000);
  h.processElement(['key2', 1], 1998);
  h.processWatermark(7000);
  assert.deepEqual(h.timeline(), [
    { watermark: 1500 },
    { record: rec(['key2', 2], 1999) },
    { watermark: 2300 },
    { record: rec(['key2', 1], 1999) },
    { watermark: 6000 },
    { watermark: 7000 },
  ]);
  assert.deepEqual(h.sideOutput(late), [rec(['key2', 1], 1998)]);
  await h.close();
});

test('testSideOutputDueToLatenessTumbling', async () => {
  const h = await createHarness((s: DataStream<Pair>) => s.keyBy(keyOf).window(TumblingEventTimeWindows.of(2000)).sideOutputLateData(late).reduce(sumReducer), {
    sideOutputs: [late],
  });
  h.processElement(['key2', 1], 1000);
  watermarkEmits(h, 1985, []);
  h.processElement(['key2', 1], 1980);
  watermarkEmits(h, 1999, [rec(['key2', 2], 1999)]);
  h.processElement(['key2', 1], 1998);
  assert.deepEqual(h.sideOutput(late), [rec(['key2', 1], 1998)]);
  h.processElement(['key2', 1], 2001);
  watermarkEmits(h, 2999, []);
  watermarkEmits(h, 3999, [rec(['key2', 1], 3999)]);
  await h.close();
});

for (const [name, options] of [['per window', undefined], ['panes', { associative: true }]] as const) {
  test(`testSideOutputDueToLatenessSliding (${name})`, async () => {
    const h = await createHarness(
      (s: DataStream<Pair>) => s.keyBy(keyOf).window(SlidingEventTimeWindows.of(3000, 1000)).sideOutputLateData(late).reduce(sumReducer, options),
      { sideOutputs: [late] },
    );
    h.processElement(['key2', 1], 1000);
    watermarkEmits(h, 1999, [rec(['key2', 1], 1999)]);
    h.processElement(['key2', 1], 2000);
    watermarkEmits(h, 3000, [rec(['key2', 2], 2999)]);
    h.processElement(['key1', 1], 3001);
    // In windows ending 2999 (late, skipped), 3999 and 4999 (kept).
    h.processElement(['key2', 1], 2400);
    h.processElement(['key2', 1], 2400);
    h.processElement(['key1', 1], 3001);
    h.processElement(['key2', 1], 3900);
    watermarkEmits(h, 6000, [
      rec(['key2', 5], 3999), rec(['key1', 2], 3999),
      rec(['key2', 4], 4999), rec(['key1', 2], 4999),
      rec(['key2', 1], 5999), rec(['key1', 2], 5999),
    ]);
    h.processElement(['key1', 1], 3001);
    assert.deepEqual(h.sideOutput(late), [rec(['key1', 1], 3001)]);
    watermarkEmits(h, 25000, []);
    await h.close();
  });
}

/** The input shared by Flink's session lateness tests, up to the first late element. */
function sessionsUntilLate(h: { processElement(v: Pair, ts: number): void; processWatermark(wm: number): void }): void {
  h.processElement(['key2', 1], 1000);
  h.processWatermark(1999);
  h.processElement(['key2', 1], 2000);
  h.processWatermark(4998);
  // Joins the session [1000, 5000), whose maxTimestamp is after the watermark.
  h.processElement(['key2', 1], 4500);
  h.processElement(['key2', 1], 8500);
  h.processWatermark(7400);
  // Merges both sessions into one.
  h.processElement(['key2', 1], 7000);
  h.processWatermark(11501);
  h.processElement(['key2', 1], 11600);
  h.processWatermark(14600);
}

const FIRST_SESSIONS = [rec<Session>(['key2-5', 1000, 11500], 11499), rec<Session>(['key2-1', 11600, 14600], 14599)];

function sessionHarness(lateness: number, purging: boolean) {
  return createHarness(
    (s: DataStream<Pair>) => {
      const windowed = s.keyBy(keyOf).window(EventTimeSessionWindows.withGap(3000)).allowedLateness(lateness).sideOutputLateData(late);
      return (purging ? windowed.trigger(PurgingTrigger.of(EventTimeTrigger.create())) : windowed).reduce(sumReducer, reducedSession);
    },
    { sideOutputs: [late] },
  );
}

for (const purging of [false, true]) {
  test(`testSideOutputDueToLatenessSessionZeroLateness${purging ? 'PurgingTrigger' : ''}: fired sessions are forgotten`, async () => {
    const h = await sessionHarness(0, purging);
    sessionsUntilLate(h);
    assert.deepEqual(sorted(h.output()), FIRST_SESSIONS);
    h.clearOutput();
    h.processElement(['key2', 1], 10000);
    // Late too: not merged with the previous late element by accident.
    if (purging) h.processElement(['key2', 1], 10100);
    assert.deepEqual(h.sideOutput(late), purging ? [rec(['key2', 1], 10000), rec(['key2', 1], 10100)] : [rec(['key2', 1], 10000)]);
    h.processElement(['key2', 1], 14500);
    watermarkEmits(h, 20000, [rec(['key2-1', 14500, 17500], 17499)]);
    watermarkEmits(h, 100000, []);
    await h.close();
  });
}

test('testDropDueToLatenessSessionWithLatenessPurgingTrigger: a remembered, purged session takes a late element', async () => {
  const h = await sessionHarness(10, true);
  sessionsUntilLate(h);
  h.clearOutput();
  h.processElement(['key2', 1], 10000);
  assert.deepEqual(h.output(), [rec(['key2-1', 10000, 14600], 14599)]);
  h.processElement(['key2', 1], 14500);
  watermarkEmits(h, 20000, [rec(['key2-1', 10000, 17500], 17499)]);
  watermarkEmits(h, 100000, []);
  assert.deepEqual(h.sideOutput(late), []);
  await h.close();
});

test('testNotSideOutputDueToLatenessSessionWithLateness: the merged session is behind the watermark and fires at once', async () => {
  const h = await sessionHarness(10, false);
  sessionsUntilLate(h);
  assert.deepEqual(sorted(h.output()), FIRST_SESSIONS);
  h.clearOutput();
  h.processElement(['key2', 1], 10000);
  h.processElement(['key2', 1], 14500);
  assert.deepEqual(h.output(), [rec(['key2-2', 10000, 14600], 14599)]);
  watermarkEmits(h, 20000, [rec(['key2-3', 10000, 17500], 17499)]);
  watermarkEmits(h, 100000, []);
  assert.deepEqual(h.sideOutput(late), []);
  await h.close();
});

for (const purging of [false, true]) {
  test(`testNotSideOutputDueToLatenessSessionWithHugeLateness${purging ? 'PurgingTrigger' : ''}: both fired sessions merge`, async () => {
    const h = await sessionHarness(10000, purging);
    sessionsUntilLate(h);
    h.clearOutput();
    h.processElement(['key2', 1], 10000);
    assert.deepEqual(h.output(), [rec(purging ? ['key2-1', 1000, 14600] : ['key2-7', 1000, 14600], 14599)]);
    h.clearOutput();
    h.processElement(['key2', 1], 14500);
    watermarkEmits(h, 20000, [rec(purging ? ['key2-1', 1000, 17500] : ['key2-8', 1000, 17500], 17499)]);
    watermarkEmits(h, 100000, []);
    assert.deepEqual(h.sideOutput(late), []);
    await h.close();
  });
}

test('testCleanupTimerWithEmptyReduceStateForSessionWindows', async () => {
  const h = await sessionHarness(10, false);
  h.processElement(['key2', 1], 1000);
  watermarkEmits(h, 4998, [rec(['key2-1', 1000, 4000], 3999)]);
  watermarkEmits(h, 14600, []);
  await h.close();
});

test('testCleanupTimerWithEmptyReduceStateForTumblingWindows: the cleanup timer after a firing emits nothing', async () => {
  const h = await createHarness((s: DataStream<Pair>) => s.keyBy(keyOf).window(TumblingEventTimeWindows.of(2000)).allowedLateness(1).reduce(sumReducer));
  h.processElement(['key2', 1], 1000);
  watermarkEmits(h, 1599, []);
  watermarkEmits(h, 1999, [rec(['key2', 1], 1999)]);
  watermarkEmits(h, 2000, []);
  watermarkEmits(h, 5000, []);
  await h.close();
});

/** Flink's EventTimeTriggerAccumGC: a user's trigger that also fires (and purges) at the cleanup time. */
class EventTimeTriggerAccumGC implements Trigger<unknown, TimeWindow> {
  constructor(private readonly cleanupTime: number) {}
  onElement(_e: unknown, _t: number, window: TimeWindow, ctx: TriggerContext): TriggerResult {
    if (window.maxTimestamp() <= ctx.currentWatermark()) return 'fire';
    ctx.registerEventTimeTimer(window.maxTimestamp());
    return 'continue';
  }
  onEventTime(time: number, window: TimeWindow): TriggerResult {
    return time === window.maxTimestamp() || time === window.maxTimestamp() + this.cleanupTime ? 'fire-and-purge' : 'continue';
  }
  onProcessingTime(): TriggerResult {
    return 'continue';
  }
  onMerge(window: TimeWindow, ctx: TriggerContext): void {
    ctx.registerEventTimeTimer(window.maxTimestamp());
  }
  clear(window: TimeWindow, ctx: TriggerContext): void {
    ctx.deleteEventTimeTimer(window.maxTimestamp());
  }
}

test('testCleanupTimerWithEmptyListStateForTumblingWindows2: a custom trigger fires at the cleanup time on empty state', async () => {
  const h = await createHarness((s: DataStream<Pair>) =>
    s
      .keyBy(keyOf)
      .window(TumblingEventTimeWindows.of(2000))
      .trigger(new EventTimeTriggerAccumGC(100))
      .allowedLateness(100)
      .process<string>((_key, _ctx, input, out) => out.collect(`GOT: ${[...input].map(([k, v]) => `(${k},${v})`).join(',')}`)),
  );
  h.processElement(['key2', 1], 1000);
  for (const wm of [1599, 1999, 2100, 5000]) h.processWatermark(wm);
  assert.deepEqual(h.timeline(), [{ watermark: 1599 }, { record: rec('GOT: (key2,1)', 1999) }, { watermark: 1999 }, { watermark: 2100 }, { watermark: 5000 }]);
  await h.close();
});
