// Watermark strategies, through the harness: bounded out-of-orderness and monotonous periodic
// watermarks (max - d - 1, only when they grow), punctuated generators (a record goes out before
// the watermark its own onEvent emits), timestamp assigners, idleness, argument checks.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createHarness, WatermarkStrategy, type DataStream, type WatermarkGenerator } from '../../src/index.js';
import { TimestampsAndWatermarksOperator } from '../../src/operators/timestamps-and-watermarks.js';
import { ProcessingTimeScheduler } from '../../src/time/processing-time-scheduler.js';
import type { OperatorContext, Output } from '../../src/core/operator.js';

interface Event {
  id: string;
  time: number;
}

const withTime = <T extends Event>(s: WatermarkStrategy<T>) => s.withTimestampAssigner((e) => e.time);

describe('watermark strategies', () => {
  it('forBoundedOutOfOrderness emits max timestamp - d - 1 every interval, only when it grows', async () => {
    const h = await createHarness((s: DataStream<Event>) => s.assignTimestampsAndWatermarks(withTime(WatermarkStrategy.forBoundedOutOfOrderness<Event>(1000))), { autoWatermarkInterval: 200 });
    h.processElement({ id: 'a', time: 5000 });
    h.processElement({ id: 'b', time: 7000 });
    h.processElement({ id: 'c', time: 6000 });
    assert.deepEqual(h.watermarks(), [], 'periodic: nothing before the interval');
    h.setProcessingTime(200);
    assert.deepEqual(h.watermarks(), [5999]);
    h.setProcessingTime(400);
    assert.deepEqual(h.watermarks(), [5999], 'no new watermark when the maximum did not grow');
    h.processElement({ id: 'd', time: 9000 });
    h.setProcessingTime(600);
    assert.deepEqual(h.watermarks(), [5999, 7999]);
    assert.deepEqual(h.output().map((r) => r.timestamp), [5000, 7000, 6000, 9000], 'records carry their event timestamps');
  });

  it('forMonotonousTimestamps is out-of-orderness 0: watermark = max - 1', async () => {
    const h = await createHarness((s: DataStream<Event>) => s.assignTimestampsAndWatermarks(withTime(WatermarkStrategy.forMonotonousTimestamps<Event>())));
    h.processElement({ id: 'a', time: 1000 });
    h.setProcessingTime(200);
    assert.deepEqual(h.watermarks(), [999]);
  });

  it('a punctuated generator emits after the record that triggered it', async () => {
    const punctuated = (): WatermarkGenerator<Event> => ({
      onEvent: (e, ts, out) => {
        if (e.id.startsWith('wm')) out.emitWatermark(ts);
      },
      onPeriodicEmit: () => undefined,
    });
    const h = await createHarness((s: DataStream<Event>) => s.assignTimestampsAndWatermarks(withTime(WatermarkStrategy.forGenerator(punctuated))));
    h.processElement({ id: 'x', time: 10 });
    h.processElement({ id: 'wm1', time: 20 });
    h.processElement({ id: 'wm0', time: 15 });
    assert.deepEqual(
      h.timeline().map((e) => ('watermark' in e ? `wm:${e.watermark}` : e.record.value.id)),
      ['x', 'wm1', 'wm:20', 'wm0'],
      'the record first, then its watermark; a lower watermark is not emitted',
    );
  });

  it('ignores upstream watermarks except the end of input', async () => {
    const h = await createHarness((s: DataStream<Event>) => s.assignTimestampsAndWatermarks(withTime(WatermarkStrategy.forMonotonousTimestamps<Event>())));
    h.processWatermark(500);
    assert.deepEqual(h.watermarks(), []);
    await h.endInput();
    assert.deepEqual(h.watermarks(), [Number.POSITIVE_INFINITY]);
  });

  it('a record without timestamp and no assigner fails with how to fix it', async () => {
    const h = await createHarness((s: DataStream<Event>) => s.assignTimestampsAndWatermarks(WatermarkStrategy.forMonotonousTimestamps<Event>()));
    assert.throws(() => h.processElement({ id: 'a', time: 1 }), /withTimestampAssigner/);
  });

  it('noWatermarks() without an assigner passes records without timestamps through, as Flink does', async () => {
    const h = await createHarness((s: DataStream<Event>) => s.assignTimestampsAndWatermarks(WatermarkStrategy.noWatermarks<Event>()));
    h.processElement({ id: 'a', time: 1 });
    assert.deepEqual(h.values(), [{ id: 'a', time: 1 }]);
    assert.equal(h.output()[0]!.timestamp, undefined);
  });

  it('withIdleness marks the input idle after the timeout without records, and active on the next record', () => {
    const statuses: boolean[] = [];
    const time = new ProcessingTimeScheduler(() => clock);
    let clock = 0;
    const output: Output<Event> = { collect() {}, collectSide() {}, emitWatermark() {}, emitWatermarkStatus: (idle) => statuses.push(idle) };
    const op = new TimestampsAndWatermarksOperator(withTime(WatermarkStrategy.forMonotonousTimestamps<Event>()).withIdleness(1000));
    op.open({ processingTime: time, autoWatermarkInterval: 200 } as unknown as OperatorContext, output);
    op.processElement({ id: 'a', time: 1 }, Number.NaN);
    for (clock = 200; clock <= 1400; clock += 200) time.fireDue();
    assert.deepEqual(statuses, [true], 'idle once, after 1000 ms without records');
    op.processElement({ id: 'b', time: 2 }, Number.NaN);
    assert.deepEqual(statuses, [true, false]);
  });

  it('refuses negative durations and non-functions', () => {
    assert.throws(() => WatermarkStrategy.forBoundedOutOfOrderness(-1), /0 or more/);
    assert.throws(() => WatermarkStrategy.forMonotonousTimestamps().withIdleness(Number.NaN), /withIdleness/);
    assert.throws(() => WatermarkStrategy.forMonotonousTimestamps().withTimestampAssigner(5 as never), /expects a function/);
  });
});
