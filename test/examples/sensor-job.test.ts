// examples/sensor-job.ts at parallelism 2: per device and 10 s window sliding by 5 s, the
// pairwise-mean reduce (folded in arrival order) and the true average, against a plain loop.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { clock, sensorReadings } from '../../examples/inputs.js';
import { runExample } from './run-example.js';

interface Expected {
  device: string;
  start: number;
  pairwise: number;
  sum: number;
  count: number;
}

describe('examples/sensor-job', () => {
  it("prints the pairwise mean and the true average of every window of every device", () => {
    const readings = sensorReadings();
    const windows = new Map<string, Expected>();
    for (const { device_id, temp, time } of readings) {
      // Every reading lies in two windows: the ones starting at the 5 s boundaries at or before it.
      const last = Math.floor(time / 5000) * 5000;
      for (const start of [last - 5000, last]) {
        const id = `${device_id} ${start}`;
        const w = windows.get(id);
        if (w === undefined) windows.set(id, { device: device_id, start, pairwise: temp, sum: temp, count: 1 });
        else Object.assign(w, { pairwise: (w.pairwise + temp) / 2, sum: w.sum + temp, count: w.count + 1 });
      }
    }
    const expected = [...windows.values()]
      .sort((a, b) => a.device.localeCompare(b.device) || a.start - b.start)
      .map(
        (w) =>
          `${w.device}  ${clock(w.start)}-${clock(w.start + 10_000)}  ${w.pairwise.toFixed(2).padStart(13)}  ` +
          `${(w.sum / w.count).toFixed(2).padStart(7)}  ${String(w.count).padStart(8)}`,
      );
    assert.ok([...windows.values()].some((w) => w.pairwise.toFixed(2) !== (w.sum / w.count).toFixed(2)), 'the pairwise mean differs from the average');

    const lines = runExample('sensor-job');
    assert.equal(lines[0], `sensor-job at parallelism 2: ${expected.length} windows (10 s, every 5 s) over ${readings.length} readings`);
    assert.deepEqual(lines.slice(2), expected);
  });
});
