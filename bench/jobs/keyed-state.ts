// Benchmark job: a keyed state of `keys` numeric keys under checkpoints. A sequence keyed by
// n % keys updates one numeric value state per key (the first `keys` records create them all),
// into a discarding sink; each checkpoint snapshots every key. With `gapFile` (parallelism 1), the
// keyed function writes there, at its end, the longest time between two of its records once
// every key exists: the longest stall of the hot path.

import { writeFileSync } from 'node:fs';
import { defineJob, KeyedProcessFunction, ValueStateDescriptor, type Collector, type RuntimeContext, type ValueState } from '../../src/index.js';
import { enableBenchCheckpoints, type BenchCheckpointArgs } from './checkpointing.js';

class SumPerKey extends KeyedProcessFunction<number, number, number> {
  private sum!: ValueState<number>;
  private last = 0;
  private longestGap = 0;

  constructor(
    private readonly keys: number,
    private readonly gapFile: string | undefined,
  ) {
    super();
  }

  override open(rt: RuntimeContext): void {
    this.sum = rt.getState(new ValueStateDescriptor<number>('sum'));
  }

  processElement(n: number, _ctx: unknown, out: Collector<number>): void {
    if (this.gapFile !== undefined) {
      const now = performance.now();
      if (n > this.keys && now - this.last > this.longestGap) this.longestGap = now - this.last;
      this.last = now;
    }
    const next = (this.sum.value() ?? 0) + n;
    this.sum.update(next);
    out.collect(next);
  }

  override close(): void {
    if (this.gapFile !== undefined) writeFileSync(this.gapFile, String(this.longestGap));
  }
}

export default defineJob((env, args: { count: number; keys: number; gapFile?: string; checkpoint?: BenchCheckpointArgs }) => {
  enableBenchCheckpoints(env, args.checkpoint);
  env
    .fromSequence(0, args.count - 1)
    .keyBy((n) => n % args.keys)
    .process(new SumPerKey(args.keys, args.gapFile))
    .uid('sum-per-key')
    .sinkTo({ createWriter: () => ({ write() {} }) });
});
