// Benchmark job: single records at a low, fixed rate through source -> keyBy -> sink. The keyed
// operator measures each record's age (creation stamp to arrival) and keeps the ages until the
// end of input, so that reporting them adds no work while records are in flight.

import { defineJob, type Source, type SourceReader } from '../../src/index.js';
import { nowMs } from '../utils/clock.js';

interface Stamped {
  key: number;
  stamp: number;
  last: boolean;
}

/**
 * One record per poll at most, never a catch-up burst (unlike bench/utils/paced-source.ts, whose
 * bursts would add queueing to the single-record latency this job measures).
 */
class PacedSource implements Source<Stamped> {
  readonly boundedness = 'bounded';

  constructor(
    private readonly count: number,
    private readonly intervalMs: number,
  ) {}

  createReader(): SourceReader<Stamped> {
    let sent = 0;
    let due = nowMs();
    const { count, intervalMs } = this;
    return {
      pollNext(output) {
        if (sent === count) return 'end-of-input';
        if (nowMs() < due) return 'nothing-available';
        sent++;
        output.collect({ key: sent % 16, stamp: nowMs(), last: sent === count });
        due += intervalMs;
        return 'nothing-available';
      },
      isAvailable: () => new Promise((resolve) => setTimeout(resolve, Math.max(0, due - nowMs()))),
    };
  }
}

export default defineJob((env, args: { count: number; intervalMs: number }) => {
  const ages: number[] = [];
  return env
    .addSource(new PacedSource(args.count, args.intervalMs), 'Paced Source')
    .setParallelism(1)
    .keyBy((r) => r.key)
    .flatMap<number[]>((r, out) => {
      ages.push(nowMs() - r.stamp);
      if (r.last) out.collect(ages);
    })
    .name('Measure Age')
    .setParallelism(1);
});
