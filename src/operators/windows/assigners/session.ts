// Session windows (Flink's EventTimeSessionWindows / ProcessingTimeSessionWindows and their
// dynamic-gap forms): each element opens [t, t + gap); windows that overlap or touch merge.

import type { Trigger } from '../triggers/trigger.js';
import { TimeWindow, timeWindowNamespaces, type WindowNamespaces } from '../time-window.js';
import { mergeTimeWindows, requirePositiveMillis, type MergingWindowAssigner, type WindowAssignerContext } from '../window-assigner.js';
import { assignmentTime, endOfWindowTrigger } from './time-domain.js';

/** The gap of an element's session, in ms (Flink's `SessionWindowTimeGapExtractor`). */
export type SessionGapExtractor<T> = (element: T) => number;

/** What both session assigners share: a fixed or per-element gap, and merging. */
abstract class SessionWindows<T> implements MergingWindowAssigner<T> {
  abstract readonly isEventTime: boolean;
  readonly isMerging = true;
  readonly namespaces: WindowNamespaces<TimeWindow> = timeWindowNamespaces;

  protected constructor(
    /** The fixed gap in ms, or the function that gives each element's. */
    readonly gap: number | SessionGapExtractor<T>,
  ) {}

  assignWindows(element: T, timestamp: number, ctx: WindowAssignerContext): readonly TimeWindow[] {
    const time = assignmentTime(this.isEventTime, timestamp, ctx, this);
    const gap = this.gap;
    if (typeof gap === 'number') return [new TimeWindow(time, time + gap)];
    const dynamic = gap(element);
    if (!(typeof dynamic === 'number' && dynamic > 0 && Number.isFinite(dynamic))) {
      throw new RangeError(`${String(this)}: the session gap function must return a number of milliseconds greater than 0, got ${String(dynamic)}.`);
    }
    return [new TimeWindow(time, time + dynamic)];
  }

  defaultTrigger(): Trigger<T, TimeWindow> {
    return endOfWindowTrigger(this.isEventTime);
  }

  mergeWindows(windows: readonly TimeWindow[], merge: (group: TimeWindow[], result: TimeWindow) => void): void {
    mergeTimeWindows(windows, merge);
  }

  toString(): string {
    return `${this.constructor.name}(${typeof this.gap === 'number' ? this.gap : 'dynamic gap'})`;
  }
}

/**
 * True when `assigner` merges as the built-in session assigners do (Flink's TimeWindow.mergeWindows:
 * windows that overlap or touch merge into their cover), which lets the merging window set take
 * its fast path for keys with at most one session in flight.
 */
export function mergesLikeSessions(assigner: MergingWindowAssigner<unknown>): boolean {
  return assigner.mergeWindows === SessionWindows.prototype.mergeWindows;
}

function requireGapFunction<T>(fn: SessionGapExtractor<T>, where: string): SessionGapExtractor<T> {
  if (typeof fn !== 'function') throw new TypeError(`${where} expects a function (element) => gap in ms.`);
  return fn;
}

/** Event-time sessions: a session ends after `gap` ms without elements. */
export class EventTimeSessionWindows<T = unknown> extends SessionWindows<T> {
  readonly isEventTime = true;

  static withGap(gap: number): EventTimeSessionWindows {
    return new EventTimeSessionWindows(requirePositiveMillis(gap, 'the gap', 'EventTimeSessionWindows.withGap(gap)'));
  }

  /** Sessions whose gap each element decides (`(element) => ms`, greater than 0). */
  static withDynamicGap<T>(gap: SessionGapExtractor<T>): EventTimeSessionWindows<T> {
    return new EventTimeSessionWindows(requireGapFunction(gap, 'EventTimeSessionWindows.withDynamicGap'));
  }
}

/** Processing-time sessions: a session ends after `gap` ms (by the operator's clock) without elements. */
export class ProcessingTimeSessionWindows<T = unknown> extends SessionWindows<T> {
  readonly isEventTime = false;

  static withGap(gap: number): ProcessingTimeSessionWindows {
    return new ProcessingTimeSessionWindows(requirePositiveMillis(gap, 'the gap', 'ProcessingTimeSessionWindows.withGap(gap)'));
  }

  static withDynamicGap<T>(gap: SessionGapExtractor<T>): ProcessingTimeSessionWindows<T> {
    return new ProcessingTimeSessionWindows(requireGapFunction(gap, 'ProcessingTimeSessionWindows.withDynamicGap'));
  }
}
