// Tumbling windows (Flink's TumblingEventTimeWindows / TumblingProcessingTimeWindows): fixed-size,
// non-overlapping windows aligned at an offset, each element in exactly one.

import { EventTimeTrigger } from '../triggers/event-time-trigger.js';
import { ProcessingTimeTrigger } from '../triggers/processing-time-trigger.js';
import type { Trigger } from '../triggers/trigger.js';
import { fixedSizeWindowNamespaces, getWindowStartWithOffset, TimeWindow, type WindowNamespaces } from '../time-window.js';
import {
  requireOffset,
  requirePositiveMillis,
  requireTimestamp,
  type WindowAssigner,
  type WindowAssignerContext,
} from '../window-assigner.js';

/** What both tumbling assigners share: the window of a time, remembered for the next element. */
abstract class TumblingWindows implements WindowAssigner<unknown, TimeWindow> {
  abstract readonly isEventTime: boolean;
  readonly isMerging = false;
  readonly namespaces: WindowNamespaces<TimeWindow>;
  /** The last answer: consecutive elements mostly fall into the same window. */
  private last: readonly TimeWindow[] = [new TimeWindow(Number.NaN, Number.NaN)];

  protected constructor(
    readonly size: number,
    readonly offset: number,
  ) {
    this.namespaces = fixedSizeWindowNamespaces(size);
  }

  abstract assignWindows(element: unknown, timestamp: number, ctx: WindowAssignerContext): readonly TimeWindow[];
  abstract defaultTrigger(): Trigger<unknown, TimeWindow>;

  protected windowOf(time: number): readonly TimeWindow[] {
    const start = getWindowStartWithOffset(time, this.offset, this.size);
    if (this.last[0]!.start !== start) this.last = [new TimeWindow(start, start + this.size)];
    return this.last;
  }

  toString(): string {
    return `${this.constructor.name}(${this.size}${this.offset === 0 ? '' : `, ${this.offset}`})`;
  }
}

/** Windows of `size` ms by event time: `[start, start + size)` with `start ≡ offset (mod size)`. */
export class TumblingEventTimeWindows extends TumblingWindows {
  readonly isEventTime = true;

  /** `size` ms windows, shifted by `offset` ms (`|offset| < size`; e.g. -8 h for days in UTC+8). */
  static of(size: number, offset = 0): TumblingEventTimeWindows {
    const where = 'TumblingEventTimeWindows.of(size, offset)';
    requirePositiveMillis(size, 'size', where);
    return new TumblingEventTimeWindows(size, requireOffset(offset, size, 'size', where));
  }

  assignWindows(_element: unknown, timestamp: number): readonly TimeWindow[] {
    requireTimestamp(timestamp, 'TumblingEventTimeWindows');
    return this.windowOf(timestamp);
  }

  defaultTrigger(): Trigger<unknown, TimeWindow> {
    return EventTimeTrigger.create();
  }
}

/** Windows of `size` ms by the operator's processing-time clock. */
export class TumblingProcessingTimeWindows extends TumblingWindows {
  readonly isEventTime = false;

  static of(size: number, offset = 0): TumblingProcessingTimeWindows {
    const where = 'TumblingProcessingTimeWindows.of(size, offset)';
    requirePositiveMillis(size, 'size', where);
    return new TumblingProcessingTimeWindows(size, requireOffset(offset, size, 'size', where));
  }

  assignWindows(_element: unknown, _timestamp: number, ctx: WindowAssignerContext): readonly TimeWindow[] {
    return this.windowOf(ctx.currentProcessingTime());
  }

  defaultTrigger(): Trigger<unknown, TimeWindow> {
    return ProcessingTimeTrigger.create();
  }
}
