// Checkpoints in a running job: a restarted job's collected results come once each; checkpoint
// ids keep increasing across restores; savepoints are taken, stop a job and restore it at another
// parallelism; a damaged newest checkpoint is skipped; restores that do not fit the job are
// refused before it runs; at-least-once mode does not align; failed checkpoints are tolerated
// unless the job says otherwise; a slow function chained to a source does not hold barriers back.

import assert from 'node:assert/strict';
import { appendFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { after, describe, it } from 'node:test';
import { runJob, StreamError, type CheckpointStats, type JobClient, type JobExecutionResult } from '../../src/index.js';
import { finalSums, sumProblems, type CheckpointedSumArgs, type KeySum } from '../fixtures/checkpointed-sum.js';
import type { SlowChainedMapArgs } from '../fixtures/slow-chained-map.js';
import { fixtureUrl, PARALLELISMS } from '../harness/run-fixture.js';
import { warningsDuring } from '../harness/logs.js';

const base = mkdtempSync(join(tmpdir(), 'eddy-checkpoints-'));
after(() => rmSync(base, { recursive: true, force: true }));
let folders = 0;

/** The fixture's arguments with a fresh checkpoint folder. */
function sumArgs(extra: Partial<CheckpointedSumArgs> = {}): CheckpointedSumArgs {
  return { count: 6000, keys: 5, dir: join(base, `job-${folders++}`), intervalMs: 30, perMs: 20, ...extra };
}

function start(args: CheckpointedSumArgs, parallelism: number): Promise<JobClient> {
  return runJob(fixtureUrl('checkpointed-sum'), { parallelism, args, jobName: 'checkpointed sum' });
}

async function run(args: CheckpointedSumArgs, parallelism: number): Promise<JobExecutionResult> {
  return (await start(args, parallelism)).result;
}

function completed(result: { checkpoints: readonly CheckpointStats[] } | JobClient): CheckpointStats[] {
  const all = 'result' in result ? result.checkpoints() : result.checkpoints;
  return all.filter((c) => c.status === 'completed');
}

/** The ids of the chk-<n> folders in `dir`. */
function checkpointIds(dir: string): number[] {
  return readdirSync(dir)
    .flatMap((name) => /^chk-(\d+)$/.exec(name)?.[1] ?? [])
    .map(Number)
    .sort((a, b) => a - b);
}

/** A slow job stopped with a savepoint once it completed a checkpoint: the savepoint and what was collected until then. */
async function stoppedWithSavepoint(args: CheckpointedSumArgs, parallelism: number): Promise<{ path: string; collected: unknown[] }> {
  const client = await start({ ...args, count: 40_000, perMs: 2 }, parallelism);
  while (completed(client).length === 0) await new Promise((r) => setTimeout(r, 5));
  const path = await client.stopWithSavepoint(join(args.dir, 'savepoints'));
  const result = await client.result;
  return { path, collected: result.collected[0]! };
}

async function refusal(promise: Promise<unknown>): Promise<StreamError> {
  const error = await promise.then(
    () => assert.fail('the restore should have been refused'),
    (e: unknown) => e,
  );
  assert.ok(error instanceof StreamError, `expected a StreamError, got ${String(error)}`);
  return error;
}

/** Files named chk-1 .. chk-<n> in `dir`: those checkpoints cannot create their folders, so they fail. */
function blockCheckpoints(dir: string, n: number): void {
  mkdirSync(dir, { recursive: true });
  for (let id = 1; id <= n; id++) writeFileSync(join(dir, `chk-${id}`), '');
}

describe('checkpoints in a running job', () => {
  for (const parallelism of PARALLELISMS) {
    it(`collects every result once when a failure restarts the job (p=${parallelism})`, async () => {
      const args = sumArgs({ failAt: 3100, marker: join(base, `marker-${folders}`) });
      const result = await run(args, parallelism);
      assert.equal(result.restarts, 1);
      assert.ok(existsSync(args.marker!), 'the planned failure happened');
      assert.deepEqual(sumProblems(result.collected[0]!, args.count, args.keys), []);
      assert.ok(completed(result).length > 0, 'checkpoints completed');
    });
  }

  it('keeps checkpoint ids increasing across restores and runs, so a chk-<n> name never repeats', async () => {
    const args = sumArgs({ options: { retained: 100 } });
    const first = completed(await run(args, 2)).map((c) => c.checkpointId);
    const restored = completed(await run({ ...args, restore: 'latest' }, 3)).map((c) => c.checkpointId);
    const fresh = completed(await run(args, 1)).map((c) => c.checkpointId);
    assert.ok(first.length > 0 && restored.length > 0 && fresh.length > 0);
    assert.ok(Math.min(...restored) > Math.max(...first), `restored ${restored} after ${first}`);
    assert.ok(Math.min(...fresh) > Math.max(...restored), `fresh ${fresh} after ${restored}`);
    assert.deepEqual(checkpointIds(args.dir), [...first, ...restored, ...fresh]);
    for (const id of checkpointIds(args.dir)) assert.ok(existsSync(join(args.dir, `chk-${id}`, '_metadata')));
  });

  it('keeps the newest `retained` checkpoints and deletes older ones', async () => {
    const args = sumArgs({ options: { retained: 2 } });
    const ids = completed(await run(args, 2)).map((c) => c.checkpointId);
    assert.ok(ids.length > 2);
    assert.deepEqual(checkpointIds(args.dir), ids.slice(-2));
  });

  it('takes a savepoint while the job runs on, in a folder of its own that retention leaves alone', async () => {
    const args = sumArgs({ count: 40_000, perMs: 2 });
    const client = await start(args, 2);
    const path = await client.triggerSavepoint(join(args.dir, 'savepoints'));
    assert.match(basename(path), /^savepoint-\d+-[0-9a-f]+$/);
    assert.ok(existsSync(join(path, '_metadata')));
    while (completed(client).filter((c) => c.kind === 'checkpoint').length < 2) await new Promise((r) => setTimeout(r, 5));
    await client.cancel();
    assert.ok(existsSync(join(path, '_metadata')), 'the savepoint stays after later checkpoints');
    const savepoint = client.checkpoints().find((c) => c.kind === 'savepoint');
    assert.equal(savepoint?.status, 'completed');
    assert.equal(savepoint?.path, path);
  });

  it('stops a job with a savepoint and continues it from there at another parallelism, every result once', async () => {
    const args = sumArgs();
    const stopped = await stoppedWithSavepoint(args, 2);
    assert.ok(stopped.collected.length < 40_000, 'the job stopped before its end');
    const rest = await run({ ...args, count: 40_000, perMs: 200, restore: stopped.path }, 3);
    assert.deepEqual(sumProblems([...stopped.collected, ...rest.collected[0]!], 40_000, args.keys), []);
  });

  it('skips a damaged newest checkpoint for the one before it, with a warning that names it', async () => {
    const args = sumArgs({ options: { retained: 3 } });
    await run(args, 2);
    const ids = checkpointIds(args.dir);
    assert.ok(ids.length >= 2);
    const newest = join(args.dir, `chk-${ids.at(-1)}`);
    const file = readdirSync(newest).find((name) => name !== '_metadata')!;
    appendFileSync(join(newest, file), 'damage');
    const { result: restored, warnings } = await warningsDuring('EDDY_CHECKPOINT_SKIPPED', () => run({ ...args, restore: 'latest' }, 2));
    assert.equal(warnings.length, 1);
    assert.match(warnings[0]!, new RegExp(`Skipped the checkpoint in ${newest.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`));
    // The sums go on from the state of the checkpoint before the damaged one, to the same totals.
    const last = new Map<number, number>();
    for (const r of restored.collected[0] as KeySum[]) last.set(r.key, Math.max(last.get(r.key) ?? 0, r.n));
    const totals = finalSums(args.count, args.keys);
    for (const [key, sum] of last) assert.equal(sum, totals[key], `the sum of key ${key}`);
  });

  it('refuses a restore whose operator uid the job no longer has, unless allowNonRestoredState', async () => {
    const args = sumArgs();
    const { path, collected } = await stoppedWithSavepoint(args, 2);
    const error = await refusal(start({ ...args, restore: path, uid: 'total' }, 2));
    assert.equal(error.code, 'STATE_MISMATCH');
    assert.match(error.message, /holds state of .*\(uid sum\), which the job no longer has.*allowNonRestoredState/);
    const rest = await run({ ...args, count: 40_000, perMs: 200, restore: path, uid: 'total', allowNonRestoredState: true }, 2);
    const emitted = rest.collected[0] as KeySum[];
    assert.equal(collected.length + emitted.length, 40_000, 'the source resumed where the savepoint was');
    const firsts = new Map<number, number>();
    for (const r of emitted) if (!firsts.has(r.key)) firsts.set(r.key, r.n);
    assert.ok([...firsts.values()].every((n) => n < 40_000), 'the sums started again from nothing: their state was left behind');
  });

  it('refuses a restore whose state changed kind, failing the job at once', async () => {
    const args = sumArgs();
    const { path } = await stoppedWithSavepoint(args, 1);
    const started = performance.now();
    const error = await refusal(run({ ...args, restore: path, changeStateKind: true }, 2));
    assert.equal(error.code, 'STATE_MISMATCH');
    assert.match(error.message, /State "rolling-reduce" is checkpointed as value state and cannot be used as list state/);
    assert.ok(performance.now() - started < 2000, 'no restarts were tried');
  });

  it('refuses a restore with another maxParallelism, saying how to fix it', async () => {
    const args = sumArgs();
    const { path } = await stoppedWithSavepoint(args, 2);
    const error = await refusal(start({ ...args, restore: path, maxParallelism: 64 }, 2));
    assert.equal(error.code, 'STATE_MISMATCH');
    assert.match(error.message, /has 128 key groups \(maxParallelism\) but the job has 64.*setMaxParallelism/);
  });

  it('in at-least-once mode (barriers counted, never aligned) checkpoints and restarts without losing a record', async () => {
    const args = sumArgs({ options: { mode: 'at-least-once' } });
    const clean = await run(args, 2);
    assert.deepEqual(sumProblems(clean.collected[0]!, args.count, args.keys), []);
    assert.ok(completed(clean).length > 0);
    // After a restart a record may count twice in the state (not in what was collected): never zero times.
    const failing = sumArgs({ options: { mode: 'at-least-once' }, failAt: 3100, marker: join(base, `marker-${folders}`) });
    const restarted = await run(failing, 2);
    assert.equal(restarted.restarts, 1);
    const last = new Map<number, number>();
    for (const r of restarted.collected[0] as KeySum[]) last.set(r.key, Math.max(last.get(r.key) ?? 0, r.n));
    finalSums(failing.count, failing.keys).forEach((total, key) => assert.ok((last.get(key) ?? 0) >= total, `key ${key}: ${last.get(key)} < ${total}`));
  });

  it('tolerates failed checkpoints by default and reports each', async () => {
    const args = sumArgs();
    blockCheckpoints(args.dir, 3);
    const { warnings } = await warningsDuring('EDDY_CHECKPOINT_FAILED', async () => {
      const result = await run(args, 2);
      assert.deepEqual(sumProblems(result.collected[0]!, args.count, args.keys), []);
      const failed = result.checkpoints.filter((c) => c.status === 'failed');
      assert.deepEqual(failed.map((c) => c.checkpointId), [1, 2, 3]);
      assert.ok(completed(result).length > 0);
      assert.match(failed[0]!.failure!, /folder could not be created/);
    });
    assert.ok(warnings.length > 0);
  });

  it('fails the job when more checkpoints fail in a row than tolerableFailures', async () => {
    const args = sumArgs({ options: { tolerableFailures: 1 }, restartStrategy: { type: 'none' } });
    blockCheckpoints(args.dir, 100);
    const error = await refusal(run(args, 2));
    assert.equal(error.code, 'CHECKPOINT_FAILED');
    assert.match(error.message, /2 checkpoints in a row failed, more than the 1 the job tolerates \(tolerableFailures\)/);
  });

  for (const [source, parallelism] of [...PARALLELISMS.map((p) => ['sequence', p] as const), ['elements', 1] as const]) {
    it(`takes checkpoints while a slow function chained to the source runs, not only between polls of hundreds of records (${source}, p=${parallelism})`, async () => {
      // 800 records a subtask at 0.25 ms each: read in a few polls of the source without a time
      // budget, so no checkpoint completes before the reading ends (two in all, the first held
      // back some 400 ms). With polls cut after 10 ms, one every 50 ms or so.
      const count = 800 * parallelism;
      const args: SlowChainedMapArgs = { source, count, msPerRecord: 0.25, dir: join(base, `job-${folders++}`), intervalMs: 20 };
      const result = await runJob(fixtureUrl('slow-chained-map'), { parallelism, args, jobName: 'slow chained map' }).then((client) => client.result);
      assert.deepEqual((result.collected[0] as number[]).sort((a, b) => a - b), Array.from({ length: count }, (_, n) => n));
      assert.ok(completed(result).length >= 4, `${completed(result).length} checkpoints completed in a run of 200 ms or more at a 20 ms interval`);
    });
  }

  it('fails a bounded job whose final checkpoint keeps failing instead of waiting for it forever', async () => {
    const args = sumArgs({ count: 100, intervalMs: 10_000, restartStrategy: { type: 'none' } });
    blockCheckpoints(args.dir, 100);
    const error = await refusal(run(args, 1));
    assert.equal(error.code, 'CHECKPOINT_FAILED');
    assert.match(error.message, /final checkpoint of the job failed 3 times/);
  });
});
