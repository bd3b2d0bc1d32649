// Time from a failure to resumed processing: the recovery job (bench/jobs/recovery.ts) fails once
// mid-run (a thrown error, or its worker thread exits), and the time from the failure to the first
// record processed after the restart is read from the two stamps it writes. The restart strategy
// has no delay, so the figure is what eddy spends: cancelling the actors, replacing a dead worker,
// redeploying, restoring the newest checkpoint and rewinding the source.

import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { median } from '../utils/stats.js';
import type { RecoveryArgs } from '../jobs/recovery.js';
import { checkpointedRun, ms } from './checkpointed-run.js';

export interface RecoveryOptions {
  records: number;
  intervalMs: number;
  rounds: number;
  parallelisms: readonly number[];
}

async function recoveryMs(how: RecoveryArgs['how'], parallelism: number, options: RecoveryOptions): Promise<number> {
  const dir = mkdtempSync(join(tmpdir(), 'eddy-bench-recovery-'));
  try {
    const args: Omit<RecoveryArgs, 'checkpoint'> = {
      count: options.records,
      keys: 1000,
      failAt: Math.floor(options.records / 2),
      how,
      marker: join(dir, 'failed'),
      resumed: join(dir, 'resumed'),
    };
    const run = await checkpointedRun('recovery', args, parallelism, { intervalMs: options.intervalMs, restart: { type: 'fixed-delay', attempts: 1, delayMs: 0 } });
    if (run.result.restarts !== 1) throw new Error(`the recovery job restarted ${run.result.restarts} times, expected once`);
    return Number(readFileSync(args.resumed, 'utf8')) - Number(readFileSync(args.marker, 'utf8'));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export async function recoveryTime(options: RecoveryOptions): Promise<string> {
  const lines = [
    `The keyed pipeline (1000 keys, ${(options.records / 1e6).toFixed(0)} M records, a checkpoint every ${options.intervalMs} ms) fails once half-way; fixed-delay restart with no delay; ${options.rounds} runs each.`,
    '',
    '| failure | p | failure -> first record after restart, median | max |',
    '|---|---|---|---|',
  ];
  for (const how of ['throw', 'exit'] as const) {
    for (const p of options.parallelisms) {
      const times: number[] = [];
      for (let round = 0; round < options.rounds; round++) times.push(await recoveryMs(how, p, options));
      console.error(`  ${how} p=${p}: ${times.map((t) => t.toFixed(0)).join(', ')} ms`);
      lines.push(`| ${how === 'throw' ? 'a user function throws' : 'a worker thread exits'} | ${p} | ${ms(median(times))} ms | ${ms(Math.max(...times))} ms |`);
    }
  }
  return lines.join('\n');
}
