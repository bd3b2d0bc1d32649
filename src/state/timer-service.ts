// Keyed timers of one operator subtask (Flink's InternalTimerService): event-time and
// processing-time timers per (key, namespace, time), deduplicated, fired in time order with the
// timer's key made current. Event-time timers fire as the watermark passes them; processing-time
// timers through the actor's processing-time service.

import type { Key, StateKey } from '../graph/key-groups.js';
import type { ProcessingTimeService } from '../operators/operator.js';
import { MinHeap } from '../util/min-heap.js';

/** Where fired timers go: the operator that registered them. */
export interface TimerTarget<N> {
  onEventTime(time: number, key: Key, namespace: N): void;
  onProcessingTime(time: number, key: Key, namespace: N): void;
}

/** The operator's current key, which timers are registered for and which firing makes current. */
export interface TimerKeyContext {
  currentKey(): Key;
  /** `stateKeyOf(currentKey())`, already computed when the key was set. */
  currentStateKey(): StateKey;
  setCurrentKey(key: Key): void;
}

/** The timers of one domain: per time, per key, the namespaces with a timer. */
class TimerQueue<N> {
  private readonly times = new MinHeap<number>((a, b) => a < b);
  private readonly byTime = new Map<number, Map<StateKey, { key: Key; namespaces: Set<N> }>>();
  private count = 0;

  /** Adds a timer (`stateKey` is `stateKeyOf(key)`); false when it already existed. */
  add(time: number, key: Key, stateKey: StateKey, namespace: N): boolean {
    let keys = this.byTime.get(time);
    if (keys === undefined) {
      keys = new Map();
      this.byTime.set(time, keys);
      this.times.push(time);
    }
    let entry = keys.get(stateKey);
    if (entry === undefined) {
      entry = { key, namespaces: new Set() };
      keys.set(stateKey, entry);
    }
    if (entry.namespaces.has(namespace)) return false;
    entry.namespaces.add(namespace);
    this.count++;
    return true;
  }

  delete(time: number, stateKey: StateKey, namespace: N): void {
    const keys = this.byTime.get(time);
    const entry = keys?.get(stateKey);
    if (entry === undefined || !entry.namespaces.delete(namespace)) return;
    this.count--;
    if (entry.namespaces.size === 0) keys!.delete(stateKey);
    if (keys!.size === 0) this.byTime.delete(time);
  }

  get size(): number {
    return this.count;
  }

  /** Whether some timer is set for `time`. */
  has(time: number): boolean {
    return this.byTime.has(time);
  }

  /** The earliest time with a timer, or undefined. */
  nextTime(): number | undefined {
    let time = this.times.peek();
    while (time !== undefined && !this.byTime.has(time)) {
      this.times.pop();
      time = this.times.peek();
    }
    return time;
  }

  /** Removes and returns the timers at `time`. */
  take(time: number): Map<StateKey, { key: Key; namespaces: Set<N> }> | undefined {
    const keys = this.byTime.get(time);
    if (keys === undefined) return undefined;
    this.byTime.delete(time);
    this.times.pop();
    for (const entry of keys.values()) this.count -= entry.namespaces.size;
    return keys;
  }
}

export class InternalTimerService<N extends string | number> {
  private readonly eventTimers = new TimerQueue<N>();
  private readonly processingTimers = new TimerQueue<N>();
  private watermark = Number.NEGATIVE_INFINITY;

  constructor(
    private readonly keys: TimerKeyContext,
    private readonly processingTime: ProcessingTimeService,
    private readonly target: TimerTarget<N>,
  ) {}

  currentWatermark(): number {
    return this.watermark;
  }

  currentProcessingTime(): number {
    return this.processingTime.now();
  }

  /** A timer for the current key that fires when the watermark reaches `time`. */
  registerEventTimeTimer(namespace: N, time: number): void {
    this.eventTimers.add(time, this.keys.currentKey(), this.keys.currentStateKey(), namespace);
  }

  deleteEventTimeTimer(namespace: N, time: number): void {
    this.eventTimers.delete(time, this.keys.currentStateKey(), namespace);
  }

  /** A timer for the current key that fires when processing time reaches `time`. */
  registerProcessingTimeTimer(namespace: N, time: number): void {
    const isNewTime = !this.processingTimers.has(time);
    if (this.processingTimers.add(time, this.keys.currentKey(), this.keys.currentStateKey(), namespace) && isNewTime) {
      this.processingTime.schedule(time, (t) => this.fireProcessingTime(t));
    }
  }

  deleteProcessingTimeTimer(namespace: N, time: number): void {
    this.processingTimers.delete(time, this.keys.currentStateKey(), namespace);
  }


  /** Moves event time to `watermark`, firing every timer at or before it, earliest first. */
  advanceWatermark(watermark: number): void {
    this.watermark = watermark;
    for (let time = this.eventTimers.nextTime(); time !== undefined && time <= watermark; time = this.eventTimers.nextTime()) {
      this.fire(this.eventTimers, time, (key, ns) => this.target.onEventTime(time, key, ns));
    }
  }

  private fireProcessingTime(time: number): void {
    this.fire(this.processingTimers, time, (key, ns) => this.target.onProcessingTime(time, key, ns));
  }

  private fire(queue: TimerQueue<N>, time: number, call: (key: Key, namespace: N) => void): void {
    const due = queue.take(time);
    if (due === undefined) return;
    for (const { key, namespaces } of due.values()) {
      this.keys.setCurrentKey(key);
      for (const namespace of namespaces) call(key, namespace);
    }
  }
}
