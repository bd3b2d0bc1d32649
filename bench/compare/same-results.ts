// The same-results check of bench:compare: engines write the sorted output lines of one workload on
// a small input, and the check says whether all of them are identical. The throughput suite runs
// eddy and Flink once each; the checkpoints suite runs each with and without checkpoints.

import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runOnce, type Engine } from './engines.js';

/** One run of the check: an engine, with checkpoints every `checkpointIntervalMs` or without. */
export interface CheckRun {
  engine: Engine;
  checkpointIntervalMs?: number;
}

export interface SameResults {
  same: boolean;
  /** Output lines of the first run. */
  lines: number;
  /** Completed checkpoints of each run that checkpointed, in the order of the runs. */
  checkpoints: number[];
}

const ENGINES_ONCE: readonly CheckRun[] = [{ engine: 'eddy' }, { engine: 'flink' }];

/**
 * Runs `query` on `events` events once per entry of `runs` (by default eddy, then Flink, without
 * checkpoints) and compares their sorted output lines.
 */
export async function sameResults(query: string, events: number, parallelism: number, runs: readonly CheckRun[] = ENGINES_ONCE): Promise<SameResults> {
  const dir = mkdtempSync(join(tmpdir(), 'eddy-compare-'));
  try {
    const outputs: string[] = [];
    const checkpoints: number[] = [];
    for (const [i, run] of runs.entries()) {
      const output = join(dir, `${i}-${run.engine}.txt`);
      // The seed's pairwise mean depends on arrival order, which parallel sources interleave differently per run.
      const report = await runOnce(run.engine, {
        query,
        events,
        parallelism: query === 'seed' ? 1 : parallelism,
        output,
        checkpointIntervalMs: run.checkpointIntervalMs,
      });
      outputs.push(readFileSync(output, 'utf8'));
      if (run.checkpointIntervalMs !== undefined) checkpoints.push(report.checkpoints ?? 0);
    }
    return { same: outputs.every((o) => o === outputs[0]), lines: outputs[0]!.split('\n').filter(Boolean).length, checkpoints };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
