// Checkpointing for the benchmark jobs: with `checkpoint` in a job's arguments, the job checkpoints
// every `intervalMs` into `dir` (exactly once unless asked otherwise) and, unless told how to
// restart, does not restart: a failure fails the run.

import type { RestartStrategy, StreamExecutionEnvironment } from '../../src/index.js';

export interface BenchCheckpointArgs {
  intervalMs: number;
  dir: string;
  mode?: 'exactly-once' | 'at-least-once';
  restart?: RestartStrategy;
}

export function enableBenchCheckpoints(env: StreamExecutionEnvironment, checkpoint: BenchCheckpointArgs | undefined): void {
  if (checkpoint === undefined) return;
  env.enableCheckpointing(checkpoint.intervalMs, { dir: checkpoint.dir, mode: checkpoint.mode ?? 'exactly-once' });
  env.setRestartStrategy(checkpoint.restart ?? { type: 'none' });
}
