// A bounded source that emits records at a fixed rate of wall time, each stamped with its emission
// time: the input of the latency suite against Flink (bench/nexmark/latency.ts).

import type { InputStatus, ReaderOutput, Source, SourceReader, SourceReaderContext } from '../../src/index.js';
import { EVENTS_PER_POLL } from '../nexmark/generator.js';
import { nowMs } from './clock.js';

/** Anything stamped with its creation time (epoch ms, µs precision). */
export interface Stamped {
  stamp: number;
}

/**
 * Records 0 .. count-1 from `make(n, stamp)`, at most `rateLimit` per second of wall time over all
 * subtasks: subtask i of p emits n = i, i + p, ..., its k-th record due k * p / rateLimit s after
 * its first poll. Behind schedule it catches up in bursts; ahead, it sleeps until the next is due.
 * Each record is stamped when it is emitted. Bounded. Node's timers wake it with 1 ms granularity,
 * so due records leave in bursts of up to a millisecond's worth (polling with setImmediate instead
 * lowered the median age but raised p99 several-fold with both cores busy: bench/RESULTS.md).
 */
export class PacedSource<T> implements Source<T> {
  readonly boundedness = 'bounded';

  constructor(
    readonly count: number,
    readonly rateLimit: number,
    private readonly make: (n: number, stamp: number) => T,
  ) {
    if (!Number.isSafeInteger(count) || count < 0) throw new RangeError(`PacedSource: count must be a whole number >= 0, got ${count}`);
    if (!(rateLimit > 0) || !Number.isFinite(rateLimit)) throw new RangeError(`PacedSource: rateLimit must be a positive number of records per second, got ${rateLimit}`);
  }

  createReader(ctx: SourceReaderContext): SourceReader<T> {
    return new PacedReader(this.count, (1000 * ctx.parallelism) / this.rateLimit, ctx.subtask, ctx.parallelism, this.make);
  }
}

class PacedReader<T> implements SourceReader<T> {
  private startMs = Number.NaN;
  private emitted = 0;

  constructor(
    private readonly count: number,
    private readonly intervalMs: number,
    private next: number,
    private readonly step: number,
    private readonly make: (n: number, stamp: number) => T,
  ) {}

  private dueMs(): number {
    return this.startMs + this.emitted * this.intervalMs;
  }

  pollNext(output: ReaderOutput<T>): InputStatus {
    if (Number.isNaN(this.startMs)) this.startMs = nowMs();
    const { count, step, make } = this;
    for (let i = 0; i < EVENTS_PER_POLL && this.next < count; i++) {
      const stamp = nowMs();
      if (stamp < this.dueMs()) return 'nothing-available';
      output.collect(make(this.next, stamp));
      this.next += step;
      this.emitted++;
    }
    return this.next < count ? 'more-available' : 'end-of-input';
  }

  isAvailable(): Promise<void> {
    return new Promise((resolve) => setTimeout(resolve, Math.max(0, this.dueMs() - nowMs())));
  }
}
