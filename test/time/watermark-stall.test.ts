// The stalled-watermark diagnostic: once records keep arriving but the watermark has not moved
// for the threshold while another input moved on, name the input holding it back, once.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { WatermarkStallDetector } from '../../src/time/watermark-stall.js';

describe('watermark stall detector', () => {
  const watermarks = [Number.NEGATIVE_INFINITY, 5000, 7000];
  const channel = (c: number) => watermarks[c]!;
  const active = () => false;

  it('stays quiet before the threshold', () => {
    const d = new WatermarkStallDetector(0, 10_000);
    assert.equal(d.onRecord(9_999, channel, 3, active), undefined);
  });

  it('names the lowest active input after the threshold, once', () => {
    const d = new WatermarkStallDetector(0, 10_000);
    assert.equal(d.onRecord(10_000, channel, 3, active), 0);
    assert.equal(d.onRecord(20_000, channel, 3, active), undefined, 'warned already');
  });

  it('stays quiet while the watermark advances, and ignores idle inputs', () => {
    const d = new WatermarkStallDetector(0, 10_000);
    d.onAdvance(9_000);
    assert.equal(d.onRecord(15_000, channel, 3, active), undefined);
    assert.equal(d.onRecord(19_000, channel, 3, (c) => c === 0), 1, 'input 0 is idle: input 1 holds it back');
  });

  it('stays quiet when every input is at the same watermark (nothing moved on)', () => {
    const d = new WatermarkStallDetector(0, 10_000);
    assert.equal(d.onRecord(30_000, () => 100, 3, active), undefined);
  });
});
