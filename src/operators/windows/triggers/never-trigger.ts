// NeverTrigger: the default trigger of GlobalWindows, which never fires by itself; a global window
// needs a trigger of its own (countWindow sets CountTrigger).

import type { GlobalWindow } from '../time-window.js';
import type { Trigger, TriggerResult } from './trigger.js';

/** Never fires; set another trigger with `.trigger(...)`. */
export class NeverTrigger implements Trigger<unknown, GlobalWindow> {
  onElement(): TriggerResult {
    return 'continue';
  }

  onEventTime(): TriggerResult {
    return 'continue';
  }

  onProcessingTime(): TriggerResult {
    return 'continue';
  }

  onMerge(): void {}

  clear(): void {}

  toString(): string {
    return 'NeverTrigger()';
  }
}
