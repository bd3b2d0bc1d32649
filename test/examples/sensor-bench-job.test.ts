// The sensor benchmark's job (bench/jobs/sensor-windows.ts) at parallelism 2 fires the same windows with
// the same results as the benchmark's plain-loop baseline, so the two measure the same work.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { plainLoop } from '../../bench/sensor-job.js';
import { runJob } from '../../src/index.js';

describe('bench sensor job', () => {
  it('computes what the plain loop computes', async () => {
    const args = { count: 60_000, devices: 100, collect: true };
    const client = await runJob(new URL('../../bench/jobs/sensor-windows.js', import.meta.url), { parallelism: 2, args });
    const results = (await client.result).collected[0] as { device_id: string; temp: number }[];
    const expected = plainLoop(args.count, args.devices);
    assert.equal(results.length, expected.windows);
    const sum = results.map((r) => r.temp).reduce((a, b) => a + b, 0);
    assert.ok(Math.abs(sum - expected.checksum) < 1e-9 * expected.checksum, `${sum} vs ${expected.checksum}`);
  });
});
