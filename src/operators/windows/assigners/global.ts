// GlobalWindows (Flink's): every element of a key in one window that never ends; a trigger such
// as CountTrigger decides when it emits (countWindow builds on it).

import { NeverTrigger } from '../triggers/never-trigger.js';
import type { Trigger } from '../triggers/trigger.js';
import { GlobalWindow, globalWindowNamespaces, type WindowNamespaces } from '../time-window.js';
import type { WindowAssigner } from '../window-assigner.js';

const ONLY: readonly GlobalWindow[] = Object.freeze([GlobalWindow.get()]);

/** One window per key for all time. Its default trigger never fires: set one with `.trigger(...)`. */
export class GlobalWindows implements WindowAssigner<unknown, GlobalWindow> {
  readonly isEventTime = false;
  readonly isMerging = false;
  readonly namespaces: WindowNamespaces<GlobalWindow> = globalWindowNamespaces;

  private constructor() {}

  static create(): GlobalWindows {
    return new GlobalWindows();
  }

  assignWindows(): readonly GlobalWindow[] {
    return ONLY;
  }

  defaultTrigger(): Trigger<unknown, GlobalWindow> {
    return new NeverTrigger();
  }

  toString(): string {
    return 'GlobalWindows()';
  }
}
