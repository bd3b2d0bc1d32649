// The main thread's end of a collectAsync() sink: an AsyncIterable of the sink's records, read
// from its subtasks' rings as they arrive. It holds a bounded number of records for a reader that
// is behind; past that it leaves the frames in the rings, which fill and backpressure the job.
// It ends when the job ends (and throws the job's failure); a reader that stops early lets the
// job run on, its records dropped.

import type { MainThreadEndpoint, MainThreadLink } from './main-thread-link.js';
import { RingReader } from './ring-reader.js';

/** Records held for a reader that is behind, before the outlet stops reading the rings. */
export const COLLECT_BUFFER_RECORDS = 4096;

export class CollectOutlet<T> implements MainThreadEndpoint, AsyncIterable<T> {
  private queue: unknown[] = [];
  private head = 0;
  private reader: RingReader | undefined;
  private link: MainThreadLink | undefined;
  private waiter: (() => void) | undefined;
  private finished = false;
  private failure: Error | undefined;
  private iterated = false;
  /** The reader stopped early: records are read and dropped. */
  private discarding = false;

  constructor(private readonly nodeId: number) {}

  [Symbol.asyncIterator](): AsyncIterator<T> {
    if (this.iterated) {
      throw new TypeError('A collectAsync() stream can be read once: call collectAsync() again for a second reader of the same stream.');
    }
    this.iterated = true;
    return {
      next: () => this.next(),
      return: async () => {
        this.discarding = true;
        this.queue = [];
        this.head = 0;
        this.link?.wake();
        return { done: true, value: undefined };
      },
    };
  }

  attach(link: MainThreadLink): void {
    this.link = link;
    this.reader = new RingReader(link, 'outputs', this.nodeId);
  }

  pump(): boolean {
    return this.read(COLLECT_BUFFER_RECORDS);
  }

  hasWork(): boolean {
    return this.buffered() < COLLECT_BUFFER_RECORDS && (this.reader?.hasFrames() ?? false);
  }

  /** The deployment ended: what it left in the rings is read now, whatever the buffer holds. */
  detach(): void {
    this.read(Number.POSITIVE_INFINITY);
    this.reader = undefined;
    this.link = undefined;
  }

  end(failure: Error | undefined): void {
    this.finished = true;
    this.failure = failure;
    this.wakeReader();
  }

  private async next(): Promise<IteratorResult<T>> {
    for (;;) {
      if (this.head < this.queue.length) {
        const value = this.queue[this.head] as T;
        this.queue[this.head++] = undefined;
        if (this.head === this.queue.length) {
          this.queue = [];
          this.head = 0;
          // The buffer emptied: frames left in the rings can come now.
          this.link?.wake();
        }
        return { done: false, value };
      }
      if (this.read(COLLECT_BUFFER_RECORDS)) continue;
      if (this.finished) {
        if (this.failure !== undefined) throw this.failure;
        return { done: true, value: undefined };
      }
      await new Promise<void>((resolve) => (this.waiter = resolve));
    }
  }

  private buffered(): number {
    return this.queue.length - this.head;
  }

  /** Reads batches while fewer than `limit` records are buffered; true when it read any. */
  private read(limit: number): boolean {
    const reader = this.reader;
    if (reader === undefined) return false;
    let did = false;
    while (this.discarding || this.buffered() < limit) {
      const batch = reader.read();
      if (batch === null) break;
      did = true;
      if (this.discarding) continue;
      for (const value of batch.values) this.queue.push(value);
    }
    if (did) this.wakeReader();
    return did;
  }

  private wakeReader(): void {
    const waiter = this.waiter;
    this.waiter = undefined;
    waiter?.();
  }
}
