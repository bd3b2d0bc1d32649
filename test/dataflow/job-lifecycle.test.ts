// The life of a job: results and metrics, and a clean process
// afterwards (no worker, timer or port left behind) whether the job ended, failed or was cancelled.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { runJob } from '../../src/index.js';
import { fixtureUrl, runFixture } from '../harness/run-fixture.js';

/** Resources (beyond the test runner's own) that keep the event loop alive. */
function leftovers(): string[] {
  return process.getActiveResourcesInfo().filter((r) => r === 'Timeout' || r === 'MessagePort' || r === 'Worker' || r === 'FSReqCallback');
}

describe('job lifecycle', () => {
  it('reports records in and out per operator subtask', async () => {
    const result = await runFixture('numbers', 2, { to: 10_000 });
    assert.equal(result.collected[0]!.length, 5000);
    const source = result.metrics.filter((m) => m.name === 'Sequence Source');
    assert.equal(source.length, 2);
    assert.equal(source.reduce((n, m) => n + m.recordsOut, 0), 10_000);
    const filter = result.metrics.filter((m) => m.name === 'Filter');
    assert.equal(filter.reduce((n, m) => n + m.recordsIn, 0), 10_000);
    assert.equal(filter.reduce((n, m) => n + m.recordsOut, 0), 5000, 'an operator counts what it emits');
    const sink = result.metrics.filter((m) => m.name === 'Collect Sink');
    assert.equal(sink.reduce((n, m) => n + m.recordsIn, 0), 5000);
    assert.equal(sink.reduce((n, m) => n + m.recordsOut, 0), 0);
    assert.ok(result.netRuntimeMs > 0);
  });

  for (const [name, run] of [
    ['ended', () => runFixture('numbers', 2, { to: 1000 })],
    ['failed', () => runFixture('failing', 2, { kind: 'map' }).catch(() => undefined)],
    ['cancelled', async () => (await runJob(fixtureUrl('unbounded'), { parallelism: 2 })).cancel()],
  ] as const) {
    it(`leaves no worker, timer or port behind when a job ${name}`, async () => {
      await run();
      await new Promise((resolve) => setImmediate(resolve));
      assert.deepEqual(leftovers(), []);
    });
  }
});
