// PurgingTrigger: wraps another trigger and turns each of its firings into fire-and-purge
// (Flink's), so a window starts empty after every firing, as countWindow(n) needs.

import type { Window } from '../time-window.js';
import { checkTrigger, type OnMergeContext, type Trigger, type TriggerContext, type TriggerResult } from './trigger.js';

function purging(result: TriggerResult): TriggerResult {
  return result === 'fire' ? 'fire-and-purge' : result;
}

/** `nested`, except that every `'fire'` becomes `'fire-and-purge'`. */
export class PurgingTrigger<T, W extends Window> implements Trigger<T, W> {
  readonly onMerge: ((window: W, ctx: OnMergeContext) => void) | undefined;

  private constructor(readonly nested: Trigger<T, W>) {
    const nestedMerge = nested.onMerge;
    this.onMerge = nestedMerge === undefined ? undefined : (window, ctx) => nestedMerge.call(nested, window, ctx);
  }

  static of<T, W extends Window>(nested: Trigger<T, W>): PurgingTrigger<T, W> {
    checkTrigger(nested, 'PurgingTrigger.of');
    return new PurgingTrigger(nested);
  }

  onElement(element: T, timestamp: number, window: W, ctx: TriggerContext): TriggerResult {
    return purging(this.nested.onElement(element, timestamp, window, ctx));
  }

  onEventTime(time: number, window: W, ctx: TriggerContext): TriggerResult {
    return purging(this.nested.onEventTime(time, window, ctx));
  }

  onProcessingTime(time: number, window: W, ctx: TriggerContext): TriggerResult {
    return purging(this.nested.onProcessingTime(time, window, ctx));
  }

  clear(window: W, ctx: TriggerContext): void {
    this.nested.clear(window, ctx);
  }

  toString(): string {
    return `PurgingTrigger(${String(this.nested)})`;
  }
}
