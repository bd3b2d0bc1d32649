// What the event-time and processing-time twin of every time-window assigner differ in: where an
// element's time comes from, and the default trigger. The assigners take their domain as a flag.

import { EventTimeTrigger } from '../triggers/event-time-trigger.js';
import { ProcessingTimeTrigger } from '../triggers/processing-time-trigger.js';
import type { Trigger } from '../triggers/trigger.js';
import type { TimeWindow } from '../time-window.js';
import { requireTimestamp, type WindowAssignerContext } from '../window-assigner.js';

/**
 * The time that places an element in windows: its timestamp in event time (which it must have;
 * `assigner` names the assigner in the error), the operator's clock in processing time.
 */
export function assignmentTime(isEventTime: boolean, timestamp: number, ctx: WindowAssignerContext, assigner: object): number {
  if (!isEventTime) return ctx.currentProcessingTime();
  // The assigner's name is only looked up for the error.
  if (!Number.isFinite(timestamp)) requireTimestamp(timestamp, assigner.constructor.name);
  return timestamp;
}

/** The trigger that fires a time window at its end, in the assigner's time domain. */
export function endOfWindowTrigger(isEventTime: boolean): Trigger<unknown, TimeWindow> {
  return isEventTime ? EventTimeTrigger.create() : ProcessingTimeTrigger.create();
}
