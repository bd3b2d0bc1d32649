// A source that replays recorded readings in (sped-up) real time: each record leaves when as much
// wall-clock time has passed since the first as event time between them, divided by `speed`. It
// lets the examples run long enough to watch on the dashboard (eddy run job.ts --ui).

import type { Source, SourceReader, SourceReaderContext } from 'eddy';

/** Where the replay stands: the index of the next record. */
interface ReplaySplit {
  next: number;
}

export class ReplayedSource<T> implements Source<T, ReplaySplit> {
  readonly boundedness = 'bounded';
  readonly maxParallelism = 1;
  readonly shipped: readonly T[];
  readonly expectedRecords: number;

  constructor(
    records: readonly T[],
    private readonly timeOf: (record: T) => number,
    /** Event-time milliseconds per wall-clock millisecond. */
    private readonly speed: number,
  ) {
    this.shipped = [...records];
    this.expectedRecords = records.length;
  }

  createReader(ctx: SourceReaderContext<ReplaySplit>): SourceReader<T, ReplaySplit> {
    const records = (ctx.shipped as T[] | undefined) ?? [...this.shipped];
    const split = { next: ctx.restoredSplits?.[0]?.next ?? 0 };
    const { timeOf, speed } = this;
    const first = records.length === 0 ? 0 : timeOf(records[0]!);
    const startedAt = Date.now() - (split.next < records.length && split.next > 0 ? (timeOf(records[split.next]!) - first) / speed : 0);
    const dueAt = (i: number): number => startedAt + (timeOf(records[i]!) - first) / speed;
    return {
      pollNext(output) {
        if (split.next >= records.length) return 'end-of-input';
        const now = Date.now();
        let emitted = 0;
        while (split.next < records.length && dueAt(split.next) <= now && emitted < 256) {
          output.collect(records[split.next]!);
          split.next++;
          emitted++;
        }
        return emitted > 0 ? 'more-available' : 'nothing-available';
      },
      isAvailable: () => new Promise((resolve) => setTimeout(resolve, split.next < records.length ? Math.max(1, dueAt(split.next) - Date.now()) : 0)),
      snapshotState: () => [{ ...split }],
    };
  }
}
