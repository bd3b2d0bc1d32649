// Benchmark job for embedding: records pushed from the main thread, keyed straight to their
// subtask, counted per key in keyed state, and read back with collectAsync. Each worker reports
// the garbage-collection pauses it saw over a BroadcastChannel when the job ends.

import { BroadcastChannel } from 'node:worker_threads';
import { PerformanceObserver } from 'node:perf_hooks';
import { defineJob, KeyedProcessFunction, ValueStateDescriptor, type Collector, type KeyedContext, type Key, type KeyedPushStream, type RuntimeContext, type ValueState } from '../../src/index.js';

export interface Pushed {
  key: number;
  sentAt: number;
}

export interface Counted {
  key: number;
  sentAt: number;
  count: number;
}

/** GC pauses one thread saw: how many, their sum and the longest, ms. */
export interface GcPauses {
  count: number;
  totalMs: number;
  maxMs: number;
}

export const GC_CHANNEL = 'eddy-bench-gc';

/** Watches this thread's GC pauses until `stop()`. */
export function watchGc(): { readonly pauses: GcPauses; stop(): void } {
  const pauses: GcPauses = { count: 0, totalMs: 0, maxMs: 0 };
  const observer = new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) {
      pauses.count++;
      pauses.totalMs += entry.duration;
      pauses.maxMs = Math.max(pauses.maxMs, entry.duration);
    }
  });
  observer.observe({ entryTypes: ['gc'] });
  return { pauses, stop: () => observer.disconnect() };
}

/** The count of records per key so far: the stateful step of the pipeline. */
export class CountPerKey extends KeyedProcessFunction<number, Pushed, Counted> {
  private count!: ValueState<number>;
  private gc: ReturnType<typeof watchGc> | undefined;

  override open(rt: RuntimeContext): void {
    this.count = rt.getState(new ValueStateDescriptor<number>('count'));
    this.gc = watchGc();
  }

  processElement(record: Pushed, _ctx: KeyedContext<number>, out: Collector<Counted>): void {
    const count = (this.count.value() ?? 0) + 1;
    this.count.update(count);
    out.collect({ key: record.key, sentAt: record.sentAt, count });
  }

  override close(): void {
    this.gc?.stop();
    const channel = new BroadcastChannel(GC_CHANNEL);
    channel.postMessage(this.gc?.pauses);
    channel.close();
  }
}

/** The handles of the job the main thread built (set by the builder, read by the benchmark). */
export const pipeline: { input?: KeyedPushStream<Pushed, Key>; output?: AsyncIterable<Counted> } = {};

export default defineJob((env) => {
  const input = env.fromPush<Pushed>('pushed', { keyBy: (r) => r.key });
  pipeline.input = input;
  pipeline.output = input.process(new CountPerKey()).name('Count Per Key').collectAsync();
});
