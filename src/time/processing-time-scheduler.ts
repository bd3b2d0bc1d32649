// The processing-time service of one actor (or of a test harness, on a hand-driven clock):
// callbacks kept in time order, fired by the actor's loop between steps and when it wakes from
// sleep, so they never run concurrently with the operators. The actor sleeps no longer than
// until the earliest callback.

import type { ProcessingTimeService } from '../core/operator.js';
import { MinHeap } from './min-heap.js';

interface Scheduled {
  readonly time: number;
  readonly seq: number;
  readonly callback: (time: number) => void;
  cancelled: boolean;
}

export class ProcessingTimeScheduler implements ProcessingTimeService {
  /** Earliest first, ties in registration order. */
  private readonly queue = new MinHeap<Scheduled>((a, b) => a.time < b.time || (a.time === b.time && a.seq < b.seq));
  private seq = 0;

  constructor(private readonly clock: () => number = Date.now) {}

  now(): number {
    return this.clock();
  }

  schedule(time: number, callback: (time: number) => void): () => void {
    const entry: Scheduled = { time, seq: this.seq++, callback, cancelled: false };
    this.queue.push(entry);
    return () => {
      entry.cancelled = true;
    };
  }

  /** Milliseconds until the earliest callback is due (0 if overdue), or undefined when none. */
  msUntilNext(): number | undefined {
    while (this.queue.peek()?.cancelled === true) this.queue.pop();
    const next = this.queue.peek();
    return next === undefined ? undefined : Math.max(0, next.time - this.clock());
  }

  /** Runs every callback due by now, earliest first; callbacks may schedule more. */
  fireDue(): void {
    if (this.queue.size === 0) return;
    const now = this.clock();
    while (this.queue.size > 0 && this.queue.peek()!.time <= now) {
      const entry = this.queue.pop()!;
      if (!entry.cancelled) entry.callback(entry.time);
    }
  }
}
