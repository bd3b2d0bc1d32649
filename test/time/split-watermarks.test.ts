// Per-split watermarks (Flink's WatermarkOutputMultiplexer rules): the combined watermark is the
// minimum over the active splits and never goes back; a split that has not emitted holds it back;
// idle splits are left out; all idle (or none) makes the subtask idle, and activity ends that.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { SplitWatermarks } from '../../src/time/split-watermarks.js';
import { WatermarkStrategy, type WatermarkOutput } from '../../src/time/watermark-strategy.js';

function recorder(): { events: string[]; output: WatermarkOutput } {
  const events: string[] = [];
  return { events, output: { emitWatermark: (t) => events.push(`wm ${t}`), markIdle: () => events.push('idle'), markActive: () => events.push('active') } };
}

describe('SplitWatermarks', () => {
  it('combines the splits as their minimum, held back by a split that has not emitted, never going back', () => {
    const { events, output } = recorder();
    const splits = new SplitWatermarks(WatermarkStrategy.forMonotonousTimestamps<number>(), () => 0, output);
    const a = splits.split('a');
    const b = splits.split('b');
    splits.onEvent(a, 0, 5000);
    splits.onPeriodicEmit();
    assert.deepEqual(events, [], 'b has not emitted: -Infinity holds the minimum');
    splits.onEvent(b, 0, 2000);
    splits.onPeriodicEmit();
    assert.deepEqual(events, ['wm 1999']);
    splits.release('b');
    assert.deepEqual(events, ['wm 1999', 'wm 4999'], 'a released split stops holding it back');
    splits.split('c');
    splits.onPeriodicEmit();
    assert.deepEqual(events, ['wm 1999', 'wm 4999'], 'a new split does not move the watermark back');
  });

  it('leaves idle splits out, is idle when all are, and active again on a record', () => {
    let now = 0;
    const { events, output } = recorder();
    const splits = new SplitWatermarks(WatermarkStrategy.forMonotonousTimestamps<number>().withIdleness(100), () => now, output);
    const a = splits.split('a');
    const b = splits.split('b');
    splits.onEvent(a, 0, 1000);
    splits.onEvent(b, 0, 3000);
    splits.onPeriodicEmit();
    assert.deepEqual(events, ['wm 999']);
    // a goes quiet past its idle timeout while b goes on.
    for (now = 50; now <= 300; now += 50) {
      splits.onEvent(b, 0, 3000 + now);
      splits.onPeriodicEmit();
    }
    assert.deepEqual(events.slice(-1), ['wm 3299'], 'a is idle: b alone sets the watermark');
    for (now = 350; now <= 600; now += 50) splits.onPeriodicEmit();
    assert.deepEqual(events.slice(-1), ['idle'], 'both quiet: the subtask is idle');
    splits.onEvent(a, 0, 4000);
    assert.deepEqual(events.slice(-1), ['active']);
  });

  it('is idle without splits', () => {
    const { events, output } = recorder();
    new SplitWatermarks(WatermarkStrategy.forMonotonousTimestamps<number>(), () => 0, output).onPeriodicEmit();
    assert.deepEqual(events, ['idle']);
  });
});
