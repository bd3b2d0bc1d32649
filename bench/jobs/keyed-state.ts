// Benchmark job: a keyed state of `keys` numeric keys under checkpoints. A sequence keyed by
// n % keys updates one numeric value state per key (the first `keys` records create them all),
// into a discarding sink; each checkpoint snapshots every key.

import { defineJob, KeyedProcessFunction, ValueStateDescriptor, type Collector, type RuntimeContext, type ValueState } from '../../src/index.js';
import { enableBenchCheckpoints, type BenchCheckpointArgs } from './checkpointing.js';

class SumPerKey extends KeyedProcessFunction<number, number, number> {
  private sum!: ValueState<number>;

  override open(rt: RuntimeContext): void {
    this.sum = rt.getState(new ValueStateDescriptor<number>('sum'));
  }

  processElement(n: number, _ctx: unknown, out: Collector<number>): void {
    const next = (this.sum.value() ?? 0) + n;
    this.sum.update(next);
    out.collect(next);
  }
}

export default defineJob((env, args: { count: number; keys: number; checkpoint?: BenchCheckpointArgs }) => {
  enableBenchCheckpoints(env, args.checkpoint);
  env
    .fromSequence(0, args.count - 1)
    .keyBy((n) => n % args.keys)
    .process(new SumPerKey())
    .uid('sum-per-key')
    .sinkTo({ createWriter: () => ({ write() {} }) });
});
