// The timers of the current key in one namespace, as user functions and triggers see them: the
// `TimerService` of a keyed process function (one namespace) and the timers a trigger sets for
// the window it handles (the window's namespace).

import type { TimerService } from '../core/functions.js';
import type { InternalTimerService } from '../core/timers.js';

export class NamespacedTimers<N extends string | number> implements TimerService {
  constructor(
    protected readonly timers: InternalTimerService<N>,
    /** The namespace timers are set in; the window operator points it at each window. */
    public namespace: N,
  ) {}

  currentWatermark(): number {
    return this.timers.currentWatermark();
  }

  currentProcessingTime(): number {
    return this.timers.currentProcessingTime();
  }

  registerEventTimeTimer(time: number): void {
    this.timers.registerEventTimeTimer(this.namespace, time);
  }

  deleteEventTimeTimer(time: number): void {
    this.timers.deleteEventTimeTimer(this.namespace, time);
  }

  registerProcessingTimeTimer(time: number): void {
    this.timers.registerProcessingTimeTimer(this.namespace, time);
  }

  deleteProcessingTimeTimer(time: number): void {
    this.timers.deleteProcessingTimeTimer(this.namespace, time);
  }
}
