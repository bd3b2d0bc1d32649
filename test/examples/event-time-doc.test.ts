// The walk-through of docs/event-time.md, step by step through the operator harness and as a job:
// a tumbling event-time window with allowed lateness fires at its end, fires again for a
// late-but-allowed element, and sends an element past the lateness to the side output, or drops it
// and counts it in the job's lateRecordsDropped metric.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createHarness, OutputTag, runJob, Time, TumblingEventTimeWindows, type DataStream } from '../../src/index.js';

interface Reading {
  device: string;
  temp: number;
}

const LATE = new OutputTag<Reading>('late-readings');

/** The doc's job: per device, readings per 10 s window, 5 s of allowed lateness. */
function countPerWindow(readings: DataStream<Reading>, withSideOutput: boolean): DataStream<string> {
  const windowed = readings
    .keyBy((r) => r.device)
    .window(TumblingEventTimeWindows.of(Time.seconds(10)))
    .allowedLateness(Time.seconds(5));
  if (withSideOutput) windowed.sideOutputLateData(LATE);
  return windowed.process<string>((device, ctx, elements, out) => {
    out.collect(`${device} [${ctx.window.start}, ${ctx.window.end}): ${[...elements].length} readings`);
  });
}

describe('docs/event-time.md walk-through', () => {
  it('fires at the end, again for a late-but-allowed element, and side-outputs what is later still', async () => {
    const h = await createHarness((s: DataStream<Reading>) => countPerWindow(s, true), { sideOutputs: [LATE] });
    h.processElement({ device: 'a', temp: 20 }, 1_000);
    h.processElement({ device: 'a', temp: 21 }, 4_000);
    h.processWatermark(9_998);
    assert.deepEqual(h.values(), [], 'the window [0, 10000) has not ended at watermark 9998');
    h.processWatermark(9_999);
    assert.deepEqual(h.output(), [{ value: 'a [0, 10000): 2 readings', timestamp: 9_999 }]);
    h.clearOutput();

    h.processElement({ device: 'a', temp: 22 }, 3_000);
    assert.deepEqual(h.values(), ['a [0, 10000): 3 readings'], 'late but within the allowed lateness: fires again at once');
    h.clearOutput();

    h.processWatermark(14_999);
    h.processElement({ device: 'a', temp: 23 }, 2_000);
    assert.deepEqual(h.values(), [], 'cleanup time 9999 + 5000 reached: the window is gone');
    assert.deepEqual(h.sideOutput(LATE), [{ value: { device: 'a', temp: 23 }, timestamp: 2_000 }]);
  });

  for (const sideOutput of [true, false]) {
    it(`as a job at parallelism 2, ${sideOutput ? 'sends the too-late reading to the side output' : 'drops the too-late reading and counts it in the metrics'}`, async () => {
      const client = await runJob(new URL('../fixtures/late-readings-job.js', import.meta.url), { parallelism: 2, args: { sideOutput } });
      const result = await client.result;
      const fired = ['a [0, 10000): 2 readings', 'a [0, 10000): 3 readings', 'a [10000, 20000): 1 readings'];
      assert.deepEqual([...(result.collected[0] as string[])].sort(), sideOutput ? [...fired, 'late a@2000'] : fired);
      const dropped = result.metrics.filter((m) => m.name === 'Readings per Window').reduce((n, m) => n + m.lateRecordsDropped, 0);
      assert.equal(dropped, sideOutput ? 0 : 1);
    });
  }
});
