// The Trigger contract (Flink's Trigger): decides when a window emits its contents and when it
// forgets them. Built-in triggers and users' own triggers implement it the same way.

import type { AggregatingState, ListState, MapState, ReducingState, ValueState } from '../../../core/state.js';
import type { AggregatingStateDescriptor, ListStateDescriptor, MapStateDescriptor, ReducingStateDescriptor, ValueStateDescriptor } from '../../../core/state-descriptors.js';
import type { Window } from '../time-window.js';

/**
 * What a trigger tells the window operator: do nothing, emit the window's contents (and keep
 * them), drop the contents, or both.
 */
export type TriggerResult = 'continue' | 'fire' | 'purge' | 'fire-and-purge';

/** Whether the result emits the window. */
export function isFire(result: TriggerResult): boolean {
  return result === 'fire' || result === 'fire-and-purge';
}

/** Whether the result drops the window's contents. */
export function isPurge(result: TriggerResult): boolean {
  return result === 'purge' || result === 'fire-and-purge';
}

/**
 * What a trigger may do while it handles one window of one key: read the clocks, set and delete
 * timers for this (key, window), and keep its own state per (key, window).
 */
export interface TriggerContext {
  /** The operator's event time (the last watermark), -Infinity before the first. */
  currentWatermark(): number;
  currentProcessingTime(): number;
  /** A timer for this key and window; `onEventTime` runs when the watermark reaches `time`. */
  registerEventTimeTimer(time: number): void;
  deleteEventTimeTimer(time: number): void;
  /** A timer for this key and window; `onProcessingTime` runs when the clock reaches `time`. */
  registerProcessingTimeTimer(time: number): void;
  deleteProcessingTimeTimer(time: number): void;
  /**
   * The trigger's state for this key and window (a fresh object per call is not promised: use it
   * before the trigger method returns). Clear it in `clear`, or it outlives the window.
   */
  getPartitionedState<T>(descriptor: ValueStateDescriptor<T>): ValueState<T>;
  getPartitionedState<T>(descriptor: ListStateDescriptor<T>): ListState<T>;
  getPartitionedState<T>(descriptor: ReducingStateDescriptor<T>): ReducingState<T>;
  getPartitionedState<IN, ACC, OUT>(descriptor: AggregatingStateDescriptor<IN, ACC, OUT>): AggregatingState<IN, OUT>;
  getPartitionedState<UK, UV>(descriptor: MapStateDescriptor<UK, UV>): MapState<UK, UV>;
}

/** The context of `onMerge`: also folds the merged windows' trigger state into the new window's. */
export interface OnMergeContext extends TriggerContext {
  /** Merges the state of `descriptor` of every merged window into the merged window's, and clears theirs. */
  mergePartitionedState<T>(descriptor: ReducingStateDescriptor<T> | ListStateDescriptor<T>): void;
}

/**
 * Decides when a window fires. One trigger object serves every key and window of an operator
 * subtask, so it keeps its state in `ctx.getPartitionedState`, never in its own fields. Methods are
 * called in arrival order, never concurrently, with the key of the element or timer current.
 *
 * - `onElement`: an element was added to `window`.
 * - `onEventTime` / `onProcessingTime`: a timer this trigger registered for `window` fired (the
 *   operator's own cleanup timer at the window's cleanup time also lands here).
 * - `onMerge`: present when the trigger works with merging windows (sessions); `window` is the
 *   merged window; re-register timers for it and merge state with `ctx.mergePartitionedState`.
 * - `clear`: the window is gone; delete the timers and state this trigger holds for it.
 */
export interface Trigger<T = unknown, W extends Window = Window> {
  onElement(element: T, timestamp: number, window: W, ctx: TriggerContext): TriggerResult;
  onEventTime(time: number, window: W, ctx: TriggerContext): TriggerResult;
  onProcessingTime(time: number, window: W, ctx: TriggerContext): TriggerResult;
  onMerge?(window: W, ctx: OnMergeContext): void;
  clear(window: W, ctx: TriggerContext): void;
  /** How the trigger appears in the operator's name and in errors. */
  toString(): string;
}

/** Throws unless `trigger` has the methods of the {@link Trigger} contract. */
export function checkTrigger(trigger: unknown, where: string): void {
  const t = trigger as Partial<Trigger> | null;
  for (const method of ['onElement', 'onEventTime', 'onProcessingTime', 'clear'] as const) {
    if (typeof t?.[method] !== 'function') {
      throw new TypeError(
        `${where} expects a Trigger: an object with onElement, onEventTime, onProcessingTime and clear methods ` +
          `(and onMerge for session windows); ${method} is missing.`,
      );
    }
  }
}
