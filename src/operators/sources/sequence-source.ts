// fromSequence(from, to): a bounded parallel source of the integers from..to inclusive; subtask i
// of p reads the i-th of p contiguous, nearly equal ranges (Flink's NumberSequenceSource splits).

import type { InputStatus, ReaderOutput, Source, SourceReader, SourceReaderContext } from '../../api/source.js';

const PER_POLL = 1024;

/** The inclusive range of subtask `subtask` of `parallelism` over from..to. */
export function sequenceSplit(from: number, to: number, subtask: number, parallelism: number): { start: number; end: number } {
  const count = to - from + 1;
  return {
    start: from + Math.floor((subtask * count) / parallelism),
    end: from + Math.floor(((subtask + 1) * count) / parallelism) - 1,
  };
}

class SequenceReader implements SourceReader<number> {
  private next: number;

  constructor(private readonly split: { start: number; end: number }) {
    this.next = split.start;
  }

  pollNext(output: ReaderOutput<number>): InputStatus {
    const end = Math.min(this.next + PER_POLL - 1, this.split.end);
    for (; this.next <= end; this.next++) output.collect(this.next);
    return this.next <= this.split.end ? 'more-available' : 'end-of-input';
  }

  isAvailable(): Promise<void> {
    return Promise.resolve();
  }
}

export class SequenceSource implements Source<number> {
  readonly boundedness = 'bounded';

  constructor(
    private readonly from: number,
    private readonly to: number,
  ) {}

  createReader(ctx: SourceReaderContext): SourceReader<number> {
    return new SequenceReader(sequenceSplit(this.from, this.to, ctx.subtask, ctx.parallelism));
  }
}
