// Checkpoints under backpressure: the backpressured job (bench/jobs/backpressured.ts) keeps every
// ring full, so a barrier queues behind a full ring on each channel before its keyed subtask sees
// it, and in exactly-once mode the subtask then holds the channels that delivered it until the
// others do. Per variant: the alignment time (first barrier to last, per subtask) and the
// checkpoint's duration, for exactly once and at least once (no alignment, the barrier still
// queues), with the default rings and with 64 KiB rings.

import { median } from '../utils/stats.js';
import { bytes, checkpointedRun, ms } from './checkpointed-run.js';
import type { BackpressuredArgs } from '../jobs/backpressured.js';

export interface AlignmentOptions {
  records: number;
  busyUs: number;
  intervalMs: number;
  rounds: number;
}

const PARALLELISM = 2;

export async function alignmentUnderBackpressure(options: AlignmentOptions): Promise<string> {
  const variants: { name: string; mode: 'exactly-once' | 'at-least-once'; channelMemory?: number }[] = [
    { name: 'exactly once', mode: 'exactly-once' },
    { name: 'at least once', mode: 'at-least-once' },
    // A budget that leaves each ring of the job's channels at the 64 KiB floor.
    { name: 'exactly once, small rings', mode: 'exactly-once', channelMemory: 256 * 1024 },
  ];
  const lines = [
    `Sequence (p=${PARALLELISM}) -> keyBy -> a map busy ${options.busyUs} µs per record (p=${PARALLELISM}, so ~${Math.round((PARALLELISM * 1e6) / options.busyUs / 1000)} k records/s in all) -> discard; every ring full; a checkpoint every ${options.intervalMs} ms; ${(options.records / 1e3).toFixed(0)} k records per run, ${options.rounds} runs per variant, checkpoints pooled.`,
    '',
    '| variant | ring per channel | checkpoints | alignment median | alignment max | duration median | duration max |',
    '|---|---|---|---|---|---|---|',
  ];
  for (const variant of variants) {
    const alignments: number[] = [];
    const durations: number[] = [];
    let ring = 0;
    for (let round = 0; round < options.rounds; round++) {
      const args: Omit<BackpressuredArgs, 'checkpoint'> = { count: options.records, keys: 1000, busyUs: options.busyUs, channelMemory: variant.channelMemory };
      const run = await checkpointedRun('backpressured', args, PARALLELISM, { intervalMs: options.intervalMs, mode: variant.mode });
      ring = run.result.channelMemory.bytesPerChannel;
      for (const checkpoint of run.completed) {
        alignments.push(checkpoint.alignmentMs);
        durations.push(checkpoint.durationMs);
      }
      console.error(`  ${variant.name} run ${round + 1}: ${run.completed.length} checkpoints, durations ${run.completed.map((c) => c.durationMs.toFixed(0)).join(', ')} ms`);
    }
    if (durations.length === 0) {
      lines.push(`| ${variant.name} | ${bytes(ring)} | 0 | | | | |`);
      continue;
    }
    lines.push(
      `| ${variant.name} | ${bytes(ring)} | ${durations.length} | ${ms(median(alignments))} ms | ${ms(Math.max(...alignments))} ms | ${ms(median(durations))} ms | ${ms(Math.max(...durations))} ms |`,
    );
  }
  return lines.join('\n');
}
