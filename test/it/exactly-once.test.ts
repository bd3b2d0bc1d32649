// Exactly once, proven by killing things: the fixture job (a paced sequence, keyed, into a
// FileSink, with checkpoints) runs in child processes that run clean, throw once, lose a worker,
// are killed with SIGKILL and restored from the latest checkpoint at another parallelism, or are
// killed twice; then a chaos series fails at random points. Every committed record must be there
// exactly once: no loss, no duplicate.

import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import type { ExactlyOnceArgs } from '../fixtures/exactly-once-args.js';
import { chaosRun, hasCheckpoint, jobFactory, killMidway, outputProblems, runToEnd, seededRandom } from './exactly-once-runs.js';

const CHAOS_RUNS = Number(process.env['EDDY_CHAOS_RUNS'] ?? 20);
const base = mkdtempSync(join(tmpdir(), 'eddy-exactly-once-'));
after(() => rmSync(base, { recursive: true, force: true }));
const job = jobFactory(base);

function assertExactlyOnce(args: ExactlyOnceArgs, what: string): void {
  assert.deepEqual(outputProblems(args), [], `${what}: output of ${args.out}`);
}

describe('exactly once into a FileSink', () => {
  it('a clean run commits every record once, and only part files hold output', () => {
    const args = job();
    runToEnd(args);
    assertExactlyOnce(args, 'clean run');
    assert.ok(readdirSync(args.out).every((name) => name.startsWith('part-') || name.startsWith('.')), 'in-progress and pending files start with a dot');
  });

  it('a user function that throws once: the job restarts from its newest checkpoint', () => {
    const args = job({ fail: { at: 9_001, how: 'throw', marker: '' } });
    runToEnd(args);
    assertExactlyOnce(args, 'after a thrown error');
  });

  it('a worker thread that exits: the job restarts from its newest checkpoint', () => {
    const args = job({ fail: { at: 13_337, how: 'exit', marker: '' } });
    runToEnd(args);
    assertExactlyOnce(args, 'after a dead worker');
  });

  it("SIGKILL of the whole process, then restoreFrom('latest') at parallelism 3", async () => {
    const args = job();
    await killMidway(args, 150);
    assert.ok(hasCheckpoint(args.checkpoints));
    runToEnd({ ...args, parallelism: 3, restore: true });
    assertExactlyOnce(args, 'killed and restored at parallelism 3');
  });

  it('SIGKILL, then `eddy run job --restore latest`', async () => {
    const args = job();
    await killMidway(args, 100);
    runToEnd({ ...args, parallelism: 3 }, ['--restore', 'latest']);
    assertExactlyOnce(args, 'killed and restored by eddy run --restore latest');
  });

  it('an event-time window job killed twice and restored each time (at parallelism 3, then 1)', async () => {
    const args = job({ kind: 'windows', count: 30_000 });
    await killMidway(args, 100);
    await killMidway({ ...args, parallelism: 3, restore: true }, 150);
    runToEnd({ ...args, parallelism: 1, restore: true });
    assertExactlyOnce(args, 'windows killed twice');
    const names = readdirSync(args.checkpoints);
    assert.equal(new Set(names).size, names.length);
  });

  it(`chaos: ${CHAOS_RUNS} runs with a failure at a random point (a throw, a worker exit, or SIGKILL and a restore)`, async () => {
    const seed = Number(process.env['EDDY_CHAOS_SEED'] ?? Date.now() % 1_000_000);
    const next = seededRandom(seed);
    for (let i = 0; i < CHAOS_RUNS; i++) {
      const run = await chaosRun(job, next, `chaos run ${i} (seed ${seed})`);
      assert.deepEqual(run.problems, [], run.what);
    }
  });
});
