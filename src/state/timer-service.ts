// Keyed timers of one operator subtask (Flink's InternalTimerServiceImpl): event-time and
// processing-time timers per (key, namespace, time), deduplicated, fired in time order with the
// timer's key made current. Each timer keeps its key group, so timers snapshot and restore per
// key group together with the keyed state (and so rescale with it).

import type { Key } from '../core/key-groups.js';
import type { ProcessingTimeService } from '../core/operator.js';
import type { InternalTimerService, TimerTarget } from '../core/timers.js';
import { MinHeap } from '../time/min-heap.js';
import type { HeapKeyedStateBackend } from './keyed-state-backend.js';
import { stateKeyOf, type StateKey } from './state-key.js';

/** The timers of one key at one time: the namespaces with a timer there. */
interface TimerEntry<N> {
  readonly key: Key;
  readonly keyGroup: number;
  readonly namespaces: Set<N>;
}

/** Which clock a timer follows, as stored in snapshots. */
export type TimeDomain = 'event-time' | 'processing-time';

/** The timers of one key group as plain data: `[domain, time, key, namespace]` each. */
export type TimersSnapshot = [TimeDomain, number, Key, string | number][];

/** The timers of one domain: per time, per key, the namespaces with a timer. */
class TimerQueue<N> {
  private readonly times = new MinHeap<number>((a, b) => a < b);
  private readonly byTime = new Map<number, Map<StateKey, TimerEntry<N>>>();
  private count = 0;

  /** Adds a timer (`stateKey` is the state key of `key`); false when it already existed. */
  add(time: number, key: Key, stateKey: StateKey, keyGroup: number, namespace: N): boolean {
    let keys = this.byTime.get(time);
    if (keys === undefined) {
      keys = new Map();
      this.byTime.set(time, keys);
      this.times.push(time);
    }
    let entry = keys.get(stateKey);
    if (entry === undefined) {
      entry = { key, keyGroup, namespaces: new Set() };
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
  take(time: number): Map<StateKey, TimerEntry<N>> | undefined {
    const keys = this.byTime.get(time);
    if (keys === undefined) return undefined;
    this.byTime.delete(time);
    this.times.pop();
    for (const entry of keys.values()) this.count -= entry.namespaces.size;
    return keys;
  }

  /** Calls `fn` for every timer, in order of registration of their times. */
  forEach(fn: (time: number, keyGroup: number, key: Key, namespace: N) => void): void {
    for (const [time, keys] of this.byTime) {
      for (const entry of keys.values()) {
        for (const namespace of entry.namespaces) fn(time, entry.keyGroup, entry.key, namespace);
      }
    }
  }
}

/**
 * The timer service of one keyed operator subtask, on the task actor's state backend: it makes
 * each fired timer's key current on that backend before calling the target.
 */
export class HeapTimerService<N extends string | number> implements InternalTimerService<N> {
  private readonly eventTimers = new TimerQueue<N>();
  private readonly processingTimers = new TimerQueue<N>();
  private watermark = Number.NEGATIVE_INFINITY;
  /** See InternalTimerService.restoredWatermark. */
  restoredWatermark = Number.NEGATIVE_INFINITY;

  constructor(
    private readonly backend: HeapKeyedStateBackend,
    private readonly processingTime: ProcessingTimeService,
    private readonly target: TimerTarget<N>,
  ) {}

  currentWatermark(): number {
    return this.watermark;
  }

  currentProcessingTime(): number {
    return this.processingTime.now();
  }

  registerEventTimeTimer(namespace: N, time: number): void {
    const backend = this.backend;
    this.eventTimers.add(time, backend.getCurrentKey(), backend.currentStateKey, backend.getCurrentKeyGroup(), namespace);
  }

  deleteEventTimeTimer(namespace: N, time: number): void {
    this.eventTimers.delete(time, this.backend.currentStateKey, namespace);
  }

  registerProcessingTimeTimer(namespace: N, time: number): void {
    const backend = this.backend;
    this.addProcessingTimer(time, backend.getCurrentKey(), backend.currentStateKey, backend.getCurrentKeyGroup(), namespace);
  }

  deleteProcessingTimeTimer(namespace: N, time: number): void {
    this.processingTimers.delete(time, this.backend.currentStateKey, namespace);
  }

  advanceWatermark(watermark: number): void {
    this.watermark = watermark;
    for (let time = this.eventTimers.nextTime(); time !== undefined && time <= watermark; time = this.eventTimers.nextTime()) {
      this.fire(this.eventTimers, time, (key, ns) => this.target.onEventTime(time, key, ns));
    }
  }

  /** Timers pending, both domains. */
  get size(): number {
    return this.eventTimers.size + this.processingTimers.size;
  }

  /** Every timer as plain data, by key group: one pass over the timers, whatever the number of key groups. */
  snapshotByKeyGroup(): Map<number, TimersSnapshot> {
    const groups = new Map<number, TimersSnapshot>();
    const add = (domain: TimersSnapshot[number][0]) => (time: number, keyGroup: number, key: Key, namespace: N) => {
      let timers = groups.get(keyGroup);
      if (timers === undefined) groups.set(keyGroup, (timers = []));
      timers.push([domain, time, key, namespace]);
    };
    this.eventTimers.forEach(add('event-time'));
    this.processingTimers.forEach(add('processing-time'));
    return groups;
  }

  /** Adds the timers of a key group's snapshot (from any subtask's `snapshotByKeyGroup`). */
  restoreKeyGroup(keyGroup: number, timers: TimersSnapshot): void {
    for (const [domain, time, key, namespace] of timers) {
      const stateKey = stateKeyOf(key);
      if (domain === 'event-time') this.eventTimers.add(time, key, stateKey, keyGroup, namespace as N);
      else this.addProcessingTimer(time, key, stateKey, keyGroup, namespace as N);
    }
  }

  private addProcessingTimer(time: number, key: Key, stateKey: StateKey, keyGroup: number, namespace: N): void {
    const isNewTime = !this.processingTimers.has(time);
    if (this.processingTimers.add(time, key, stateKey, keyGroup, namespace) && isNewTime) {
      this.processingTime.schedule(time, (t) => this.fireProcessingTime(t));
    }
  }

  private fireProcessingTime(time: number): void {
    this.fire(this.processingTimers, time, (key, ns) => this.target.onProcessingTime(time, key, ns));
  }

  private fire(queue: TimerQueue<N>, time: number, call: (key: Key, namespace: N) => void): void {
    const due = queue.take(time);
    if (due === undefined) return;
    const backend = this.backend;
    for (const entry of due.values()) {
      backend.setCurrentKey(entry.key, entry.keyGroup);
      for (const namespace of entry.namespaces) call(entry.key, namespace);
    }
  }
}
