// The WindowAssigner contract (Flink's WindowAssigner and MergingWindowAssigner): which windows an
// element belongs to, in which time domain, with which default trigger; plus session merging.

import { StreamError } from '../../core/errors.js';
import type { Trigger } from './triggers/trigger.js';
import type { TimeWindow, Window, WindowNamespaces } from './time-window.js';

/** What an assigner may ask the operator. */
export interface WindowAssignerContext {
  /** The operator's processing-time clock, ms since the epoch. */
  currentProcessingTime(): number;
}

/**
 * Assigns each element to zero or more windows. One assigner object serves every key and subtask
 * on a thread: it must not keep per-element state.
 */
export interface WindowAssigner<T, W extends Window> {
  /**
   * The windows of `element` (`timestamp` is its event time, NaN when it has none). The caller
   * reads the result before the next call and never modifies it, so an assigner may return the
   * same array again for the same windows.
   */
  assignWindows(element: T, timestamp: number, ctx: WindowAssignerContext): readonly W[];
  /** The trigger used unless `.trigger(...)` sets another. */
  defaultTrigger(): Trigger<T, W>;
  /** True when windows follow event time (watermarks), false for processing time or none. */
  readonly isEventTime: boolean;
  /** True for assigners whose windows merge (sessions): they implement {@link MergingWindowAssigner}. */
  readonly isMerging: boolean;
  /** How windows name their state and timers. */
  readonly namespaces: WindowNamespaces<W>;
  /** How the assigner appears in the operator's name, e.g. `TumblingEventTimeWindows(5000)`. */
  toString(): string;
}

/** An assigner whose windows merge when they overlap or touch (sessions). */
export interface MergingWindowAssigner<T> extends WindowAssigner<T, TimeWindow> {
  readonly isMerging: true;
  /**
   * Finds the windows among `windows` that merge, calling `merge(group, result)` for each group
   * of two or more distinct windows (`result` covers the group).
   */
  mergeWindows(windows: readonly TimeWindow[], merge: (group: TimeWindow[], result: TimeWindow) => void): void;
}

/**
 * Flink's `TimeWindow.mergeWindows`: sorts by start and sweeps, growing a cover while the next
 * window intersects it (touching windows merge); reports each group of two or more distinct windows.
 */
export function mergeTimeWindows(windows: readonly TimeWindow[], merge: (group: TimeWindow[], result: TimeWindow) => void): void {
  const sorted = [...windows].sort((a, b) => a.start - b.start);
  let cover: TimeWindow | undefined;
  let group: TimeWindow[] = [];
  for (const candidate of sorted) {
    if (cover !== undefined && cover.intersects(candidate)) {
      cover = cover.cover(candidate);
      if (!group.some((w) => w.equals(candidate))) group.push(candidate);
      continue;
    }
    if (cover !== undefined && group.length > 1) merge(group, cover);
    cover = candidate;
    group = [candidate];
  }
  if (cover !== undefined && group.length > 1) merge(group, cover);
}

/** Throws unless `value` is a whole number of milliseconds greater than 0. */
export function requirePositiveMillis(value: number, what: string, where: string): number {
  if (!Number.isSafeInteger(value) || value <= 0) {
    throw new RangeError(`${where}: ${what} must be a whole number of milliseconds greater than 0, got ${String(value)}.`);
  }
  return value;
}

/** Throws unless `offset` is a whole number of milliseconds with `|offset| < bound`. */
export function requireOffset(offset: number, bound: number, boundName: string, where: string): number {
  if (!Number.isSafeInteger(offset) || Math.abs(offset) >= bound) {
    throw new RangeError(
      `${where}: the offset must be a whole number of milliseconds with |offset| < ${boundName} (${bound}), got ${String(offset)}.`,
    );
  }
  return offset;
}

/** Throws the error Flink gives for an element without a timestamp in an event-time window. */
export function requireTimestamp(timestamp: number, assigner: string): void {
  if (!Number.isFinite(timestamp)) {
    throw new StreamError(
      'INVALID_ARGUMENT',
      `${assigner} got a record without a timestamp (${String(timestamp)}). Event-time windows need timestamps: ` +
        'call assignTimestampsAndWatermarks(...) on the stream, or read it with env.fromSource(source, watermarkStrategy, name).',
    );
  }
}
