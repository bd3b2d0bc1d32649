// ProcessingTimeTrigger: fires a time window once when the processing-time clock passes its end
// (Flink's).

import type { Window } from '../time-window.js';
import type { OnMergeContext, Trigger, TriggerContext, TriggerResult } from './trigger.js';

/** The default trigger of processing-time window assigners: fires at `window.maxTimestamp()`. */
export class ProcessingTimeTrigger implements Trigger<unknown, Window> {
  static create(): ProcessingTimeTrigger {
    return new ProcessingTimeTrigger();
  }

  onElement(_element: unknown, _timestamp: number, window: Window, ctx: TriggerContext): TriggerResult {
    ctx.registerProcessingTimeTimer(window.maxTimestamp());
    return 'continue';
  }

  onEventTime(): TriggerResult {
    return 'continue';
  }

  onProcessingTime(): TriggerResult {
    return 'fire';
  }

  onMerge(window: Window, ctx: OnMergeContext): void {
    const end = window.maxTimestamp();
    if (end > ctx.currentProcessingTime()) ctx.registerProcessingTimeTimer(end);
  }

  clear(window: Window, ctx: TriggerContext): void {
    ctx.deleteProcessingTimeTimer(window.maxTimestamp());
  }

  toString(): string {
    return 'ProcessingTimeTrigger()';
  }
}
