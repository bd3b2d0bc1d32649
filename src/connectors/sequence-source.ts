// fromSequence(from, to): a bounded parallel source of the integers from..to inclusive; subtask i
// of p reads the i-th of p contiguous, nearly equal ranges (Flink's NumberSequenceSource splits).
// A reader's position is the part of its ranges not emitted yet.

import { POLL_SLICE, pollDeadline, type InputStatus, type ReaderOutput, type Source, type SourceReader, type SourceReaderContext } from '../core/source.js';

const PER_POLL = 1024;

/** An inclusive range of the sequence; empty when `start > end`. */
export interface SequenceSplit {
  start: number;
  end: number;
}

/** The inclusive range of subtask `subtask` of `parallelism` over from..to. */
export function sequenceSplit(from: number, to: number, subtask: number, parallelism: number): SequenceSplit {
  const count = to - from + 1;
  return {
    start: from + Math.floor((subtask * count) / parallelism),
    end: from + Math.floor(((subtask + 1) * count) / parallelism) - 1,
  };
}

class SequenceReader implements SourceReader<number, SequenceSplit> {
  /** The ranges left, first one being read; each reader starts with one, a restored one with any. */
  private readonly splits: SequenceSplit[];

  constructor(splits: readonly SequenceSplit[]) {
    this.splits = splits.filter((s) => s.start <= s.end).map((s) => ({ ...s }));
  }

  pollNext(output: ReaderOutput<number>): InputStatus {
    const split = this.splits[0];
    if (split === undefined) return 'end-of-input';
    const end = Math.min(split.start + PER_POLL - 1, split.end);
    const deadline = pollDeadline();
    let next = split.start;
    do {
      const last = Math.min(next + POLL_SLICE - 1, end);
      for (; next <= last; next++) output.collect(next);
    } while (next <= end && performance.now() <= deadline);
    split.start = next;
    if (split.start > split.end) this.splits.shift();
    return this.splits.length > 0 ? 'more-available' : 'end-of-input';
  }

  isAvailable(): Promise<void> {
    return Promise.resolve();
  }

  snapshotState(): SequenceSplit[] {
    return this.splits.map((s) => ({ ...s }));
  }
}

export class SequenceSource implements Source<number, SequenceSplit> {
  readonly boundedness = 'bounded';
  readonly expectedRecords: number;

  constructor(
    private readonly from: number,
    private readonly to: number,
  ) {
    this.expectedRecords = Math.max(0, to - from + 1);
  }

  createReader(ctx: SourceReaderContext<SequenceSplit>): SourceReader<number, SequenceSplit> {
    return new SequenceReader(ctx.restoredSplits ?? [sequenceSplit(this.from, this.to, ctx.subtask, ctx.parallelism)]);
  }
}
