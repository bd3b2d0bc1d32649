// The watermark valve (Flink's StatusWatermarkValve): minimum over active, aligned channels,
// forwarded only when it grows; idle channels stop holding it back and rejoin once caught up.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { WatermarkValve } from '../../src/time/watermark-valve.js';

describe('watermark valve', () => {
  it('forwards the minimum over channels, only when it grows', () => {
    const valve = new WatermarkValve(3);
    assert.equal(valve.onWatermark(0, 10), null, 'other channels still at -infinity');
    assert.equal(valve.onWatermark(1, 5), null);
    assert.equal(valve.onWatermark(2, 7), 5);
    assert.equal(valve.onWatermark(1, 20), 7);
    assert.equal(valve.onWatermark(1, 15), null, 'a channel never goes back');
    assert.equal(valve.onWatermark(2, 8), 8);
    assert.equal(valve.watermark, 8);
  });

  it('ignores an idle channel, and is idle when all channels are', () => {
    const valve = new WatermarkValve(2);
    valve.onWatermark(0, 100);
    assert.equal(valve.onStatus(1, true), 100, 'the idle channel held the watermark back');
    assert.equal(valve.isIdle, false);
    assert.equal(valve.onWatermark(0, 150), 150);
    valve.onStatus(0, true);
    assert.equal(valve.isIdle, true);
  });

  it('lets an idle channel rejoin only once it caught up', () => {
    const valve = new WatermarkValve(2);
    valve.onWatermark(0, 100);
    valve.onStatus(1, true);
    valve.onStatus(1, false);
    assert.equal(valve.onWatermark(1, 50), null, 'behind the operator watermark: not counted, no regression');
    assert.equal(valve.onWatermark(0, 200), 200, 'the lagging channel does not hold it back yet');
    assert.equal(valve.onWatermark(1, 210), null, 'caught up: now aligned');
    assert.equal(valve.onWatermark(0, 300), 210, 'and counted again');
  });

  it('reaches +infinity when every channel ended, and ignores ended channels before', () => {
    const valve = new WatermarkValve(2);
    valve.onWatermark(0, 10);
    assert.equal(valve.onEndOfInput(1), 10);
    assert.equal(valve.onEndOfInput(0), Number.POSITIVE_INFINITY);
  });
});
