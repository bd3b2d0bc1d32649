// CountTrigger: fires a window every `n` elements (Flink's), keeping the count in the trigger's
// per-window state so that it survives checkpoints and merges with session windows.

import { ReducingStateDescriptor } from '../../../core/state-descriptors.js';
import type { Window } from '../time-window.js';
import type { OnMergeContext, Trigger, TriggerContext, TriggerResult } from './trigger.js';

const add = (a: number, b: number): number => a + b;

/** Fires when a window has received `n` elements since it last fired; never purges by itself. */
export class CountTrigger implements Trigger<unknown, Window> {
  private readonly count = new ReducingStateDescriptor<number>('count-trigger', add);

  private constructor(readonly maxCount: number) {}

  /** Fires every `n` elements (a positive integer). */
  static of(n: number): CountTrigger {
    if (!Number.isInteger(n) || n < 1) {
      throw new RangeError(`CountTrigger.of(${String(n)}): the count must be a whole number of at least 1.`);
    }
    return new CountTrigger(n);
  }

  onElement(_element: unknown, _timestamp: number, _window: Window, ctx: TriggerContext): TriggerResult {
    const count = ctx.getPartitionedState(this.count);
    count.add(1);
    if (count.get()! < this.maxCount) return 'continue';
    count.clear();
    return 'fire';
  }

  onEventTime(): TriggerResult {
    return 'continue';
  }

  onProcessingTime(): TriggerResult {
    return 'continue';
  }

  onMerge(_window: Window, ctx: OnMergeContext): void {
    ctx.mergePartitionedState(this.count);
  }

  clear(_window: Window, ctx: TriggerContext): void {
    ctx.getPartitionedState(this.count).clear();
  }

  toString(): string {
    return `CountTrigger(${this.maxCount})`;
  }
}
