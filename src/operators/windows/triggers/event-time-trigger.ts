// EventTimeTrigger: fires a time window once when the watermark passes its end (Flink's), and at
// once for an element that arrives when the watermark has already passed (late but allowed).

import type { Window } from '../time-window.js';
import type { OnMergeContext, Trigger, TriggerContext, TriggerResult } from './trigger.js';

/** The default trigger of event-time window assigners: fires at `window.maxTimestamp()`. */
export class EventTimeTrigger implements Trigger<unknown, Window> {
  static create(): EventTimeTrigger {
    return new EventTimeTrigger();
  }

  onElement(_element: unknown, _timestamp: number, window: Window, ctx: TriggerContext): TriggerResult {
    const end = window.maxTimestamp();
    if (end <= ctx.currentWatermark()) return 'fire';
    ctx.registerEventTimeTimer(end);
    return 'continue';
  }

  onEventTime(time: number, window: Window): TriggerResult {
    return time === window.maxTimestamp() ? 'fire' : 'continue';
  }

  onProcessingTime(): TriggerResult {
    return 'continue';
  }

  /** Registers the merged window's timer unless the watermark passed it (onElement then fires). */
  onMerge(window: Window, ctx: OnMergeContext): void {
    const end = window.maxTimestamp();
    if (end > ctx.currentWatermark()) ctx.registerEventTimeTimer(end);
  }

  clear(window: Window, ctx: TriggerContext): void {
    ctx.deleteEventTimeTimer(window.maxTimestamp());
  }

  toString(): string {
    return 'EventTimeTrigger()';
  }
}
