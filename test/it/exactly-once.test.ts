// Exactly once, proven by killing things: the fixture job (a paced sequence, keyed, into a
// FileSink, with checkpoints) runs in child processes that run clean, throw once, lose a worker,
// are killed with SIGKILL and restored from the latest checkpoint at another parallelism, or are
// killed twice; then a chaos series fails at random points. Every committed record must be there
// exactly once: no loss, no duplicate.

import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import type { ExactlyOnceArgs } from '../fixtures/exactly-once-args.js';
import { problems } from './exactly-once-check.js';

const JOB = fileURLToPath(new URL('../fixtures/exactly-once-job.js', import.meta.url));
const CLI = fileURLToPath(new URL('../../src/cli/main.js', import.meta.url));
const CHAOS_RUNS = Number(process.env['EDDY_CHAOS_RUNS'] ?? 20);
const base = mkdtempSync(join(tmpdir(), 'eddy-exactly-once-'));
after(() => rmSync(base, { recursive: true, force: true }));
let runs = 0;

/** Fresh folders and the job's arguments. */
function job(extra: Partial<ExactlyOnceArgs> = {}): ExactlyOnceArgs {
  const dir = join(base, `run-${runs++}`);
  return { kind: 'count', count: 20_000, keys: 7, perMs: 40, parallelism: 2, checkpoints: join(dir, 'checkpoints'), out: join(dir, 'out'), intervalMs: 40, ...extra };
}

/** Runs the job to its end in a child process (`node job.js`, or `eddy run` with these options). */
function runToEnd(args: ExactlyOnceArgs, eddyRun?: string[]): void {
  const command = eddyRun === undefined ? [JOB, JSON.stringify(args)] : [CLI, 'run', JOB, ...eddyRun, '--', JSON.stringify(args)];
  const run = spawnSync(process.execPath, command, { encoding: 'utf8', timeout: 60_000 });
  assert.equal(run.status, 0, `the job failed:\n${run.stdout}${run.stderr}`);
}

/** Whether `dir` holds a completed checkpoint. */
function hasCheckpoint(dir: string): boolean {
  return existsSync(dir) && readdirSync(dir).some((name) => existsSync(join(dir, name, '_metadata')));
}

/** Starts the job and kills it with SIGKILL once it completed a checkpoint and `moreMs` passed. */
async function killMidway(args: ExactlyOnceArgs, moreMs: number): Promise<void> {
  const child = spawn(process.execPath, [JOB, JSON.stringify(args)], { stdio: 'ignore' });
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  const started = Date.now();
  while (!hasCheckpoint(args.checkpoints) && Date.now() - started < 30_000) await new Promise((r) => setTimeout(r, 5));
  await new Promise((r) => setTimeout(r, moreMs));
  child.kill('SIGKILL');
  await exited;
}

function assertExactlyOnce(args: ExactlyOnceArgs, what: string): void {
  assert.deepEqual(problems(args.out, args), [], `${what}: output of ${args.out}`);
}

/** A seeded generator (mulberry32), so a failing chaos run can be replayed. */
function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = Math.imul(state ^ (state >>> 15), 1 | state);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

describe('exactly once into a FileSink', () => {
  it('a clean run commits every record once, and only part files hold output', () => {
    const args = job();
    runToEnd(args);
    assertExactlyOnce(args, 'clean run');
    assert.ok(readdirSync(args.out).every((name) => name.startsWith('part-') || name.startsWith('.')), 'in-progress and pending files start with a dot');
  });

  it('a user function that throws once: the job restarts from its newest checkpoint', () => {
    const args = job({ fail: { at: 9_001, how: 'throw', marker: join(base, `marker-${runs}`) } });
    runToEnd(args);
    assertExactlyOnce(args, 'after a thrown error');
  });

  it('a worker thread that exits: the job restarts from its newest checkpoint', () => {
    const args = job({ fail: { at: 13_337, how: 'exit', marker: join(base, `marker-${runs}`) } });
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
    const next = random(seed);
    for (let i = 0; i < CHAOS_RUNS; i++) {
      const how = (['throw', 'exit', 'kill'] as const)[Math.floor(next() * 3)]!;
      const kind = next() < 0.5 ? 'count' : 'windows';
      const args = job({ kind, count: 8_000 + Math.floor(next() * 8_000), keys: 3 + Math.floor(next() * 9), parallelism: 1 + Math.floor(next() * 3) });
      const what = `chaos run ${i} (seed ${seed}): ${how} in a ${kind} job at parallelism ${args.parallelism}`;
      if (how === 'kill') {
        await killMidway(args, Math.floor(next() * 200));
        runToEnd({ ...args, parallelism: 1 + Math.floor(next() * 3), restore: hasCheckpoint(args.checkpoints) });
      } else {
        runToEnd({ ...args, fail: { at: Math.floor(next() * args.count), how, marker: join(base, `marker-${runs}`) } });
      }
      assertExactlyOnce(args, what);
    }
  });
});
