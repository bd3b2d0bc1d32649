// A failing user function, source, sink or worker fails the job fast, naming the operator, the
// subtask and the user's message and stack; cancel stops an unbounded job; nothing is left behind.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { runJob, StreamError } from '../../src/index.js';
import type { FailureKind } from '../fixtures/failing.js';
import { fixtureUrl, runFixture } from '../harness/run-fixture.js';

async function failure(kind: FailureKind, parallelism = 2): Promise<{ error: StreamError; ms: number }> {
  const started = performance.now();
  const error = await runFixture('failing', parallelism, { kind }).then(
    () => assert.fail('the job should have failed'),
    (e: unknown) => e,
  );
  assert.ok(error instanceof StreamError, `expected a StreamError, got ${String(error)}`);
  return { error, ms: performance.now() - started };
}

describe('failures', () => {
  it('a throwing map fails the job with its name, subtask, message and stack', async () => {
    const { error, ms } = await failure('map');
    assert.equal(error.code, 'USER_FUNCTION_FAILED');
    const named = /Operator "Exploding Map" \(subtask (\d) of 2\) failed: boom at 4242/.exec(error.message);
    assert.ok(named, error.message);
    assert.equal(error.operator, 'Exploding Map');
    assert.equal(error.subtask, Number(named[1]), 'the message counts subtasks as the property does: from 0');
    assert.equal(error.parallelism, 2);
    assert.match(error.stack ?? '', /fixtures\/failing\.js/, 'the stack shows the user function');
    assert.ok(ms < 3000, `failed after ${ms} ms`);
  });

  it('a throwing source fails the job with the source name', async () => {
    const { error } = await failure('source', 1);
    assert.match(error.message, /"Throwing Source" \(subtask 0 of 1\) failed: source broke after 100 records/);
  });

  it('a throwing sink fails the job with the sink name and the error', async () => {
    const { error } = await failure('sink');
    assert.match(error.message, /"Sink" \(subtask [01] of 2\) failed: sink cannot store 500/);
  });

  it('a key selector returning an object fails with a sentence on how to fix it', async () => {
    const { error } = await failure('key');
    assert.equal(error.code, 'INVALID_KEY');
    assert.match(error.message, /key must be/);
  });

  it('a key selector that gives another key in another thread fails the job, naming the cause and the fix', async () => {
    const { error } = await failure('inconsistent-key');
    assert.equal(error.code, 'INCONSISTENT_KEY');
    assert.equal(error.operator, 'Bucket Sums');
    assert.match(error.message, /the key selector gave the record another key in the worker thread that sent it/);
    assert.match(error.message, /module-level values that differ per worker \(random numbers, the clock, environment variables\)/);
    assert.match(error.message, /defineJob args/);
  });

  it('a job built differently in the workers is refused with the operator that differs, not as a dead worker', async () => {
    const { error } = await failure('other-graph');
    assert.equal(error.code, 'GRAPH_MISMATCH');
    assert.match(error.message, /different job in a worker thread than in the main thread/);
    assert.match(error.message, /the main thread has #1 collect "Collect Sink" reading #0 where the worker has #1 filter "Worker-Only Filter" reading #0/);
    assert.doesNotMatch(error.message, /died|process\.exit/);
  });

  it('a record that cannot cross threads names the operator that emitted it, also when its batch leaves at the end', async () => {
    const { error } = await failure('unencodable');
    assert.equal(error.code, 'RECORD_NOT_ENCODABLE');
    assert.equal(error.operator, 'Callback Maker');
    assert.match(error.message, /record\.callback is a function/);
  });

  it('a worker that exits fails the job and names what it ran', async () => {
    const { error, ms } = await failure('exit');
    assert.equal(error.code, 'WORKER_DIED');
    assert.match(error.message, /Exiting Map/);
    assert.ok(ms < 3000, `failed after ${ms} ms`);
  });

  it('cancel stops a running unbounded job and its result rejects as cancelled', async () => {
    const client = await runJob(fixtureUrl('unbounded'), { parallelism: 2 });
    await new Promise((resolve) => setTimeout(resolve, 300));
    const running = await client.metrics();
    assert.ok(running.some((m) => m.recordsIn > 0), 'the job processed records before the cancel');
    const started = performance.now();
    await client.cancel();
    assert.ok(performance.now() - started < 2000);
    await assert.rejects(client.result, (e: unknown) => e instanceof StreamError && e.code === 'JOB_CANCELLED');
  });
});
