// Runs of the exactly-once fixture job (test/fixtures/exactly-once-job.ts) in child processes: to
// its end, killed with SIGKILL midway, and the chaos run (a throw, a worker exit, or SIGKILL and a
// restore at a random point), shared by the exactly-once tests and `npm run bench -- chaos`.

import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { ExactlyOnceArgs } from '../fixtures/exactly-once-args.js';
import { problems } from './exactly-once-check.js';

const JOB = fileURLToPath(new URL('../fixtures/exactly-once-job.js', import.meta.url));
const CLI = fileURLToPath(new URL('../../src/cli/main.js', import.meta.url));

/** Where a run in `dir` records that it failed once (so that it fails only once). */
function markerOf(dir: string): string {
  return join(dir, 'failed-once');
}

/** Makes fresh folders under `base` for each job it is asked for. */
export function jobFactory(base: string): (extra?: Partial<ExactlyOnceArgs>) => ExactlyOnceArgs {
  let runs = 0;
  return (extra = {}) => {
    const dir = join(base, `run-${runs++}`);
    mkdirSync(dir, { recursive: true });
    return {
      kind: 'count',
      count: 20_000,
      keys: 7,
      perMs: 40,
      parallelism: 2,
      checkpoints: join(dir, 'checkpoints'),
      out: join(dir, 'out'),
      intervalMs: 40,
      ...extra,
      ...(extra.fail === undefined ? {} : { fail: { ...extra.fail, marker: markerOf(dir) } }),
    };
  };
}

/** Runs the job to its end in a child process (`node job.js`, or `eddy run` with these options); throws if it fails. */
export function runToEnd(args: ExactlyOnceArgs, eddyRun?: string[]): void {
  const command = eddyRun === undefined ? [JOB, JSON.stringify(args)] : [CLI, 'run', JOB, ...eddyRun, '--', JSON.stringify(args)];
  const run = spawnSync(process.execPath, command, { encoding: 'utf8', timeout: 60_000 });
  if (run.status !== 0) throw new Error(`the job failed (exit ${run.status ?? run.signal}):\n${run.stdout}${run.stderr}`);
}

/** Whether `dir` holds a completed checkpoint. */
export function hasCheckpoint(dir: string): boolean {
  return existsSync(dir) && readdirSync(dir).some((name) => existsSync(join(dir, name, '_metadata')));
}

/** Starts the job and kills it with SIGKILL once it completed a checkpoint and `moreMs` passed. */
export async function killMidway(args: ExactlyOnceArgs, moreMs: number): Promise<void> {
  const child = spawn(process.execPath, [JOB, JSON.stringify(args)], { stdio: 'ignore' });
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  const started = Date.now();
  while (!hasCheckpoint(args.checkpoints) && Date.now() - started < 30_000) await new Promise((r) => setTimeout(r, 5));
  await new Promise((r) => setTimeout(r, moreMs));
  child.kill('SIGKILL');
  await exited;
}

/** What is wrong with the job's committed output (empty: every record exactly once). */
export function outputProblems(args: ExactlyOnceArgs): string[] {
  return problems(args.out, args);
}

/** A seeded generator (mulberry32), so a failing chaos run can be replayed. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = Math.imul(state ^ (state >>> 15), 1 | state);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export type ChaosFailure = 'throw' | 'exit' | 'kill';

export interface ChaosRun {
  /** What the run did, with the seed that replays it. */
  readonly what: string;
  readonly failure: ChaosFailure;
  /** Empty: every record was committed exactly once. */
  readonly problems: readonly string[];
}

/**
 * One chaos run: a count or window job of random size, keys and parallelism that throws, loses a
 * worker, or is killed with SIGKILL and restored (at a random parallelism) at a random point, then
 * checked for loss and duplicates. A job that fails to finish is a problem too.
 */
export async function chaosRun(job: (extra?: Partial<ExactlyOnceArgs>) => ExactlyOnceArgs, next: () => number, label: string): Promise<ChaosRun> {
  const failure = (['throw', 'exit', 'kill'] as const)[Math.floor(next() * 3)]!;
  const kind = next() < 0.5 ? 'count' : 'windows';
  const args = job({ kind, count: 8_000 + Math.floor(next() * 8_000), keys: 3 + Math.floor(next() * 9), parallelism: 1 + Math.floor(next() * 3) });
  const what = `${label}: ${failure} in a ${kind} job at parallelism ${args.parallelism}`;
  try {
    if (failure === 'kill') {
      await killMidway(args, Math.floor(next() * 200));
      runToEnd({ ...args, parallelism: 1 + Math.floor(next() * 3), restore: hasCheckpoint(args.checkpoints) });
    } else {
      runToEnd({ ...args, fail: { at: Math.floor(next() * args.count), how: failure, marker: markerOf(dirname(args.out)) } });
    }
    return { what, failure, problems: outputProblems(args) };
  } catch (error) {
    return { what, failure, problems: [error instanceof Error ? error.message : String(error)] };
  }
}
