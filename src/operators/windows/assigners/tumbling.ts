// Tumbling windows (Flink's TumblingEventTimeWindows / TumblingProcessingTimeWindows): fixed-size,
// non-overlapping windows aligned at an offset, each element in exactly one.

import type { Trigger } from '../triggers/trigger.js';
import { fixedSizeWindowNamespaces, getWindowStartWithOffset, TimeWindow, type WindowNamespaces } from '../time-window.js';
import { requireOffset, requirePositiveMillis, type WindowAssigner, type WindowAssignerContext } from '../window-assigner.js';
import { assignmentTime, endOfWindowTrigger } from './time-domain.js';

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

  assignWindows(_element: unknown, timestamp: number, ctx: WindowAssignerContext): readonly TimeWindow[] {
    const start = getWindowStartWithOffset(assignmentTime(this.isEventTime, timestamp, ctx, this), this.offset, this.size);
    if (this.last[0]!.start !== start) this.last = [new TimeWindow(start, start + this.size)];
    return this.last;
  }

  defaultTrigger(): Trigger<unknown, TimeWindow> {
    return endOfWindowTrigger(this.isEventTime);
  }

  toString(): string {
    return `${this.constructor.name}(${this.size}${this.offset === 0 ? '' : `, ${this.offset}`})`;
  }
}

/** Checks `of(size, offset)` of the assigner named `name`. */
function tumblingArguments(name: string, size: number, offset: number): [size: number, offset: number] {
  const where = `${name}.of(size, offset)`;
  requirePositiveMillis(size, 'size', where);
  return [size, requireOffset(offset, size, 'size', where)];
}

/** Windows of `size` ms by event time: `[start, start + size)` with `start ≡ offset (mod size)`. */
export class TumblingEventTimeWindows extends TumblingWindows {
  readonly isEventTime = true;

  /** `size` ms windows, shifted by `offset` ms (`|offset| < size`; e.g. -8 h for days in UTC+8). */
  static of(size: number, offset = 0): TumblingEventTimeWindows {
    return new TumblingEventTimeWindows(...tumblingArguments('TumblingEventTimeWindows', size, offset));
  }
}

/** Windows of `size` ms by the operator's processing-time clock. */
export class TumblingProcessingTimeWindows extends TumblingWindows {
  readonly isEventTime = false;

  static of(size: number, offset = 0): TumblingProcessingTimeWindows {
    return new TumblingProcessingTimeWindows(...tumblingArguments('TumblingProcessingTimeWindows', size, offset));
  }
}
