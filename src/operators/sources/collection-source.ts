// fromElements / fromCollection: a bounded, non-parallel source of values computed in the main
// thread and shipped to the worker as they are (so a collection built from random values or the
// clock is the same collection everywhere).

import type { InputStatus, ReaderOutput, Source, SourceReader, SourceReaderContext } from '../../api/source.js';

/** Values handed to the output per poll, so the actor can flush and yield between polls. */
const PER_POLL = 256;

class CollectionReader<T> implements SourceReader<T> {
  private next = 0;

  constructor(private readonly elements: readonly T[]) {}

  pollNext(output: ReaderOutput<T>): InputStatus {
    const end = Math.min(this.next + PER_POLL, this.elements.length);
    for (; this.next < end; this.next++) output.collect(this.elements[this.next]!);
    return this.next < this.elements.length ? 'more-available' : 'end-of-input';
  }

  isAvailable(): Promise<void> {
    return Promise.resolve();
  }
}

export class CollectionSource<T> implements Source<T> {
  readonly boundedness = 'bounded';
  readonly maxParallelism = 1;
  readonly shipped: readonly T[];

  constructor(elements: Iterable<T>) {
    this.shipped = Array.from(elements);
  }

  createReader(ctx: SourceReaderContext): SourceReader<T> {
    return new CollectionReader((ctx.shipped as T[] | undefined) ?? this.shipped);
  }
}
