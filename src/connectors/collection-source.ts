// fromElements / fromCollection: a bounded, non-parallel source of values computed in the main
// thread and shipped to the worker as they are (so a collection built from random values or the
// clock is the same collection everywhere). Its position is the index of the next element.

import { POLL_SLICE, pollDeadline, type InputStatus, type ReaderOutput, type Source, type SourceReader, type SourceReaderContext } from '../core/source.js';

/** Values handed to the output per poll, so the actor can flush and yield between polls. */
const PER_POLL = 256;

/** The one split of a collection: the index of the next element to emit. */
export interface CollectionSplit {
  readonly next: number;
}

class CollectionReader<T> implements SourceReader<T, CollectionSplit> {
  constructor(
    private readonly elements: readonly T[],
    private next: number,
  ) {}

  pollNext(output: ReaderOutput<T>): InputStatus {
    const end = Math.min(this.next + PER_POLL, this.elements.length);
    const deadline = pollDeadline();
    do {
      const last = Math.min(this.next + POLL_SLICE, end);
      for (; this.next < last; this.next++) output.collect(this.elements[this.next]!);
    } while (this.next < end && performance.now() <= deadline);
    return this.next < this.elements.length ? 'more-available' : 'end-of-input';
  }

  isAvailable(): Promise<void> {
    return Promise.resolve();
  }

  snapshotState(): CollectionSplit[] {
    return [{ next: this.next }];
  }
}

export class CollectionSource<T> implements Source<T, CollectionSplit> {
  readonly boundedness = 'bounded';
  readonly maxParallelism = 1;
  readonly shipped: readonly T[];
  readonly expectedRecords: number;

  constructor(elements: Iterable<T>) {
    this.shipped = Array.from(elements);
    this.expectedRecords = this.shipped.length;
  }

  createReader(ctx: SourceReaderContext<CollectionSplit>): SourceReader<T, CollectionSplit> {
    const elements = (ctx.shipped as T[] | undefined) ?? this.shipped;
    // A collection has one split: a restored reader resumes at its index (none left: at the end).
    const restored = ctx.restoredSplits;
    return new CollectionReader(elements, restored === undefined ? 0 : (restored[0]?.next ?? elements.length));
  }
}
