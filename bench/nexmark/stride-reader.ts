// The reader of the bounded generated sources (Nexmark events, sensor readings): subtask i of p
// generates records n = i, i + p, i + 2p, ... below the count. Its position is checkpointed as one
// split { next, step }, as the Flink reference's GeneratorSource.StrideSplit, so that a job with
// checkpoints snapshots (and could resume) its sources on both sides; a restored reader reads its
// splits one after the other.

import type { InputStatus, ReaderOutput, SourceReader, SourceReaderContext } from '../../src/index.js';

/** Records next, next + step, ... below the source's count. */
export interface StrideSplit {
  next: number;
  step: number;
}

/** Records per `pollNext`. */
export const RECORDS_PER_POLL = 512;

export class StrideReader<T> implements SourceReader<T, StrideSplit> {
  private readonly queued: StrideSplit[];
  private next = 0;
  private step = 1;

  constructor(
    private readonly count: number,
    ctx: SourceReaderContext<StrideSplit>,
    private readonly generate: (n: number) => T,
  ) {
    this.queued = (ctx.restoredSplits ?? [{ next: ctx.subtask, step: ctx.parallelism }]).map((s) => ({ ...s }));
    this.advance();
  }

  pollNext(output: ReaderOutput<T>): InputStatus {
    const { count, step, generate } = this;
    let n = this.next;
    for (let i = 0; i < RECORDS_PER_POLL && n < count; i++, n += step) output.collect(generate(n));
    this.next = n;
    return n < count || this.advance() ? 'more-available' : 'end-of-input';
  }

  isAvailable(): Promise<void> {
    return Promise.resolve();
  }

  snapshotState(): StrideSplit[] {
    const current = this.next < this.count ? [{ next: this.next, step: this.step }] : [];
    return [...current, ...this.queued.map((s) => ({ ...s }))];
  }

  /** Moves to the next queued split with records left; false when none is left. */
  private advance(): boolean {
    for (let split = this.queued.shift(); split !== undefined; split = this.queued.shift()) {
      if (split.next < this.count) {
        this.next = split.next;
        this.step = split.step;
        return true;
      }
    }
    this.next = this.count;
    return false;
  }
}
