// Window jobs at parallelism 1, 2 and 4 under punctuated watermarks give exactly what a
// single-threaded run through the operator harness gives: window results, late side output, and
// the count of late records dropped.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { DataStream } from '../../src/api/data-stream.js';
import { createHarness } from '../../src/testing/harness.js';
import { sumWindows, windowEvents, type WindowArgs, type WindowEvent } from '../fixtures/windows.js';
import { PARALLELISMS, runFixture } from '../harness/run-fixture.js';

const events = windowEvents(600, 6);

/** The job's answer computed in one thread: the same windowed part, fed record by record. */
async function singleThreaded(args: Omit<WindowArgs, 'events'>): Promise<string[]> {
  const h = await createHarness((s: DataStream<WindowEvent>) => sumWindows(s, args));
  for (const event of events) {
    h.processElement(event, event.ts);
    if (event.wm !== undefined) h.processWatermark(event.wm);
  }
  await h.endInput();
  const out = h.values();
  await h.close();
  return out.sort();
}

for (const p of PARALLELISMS) {
  describe(`window jobs at parallelism ${p}`, () => {
    it('tumbling windows with allowed lateness and a late side output equal the single-threaded run', async () => {
      const args = { lateness: 10, sideOutput: true };
      const expected = await singleThreaded(args);
      assert.ok(expected.filter((r) => r.startsWith('late')).length >= 5, 'the input has late data');
      const result = await runFixture('windows', p, { events, ...args });
      assert.deepEqual((result.collected[0] as string[]).sort(), expected);
      assert.equal(sum(result.metrics.filter((m) => m.name === 'Window Sums').map((m) => m.lateRecordsDropped)), 0);
    });

    it('without a side output, late records are dropped and counted', async () => {
      const args = { lateness: 0, sideOutput: false };
      const lateCount = (await singleThreaded({ ...args, sideOutput: true })).filter((r) => r.startsWith('late')).length;
      const result = await runFixture('windows', p, { events, ...args });
      assert.deepEqual((result.collected[0] as string[]).sort(), await singleThreaded(args));
      assert.equal(sum(result.metrics.filter((m) => m.name === 'Window Sums').map((m) => m.lateRecordsDropped)), lateCount);
    });
  });
}

function sum(values: number[]): number {
  return values.reduce((a, b) => a + b, 0);
}
