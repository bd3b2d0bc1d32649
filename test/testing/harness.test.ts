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

describe('keyed state leaves no residue', () => {
  it('a session window that fired and was cleaned up frees its key', async () => {
    const { EventTimeSessionWindows } = await import('../../src/index.js');
    const h = await createHarness((s: DataStream<{ user: string; n: number }>) =>
      s.keyBy((e) => e.user).window(EventTimeSessionWindows.withGap(10)).reduce((a, b) => ({ user: a.user, n: a.n + b.n })).name('Sessions'),
    );
    h.processElement({ user: 'a', n: 1 }, 0);
    h.processElement({ user: 'a', n: 2 }, 5);
    h.processElement({ user: 'b', n: 3 }, 8);
    assert.equal(h.keyedStateKeys('Sessions'), 2);
    h.processWatermark(100);
    assert.deepEqual(h.values(), [{ user: 'a', n: 3 }, { user: 'b', n: 3 }]);
    assert.equal(h.keyedStateKeys('Sessions'), 0, 'contents, session set and timers state all gone');
  });
});
