// `npm run bench -- chaos --runs N`: the exactly-once tests' chaos run, many times: each run fails a
// job (a throw, a worker exit, or SIGKILL of the process and a restore) at a random point, and its
// committed output is checked for loss and duplicates. Reports how many runs held, per failure.

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chaosRun, jobFactory, seededRandom, type ChaosFailure, type ChaosRun } from '../../test/it/exactly-once-runs.js';

export async function chaosSuite(runs: number, seed: number): Promise<string> {
  const base = mkdtempSync(join(tmpdir(), 'eddy-chaos-'));
  const job = jobFactory(base);
  const next = seededRandom(seed);
  const results: ChaosRun[] = [];
  const started = performance.now();
  try {
    for (let i = 0; i < runs; i++) {
      const run = await chaosRun(job, next, `run ${i} (seed ${seed})`);
      results.push(run);
      console.error(`${run.what}: ${run.problems.length === 0 ? 'exactly once' : `FAILED: ${run.problems.slice(0, 3).join('; ')}`}`);
      if (run.problems.length === 0) rmSync(join(base, `run-${i}`), { recursive: true, force: true });
    }
  } finally {
    if (results.every((r) => r.problems.length === 0)) rmSync(base, { recursive: true, force: true });
    else console.error(`the failed runs' folders are kept under ${base}`);
  }
  const minutes = (performance.now() - started) / 60_000;
  const rows = (['throw', 'exit', 'kill'] as ChaosFailure[]).map((failure) => {
    const of = results.filter((r) => r.failure === failure);
    return `| ${failure === 'kill' ? 'SIGKILL of the process, then a restore' : failure === 'exit' ? 'a worker thread exits' : 'a user function throws'} | ${of.length} | ${of.filter((r) => r.problems.length === 0).length} |`;
  });
  const failed = results.filter((r) => r.problems.length > 0);
  return [
    `${runs} runs (seed ${seed}, ${minutes.toFixed(1)} min): keyed counts or event-time windows of 8-16 k records into a FileSink at parallelism 1-3, checkpoints every 40 ms, one failure at a random point; a killed job is restored from its newest checkpoint at a random parallelism 1-3. Held = every record committed exactly once.`,
    '',
    '| failure | runs | held |',
    '|---|---|---|',
    ...rows,
    `| all | ${results.length} | ${results.length - failed.length} |`,
    ...(failed.length === 0 ? [] : ['', 'Failed runs:', ...failed.map((r) => `- ${r.what}: ${r.problems.slice(0, 3).join('; ')}`)]),
  ].join('\n');
}
