// Sliding windows (Flink's SlidingEventTimeWindows / SlidingProcessingTimeWindows): windows of
// `size` ms starting every `slide` ms, so each element is in about size/slide of them.

import type { Trigger } from '../triggers/trigger.js';
import { fixedSizeWindowNamespaces, getWindowStartWithOffset, TimeWindow, type WindowNamespaces } from '../time-window.js';
import { requireOffset, requirePositiveMillis, type WindowAssigner, type WindowAssignerContext } from '../window-assigner.js';
import { assignmentTime, endOfWindowTrigger } from './time-domain.js';

/** An element between windows (when slide > size) belongs to none. */
const NO_WINDOWS: readonly TimeWindow[] = Object.freeze([]);

/** What both sliding assigners share (the window operator shares panes between their windows). */
export abstract class SlidingWindows implements WindowAssigner<unknown, TimeWindow> {
  abstract readonly isEventTime: boolean;
  readonly isMerging = false;
  readonly namespaces: WindowNamespaces<TimeWindow>;
  /** The last answer, newest window first, reused while elements fall into the same windows. */
  private last: readonly TimeWindow[] = [];

  protected constructor(
    readonly size: number,
    readonly slide: number,
    readonly offset: number,
  ) {
    this.namespaces = fixedSizeWindowNamespaces(size);
  }

  /**
   * Flink's order: from the newest window containing the element's time (`start(time, offset,
   * slide)`) back while `start > time - size`.
   */
  assignWindows(_element: unknown, timestamp: number, ctx: WindowAssignerContext): readonly TimeWindow[] {
    const time = assignmentTime(this.isEventTime, timestamp, ctx, this);
    const { size, slide } = this;
    const lastStart = getWindowStartWithOffset(time, this.offset, slide);
    const count = Math.ceil((lastStart - time + size) / slide);
    if (count <= 0) return NO_WINDOWS;
    const last = this.last;
    if (last.length === count && last[0]!.start === lastStart) return last;
    const windows: TimeWindow[] = [];
    for (let start = lastStart; start > time - size; start -= slide) windows.push(new TimeWindow(start, start + size));
    this.last = windows;
    return windows;
  }

  defaultTrigger(): Trigger<unknown, TimeWindow> {
    return endOfWindowTrigger(this.isEventTime);
  }

  toString(): string {
    return `${this.constructor.name}(${this.size}, ${this.slide}${this.offset === 0 ? '' : `, ${this.offset}`})`;
  }
}

/** Checks `of(size, slide, offset)` of the assigner named `name`. */
function slidingArguments(name: string, size: number, slide: number, offset: number): [size: number, slide: number, offset: number] {
  const where = `${name}.of(size, slide, offset)`;
  requirePositiveMillis(size, 'size', where);
  requirePositiveMillis(slide, 'slide', where);
  return [size, slide, requireOffset(offset, slide, 'slide', where)];
}

/** Event-time windows of `size` ms every `slide` ms, aligned at `offset` (`|offset| < slide`). */
export class SlidingEventTimeWindows extends SlidingWindows {
  readonly isEventTime = true;

  static of(size: number, slide: number, offset = 0): SlidingEventTimeWindows {
    return new SlidingEventTimeWindows(...slidingArguments('SlidingEventTimeWindows', size, slide, offset));
  }
}

/** Processing-time windows of `size` ms every `slide` ms, aligned at `offset` (`|offset| < slide`). */
export class SlidingProcessingTimeWindows extends SlidingWindows {
  readonly isEventTime = false;

  static of(size: number, slide: number, offset = 0): SlidingProcessingTimeWindows {
    return new SlidingProcessingTimeWindows(...slidingArguments('SlidingProcessingTimeWindows', size, slide, offset));
  }
}
