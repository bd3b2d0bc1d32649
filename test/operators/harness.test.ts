// The public operator harness itself: timeline order, side outputs that must be listed, and the
// late-records counter of the operators it runs.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createHarness, OutputTag, TumblingEventTimeWindows, type DataStream } from '../../src/index.js';

describe('operator harness', () => {
  it('counts the records a window dropped as late', async () => {
    const h = await createHarness((s: DataStream<number>) => s.keyBy(() => 'k').window(TumblingEventTimeWindows.of(10)).reduce((a, b) => a + b).name('Sum'));
    h.processElement(1, 1);
    h.processElement(2, 5);
    h.processWatermark(9);
    h.processElement(3, 7);
    h.processElement(4, 12);
    assert.equal(h.lateRecordsDropped(), 1);
    assert.equal(h.lateRecordsDropped('Sum'), 1);
    assert.equal(h.lateRecordsDropped('Other'), 0);
    assert.deepEqual(h.timeline(), [{ record: { value: 3, timestamp: 9 } }, { watermark: 9 }]);
  });

  it('refuses to read a side output it was not asked to capture', async () => {
    const h = await createHarness((s: DataStream<number>) => s.map((x) => x));
    assert.throws(() => h.sideOutput(new OutputTag<number>('x')), /list its tag in createHarness/);
  });
});
