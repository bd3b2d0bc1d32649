// `npm run bench -- checkpoints`: what checkpointing costs and buys. Throughput with and without
// checkpoints, snapshot cost by keyed-state size, time from a failure to resumed processing, and
// barrier alignment under backpressure, as one section of bench/RESULTS.md.

import { alignmentUnderBackpressure } from './alignment.js';
import { recoveryTime } from './recovery.js';
import { snapshotCost } from './snapshot-cost.js';
import { checkpointThroughput } from './throughput.js';

export interface CheckpointsSuiteOptions {
  rounds: number;
}

export async function checkpointsSuite({ rounds }: CheckpointsSuiteOptions): Promise<string> {
  console.error('checkpoints: throughput');
  const throughput = await checkpointThroughput({ keyedRecords: 12_000_000, seedReadings: 8_000_000, intervalMs: 1000, rounds, parallelisms: [1, 2] });
  console.error('checkpoints: snapshot cost');
  const cost = await snapshotCost({ keys: [10_000, 100_000, 1_000_000], records: 10_000_000, intervalMs: 1000, rounds });
  console.error('checkpoints: recovery');
  const recovery = await recoveryTime({ records: 6_000_000, intervalMs: 200, rounds, parallelisms: [1, 2] });
  console.error('checkpoints: alignment under backpressure');
  const alignment = await alignmentUnderBackpressure({ records: 800_000, busyUs: 20, intervalMs: 1000, rounds });
  return [
    '### Throughput with a checkpoint every second',
    '',
    throughput,
    '',
    '### Snapshot cost by keyed-state size',
    '',
    cost,
    '',
    '### From a failure to resumed processing',
    '',
    recovery,
    '',
    '### Barrier alignment under backpressure',
    '',
    alignment,
  ].join('\n');
}
