// The keyed timer contract (Flink's InternalTimerService and Triggerable): timers per (key,
// namespace, time), deduplicated, fired in time order with their key current. The task actor
// owns the implementation, so timers snapshot and restore with the keyed state.

import type { Key } from './key-groups.js';

/** Where fired timers go: the operator that registered them. */
export interface TimerTarget<N> {
  onEventTime(time: number, key: Key, namespace: N): void;
  onProcessingTime(time: number, key: Key, namespace: N): void;
}

/**
 * The timers of one keyed operator subtask. Registration acts for the state backend's current
 * key; event-time timers fire as `advanceWatermark` passes them, processing-time timers when the
 * actor's clock reaches them; each fires with its key made current.
 */
export interface InternalTimerService<N> {
  currentWatermark(): number;
  currentProcessingTime(): number;
  /** A timer for the current key that fires when the watermark reaches `time`. */
  registerEventTimeTimer(namespace: N, time: number): void;
  deleteEventTimeTimer(namespace: N, time: number): void;
  /** A timer for the current key that fires when processing time reaches `time`. */
  registerProcessingTimeTimer(namespace: N, time: number): void;
  deleteProcessingTimeTimer(namespace: N, time: number): void;
  /** Moves event time to `watermark`, firing every timer at or before it, earliest first. */
  advanceWatermark(watermark: number): void;
  /**
   * The highest watermark the subtasks whose state this one restored had reached (-Infinity
   * without a restore): their timers up to it fired before the checkpoint, while this subtask's
   * own watermark starts over. An operator that infers from the watermark which timers are still
   * pending must not go below it.
   */
  readonly restoredWatermark: number;
}
