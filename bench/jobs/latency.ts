// Benchmark job: single records at a low, fixed rate through source -> keyBy -> sink; the keyed
// operator measures each record's age (creation stamp to arrival) and the ages are collected.

import { defineJob, type Source, type SourceReader } from '../../src/index.js';

/** Wall-clock time in ms with µs precision, comparable across threads. */
export function nowMs(): number {
  return performance.timeOrigin + performance.now();
}

class PacedSource implements Source<{ key: number; stamp: number }> {
  readonly boundedness = 'bounded';

  constructor(
    private readonly count: number,
    private readonly intervalMs: number,
  ) {}

  createReader(): SourceReader<{ key: number; stamp: number }> {
    let sent = 0;
    let due = nowMs();
    const { count, intervalMs } = this;
    return {
      pollNext(output) {
        if (sent === count) return 'end-of-input';
        if (nowMs() < due) return 'nothing-available';
        output.collect({ key: sent++ % 16, stamp: nowMs() });
        due += intervalMs;
        return 'nothing-available';
      },
      isAvailable: () => new Promise((resolve) => setTimeout(resolve, Math.max(0, due - nowMs()))),
    };
  }
}

export default defineJob((env, args: { count: number; intervalMs: number }) =>
  env
    .addSource(new PacedSource(args.count, args.intervalMs), 'Paced Source')
    .keyBy((r) => r.key)
    .map((r) => nowMs() - r.stamp)
    .name('Measure Age'),
);
