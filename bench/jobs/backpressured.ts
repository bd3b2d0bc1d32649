// Benchmark job: checkpoints under backpressure. A sequence at parallelism p feeds, keyed, a slow
// keyed map (`busyUs` of busy work per record) at parallelism p, so that every channel's ring is
// full and each keyed subtask aligns barriers from p input channels; `channelMemory` sets the rings.

import { defineJob } from '../../src/index.js';
import { enableBenchCheckpoints, type BenchCheckpointArgs } from './checkpointing.js';

export interface BackpressuredArgs {
  count: number;
  keys: number;
  busyUs: number;
  channelMemory?: number;
  checkpoint?: BenchCheckpointArgs;
}

export default defineJob((env, args: BackpressuredArgs) => {
  enableBenchCheckpoints(env, args.checkpoint);
  if (args.channelMemory !== undefined) env.setChannelMemory(args.channelMemory);
  env
    .fromSequence(0, args.count - 1)
    .keyBy((n) => n % args.keys)
    .map((n) => {
      const until = performance.now() + args.busyUs / 1000;
      while (performance.now() < until);
      return n;
    })
    .sinkTo({ createWriter: () => ({ write() {} }) });
});
