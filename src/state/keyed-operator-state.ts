// The keyed state and timers of one keyed operator subtask, as the task actor owns them (Flink's
// StreamOperatorStateHandler): created before the operator opens, handed in through its context,
// and snapshotted or restored per key group, so a job can be restored at another parallelism.

import { decodeSnapshot, encodeSnapshot } from '../checkpoint/snapshot-codec.js';
import { StreamError } from '../core/errors.js';
import type { ProcessingTimeService } from '../core/operator.js';
import type { InternalTimerService, TimerTarget } from '../core/timers.js';
import { HeapKeyedStateBackend } from './keyed-state-backend.js';
import { KeyedSnapshotTask } from './keyed-snapshot-task.js';
import type { StateGroupSnapshot } from './state-table.js';
import { HeapTimerService, type TimersSnapshot } from './timer-service.js';

/** One key group's keyed state and timers as plain data (msgpack-encodable). */
export interface KeyGroupStateSnapshot {
  readonly keyGroup: number;
  readonly states: StateGroupSnapshot[];
  readonly timers: TimersSnapshot;
  /** The watermark the subtask holding the group had reached: its event-time timers up to it fired. */
  readonly watermark: number;
}

/** A key group's snapshot from the bytes `beginSnapshot`'s task encoded it into. */
export function decodeKeyGroup(bytes: Uint8Array): KeyGroupStateSnapshot {
  return decodeSnapshot(bytes) as KeyGroupStateSnapshot;
}

export interface KeyedOperatorStateOptions {
  /** The operator's name, for errors. */
  readonly operatorName: string;
  readonly maxParallelism: number;
  /** The key groups the subtask owns, `end` inclusive. */
  readonly keyGroupRange: { readonly start: number; readonly end: number };
  /** The actor's processing time: the TTL clock and processing-time timers. */
  readonly processingTime: ProcessingTimeService;
}

export class KeyedOperatorState {
  readonly backend: HeapKeyedStateBackend;
  private timers: HeapTimerService<string | number> | undefined;
  /** Timers restored before the operator asked for its timer service (it does so in `open`). */
  private restoredTimers: [keyGroup: number, timers: TimersSnapshot][] = [];
  /** The highest watermark of the key groups restored here. */
  private restoredWatermark = Number.NEGATIVE_INFINITY;

  constructor(private readonly options: KeyedOperatorStateOptions) {
    this.backend = new HeapKeyedStateBackend({
      maxParallelism: options.maxParallelism,
      keyGroupRange: options.keyGroupRange,
      clock: () => options.processingTime.now(),
    });
  }

  /** The operator's one timer service, firing into `target`. */
  timerService<N extends string | number>(target: TimerTarget<N>): InternalTimerService<N> {
    if (this.timers !== undefined) {
      throw new StreamError('INTERNAL', `"${this.options.operatorName}" asked for a second timer service; an operator has one.`, { domain: 'internal' });
    }
    const timers = new HeapTimerService<N>(this.backend, this.options.processingTime, target);
    for (const [keyGroup, data] of this.restoredTimers) timers.restoreKeyGroup(keyGroup, data);
    this.restoredTimers = [];
    timers.restoredWatermark = this.restoredWatermark;
    this.timers = timers as unknown as HeapTimerService<string | number>;
    return timers;
  }

  /** Timers pending now. */
  get timersPending(): number {
    return this.timers?.size ?? 0;
  }

  /**
   * Starts a snapshot of the keyed state and timers of every owned key group, each group encoded
   * (a `KeyGroupStateSnapshot` in bytes of its own) as the actor steps the task, each key the
   * operator touches before its group was encoded preserved first. Timers are copied now, in one
   * pass. A snapshot still in progress is finished first (by the backend's guard).
   */
  beginSnapshot(): KeyedSnapshotTask {
    const { start, end } = this.backend.keyGroupRange;
    const watermark = Math.max(this.timers?.currentWatermark() ?? Number.NEGATIVE_INFINITY, this.restoredWatermark);
    const timersByGroup = this.timers?.snapshotByKeyGroup();
    const task: KeyedSnapshotTask = new KeyedSnapshotTask(
      end - start + 1,
      (index, preserved) => {
        const keyGroup = start + index;
        const { states } = this.backend.snapshotKeyGroup(keyGroup, preserved);
        const timers = timersByGroup === undefined ? this.restoredTimersOf(keyGroup) : (timersByGroup.get(keyGroup) ?? []);
        if (states.length === 0 && timers.length === 0) return null;
        const part: KeyGroupStateSnapshot = { keyGroup, states, timers, watermark };
        return encodeSnapshot(part);
      },
      () => this.backend.preserveCurrentKey(),
      () => this.backend.endSnapshotGuard(task),
    );
    this.backend.guardSnapshot(task);
    return task;
  }

  /** Restores the parts (of snapshots of any subtasks) whose key group this subtask owns; skips the rest. */
  restore(parts: Iterable<KeyGroupStateSnapshot>): void {
    const { start, end } = this.backend.keyGroupRange;
    for (const { keyGroup, states, timers, watermark } of parts) {
      if (keyGroup < start || keyGroup > end) continue;
      if (watermark > this.restoredWatermark) this.restoredWatermark = watermark;
      if (this.timers !== undefined) this.timers.restoredWatermark = this.restoredWatermark;
      this.backend.restoreKeyGroup(keyGroup, { states });
      if (timers.length === 0) continue;
      if (this.timers === undefined) this.restoredTimers.push([keyGroup, timers]);
      else this.timers.restoreKeyGroup(keyGroup, timers);
    }
  }

  private restoredTimersOf(keyGroup: number): TimersSnapshot {
    return this.restoredTimers.flatMap(([group, timers]) => (group === keyGroup ? timers : []));
  }
}
