// The window operator (Flink's WindowOperator, same rules): assigns each element to windows, keeps
// their contents per (key, window) in keyed state, asks the trigger when to fire and purge, and
// cleans each window up at its cleanup time. Session windows merge, with their state and triggers.

import { StreamError } from '../../core/errors.js';
import type { Key } from '../../core/key-groups.js';
import type { Namespace } from '../../core/state.js';
import type { OperatorContext, Output } from '../../core/operator.js';
import { MergingWindowSet } from './merging-window-set.js';
import type { TimeWindow, Window, WindowNamespaces } from './time-window.js';
import { WindowTriggerContext } from './trigger-context.js';
import { EventTimeTrigger } from './triggers/event-time-trigger.js';
import { isFire, isPurge, type Trigger } from './triggers/trigger.js';
import type { MergingWindowAssigner, WindowAssigner, WindowAssignerContext } from './window-assigner.js';
import { createWindowContents, type WindowContents, type WindowContentsSpec } from './window-contents.js';
import { WindowOperatorBase, type WindowOperatorOptions } from './window-operator-base.js';

/** The configuration of a {@link WindowOperator}. */
export interface WindowOperatorSpec<IN, ACC, OUT, K, W extends Window> extends WindowOperatorOptions<ACC, OUT, K, W> {
  readonly assigner: WindowAssigner<IN, W>;
  readonly trigger: Trigger<IN, W>;
  readonly contents: WindowContentsSpec<IN, ACC>;
}

/**
 * Windows per key, exactly as Flink's WindowOperator: late windows are skipped, an element no
 * window takes is late data, a window fires whenever its trigger says so (again for late elements
 * within the allowed lateness), and its state and trigger are cleared at its cleanup time.
 */
export class WindowOperator<IN, ACC, OUT, K extends Key, W extends Window> extends WindowOperatorBase<IN, ACC, OUT, K, W> {
  private contents!: WindowContents<IN, ACC>;
  private triggerContext!: WindowTriggerContext;
  private sessions: MergingWindowSet | undefined;
  private readonly assigner: WindowAssigner<IN, W>;
  private readonly trigger: Trigger<IN, W>;
  private readonly namespaces: WindowNamespaces<W>;
  private readonly assignerContext: WindowAssignerContext = { currentProcessingTime: () => this.ctx.processingTime.now() };
  /**
   * Event time with the plain EventTimeTrigger: an element added to a window that already held
   * something before the watermark reached its end changes no timer (the first element set the
   * trigger's and the cleanup timer, and neither fired nor was deleted while the contents remain)
   * and the trigger says continue, so the trigger is not asked. Saves two timer lookups per
   * element and window.
   */
  private readonly knownTimersOnRepeat: boolean;

  constructor(private readonly spec: WindowOperatorSpec<IN, ACC, OUT, K, W>) {
    super(spec);
    this.assigner = spec.assigner;
    this.trigger = spec.trigger;
    this.namespaces = spec.assigner.namespaces;
    this.knownTimersOnRepeat = this.isEventTime && spec.trigger.constructor === EventTimeTrigger;
  }

  override open(ctx: OperatorContext, output: Output<OUT>): void {
    super.open(ctx, output);
    const backend = this.keys.backend;
    this.contents = createWindowContents(this.spec.contents, backend);
    this.triggerContext = new WindowTriggerContext(backend, this.timers);
    if (this.assigner.isMerging) this.sessions = new MergingWindowSet(backend, this.assigner as unknown as MergingWindowAssigner<unknown>);
  }

  processElement(value: IN, timestamp: number): void {
    this.keys.setCurrentKeyOf(value);
    const windows = this.assigner.assignWindows(value, timestamp, this.assignerContext);
    const taken = this.sessions === undefined ? this.addToWindows(value, timestamp, windows) : this.addToSessions(value, timestamp, windows);
    if (!taken) this.skipped(value, timestamp);
  }

  /** Adds the element to each of its windows that is not late; false when none took it. */
  private addToWindows(value: IN, timestamp: number, windows: readonly W[]): boolean {
    let taken = false;
    for (let i = 0; i < windows.length; i++) {
      const window = windows[i]!;
      if (this.isWindowLate(window.maxTimestamp())) continue;
      taken = true;
      const namespace = this.namespaces.namespaceOf(window);
      this.contents.setWindow(namespace);
      const held = this.contents.add(value);
      if (held && this.knownTimersOnRepeat && window.maxTimestamp() > Math.max(this.timers.currentWatermark(), this.timers.restoredWatermark)) continue;
      this.afterElement(value, timestamp, window, namespace);
    }
    return taken;
  }

  /** Adds the element's session window, merging it with the key's sessions it overlaps or touches. */
  private addToSessions(value: IN, timestamp: number, windows: readonly W[]): boolean {
    const sessions = this.sessions!;
    sessions.load();
    let taken = false;
    for (let i = 0; i < windows.length; i++) {
      const actual = sessions.addWindow(windows[i] as unknown as TimeWindow, this.mergeSessions) as unknown as W;
      if (this.isWindowLate(actual.maxTimestamp())) {
        sessions.retireWindow(actual as unknown as TimeWindow);
        continue;
      }
      taken = true;
      const stateWindow = sessions.stateWindowOf(actual as unknown as TimeWindow)!;
      this.contents.setWindow(this.namespaces.namespaceOf(stateWindow as unknown as W));
      this.contents.add(value);
      this.afterElement(value, timestamp, actual, this.namespaces.namespaceOf(actual));
    }
    sessions.persist();
    return taken;
  }

  /** The trigger's verdict on a window that just took an element (contents set to its state window). */
  private afterElement(value: IN, timestamp: number, window: W, namespace: Namespace): void {
    const result = this.trigger.onElement(value, timestamp, window, this.triggerContext.at(namespace));
    if (isFire(result)) {
      const contents = this.contents.get();
      if (contents === undefined) return;
      this.emit(window, contents);
    }
    if (isPurge(result)) this.contents.clear();
    this.registerCleanupTimer(window);
  }

  /** Sessions merged: the trigger moves to the merged window, the merged windows' state folds in. */
  private readonly mergeSessions = (result: TimeWindow, merged: readonly TimeWindow[], stateWindow: TimeWindow, mergedStateWindows: readonly TimeWindow[]): void => {
    const end = result.maxTimestamp();
    if (this.isEventTime ? end + this.lateness <= this.timers.currentWatermark() : end <= this.timers.currentProcessingTime()) {
      throw new StreamError(
        'INVALID_ARGUMENT',
        `${String(this.assigner)} merged windows into ${String(result)}, which ends before the current ${this.isEventTime ? 'watermark' : 'processing time'}: ` +
          'merging must not make a window end earlier.',
      );
    }
    const namespaces = this.namespaces as unknown as WindowNamespaces<TimeWindow>;
    const context = this.triggerContext.at(namespaces.namespaceOf(result));
    context.mergedNamespaces = merged.map((w) => namespaces.namespaceOf(w));
    this.trigger.onMerge!(result as unknown as W, context);
    context.mergedNamespaces = [];
    for (const window of merged) {
      const namespace = namespaces.namespaceOf(window);
      this.trigger.clear(window as unknown as W, context.at(namespace));
      this.deleteCleanupTimer(window as unknown as W, namespace);
    }
    this.contents.merge(
      namespaces.namespaceOf(stateWindow),
      mergedStateWindows.map((w) => namespaces.namespaceOf(w)),
    );
  };

  onEventTime(time: number, _key: Key, namespace: Namespace): void {
    this.onTimer(time, namespace, true);
  }

  onProcessingTime(time: number, _key: Key, namespace: Namespace): void {
    this.onTimer(time, namespace, false);
  }

  /** A timer of window `namespace` fired: the trigger decides; at cleanup time the window goes. */
  private onTimer(time: number, namespace: Namespace, eventTime: boolean): void {
    const window = this.namespaces.windowOf(namespace);
    const sessions = this.sessions;
    if (sessions !== undefined) {
      sessions.load();
      const stateWindow = sessions.stateWindowOf(window as unknown as TimeWindow);
      // A timer of a session that is gone (a trigger that did not delete its timers): nothing to do.
      if (stateWindow === undefined) return;
      this.contents.setWindow(this.namespaces.namespaceOf(stateWindow as unknown as W));
    } else {
      this.contents.setWindow(namespace);
    }
    const context = this.triggerContext.at(namespace);
    const result = eventTime ? this.trigger.onEventTime(time, window, context) : this.trigger.onProcessingTime(time, window, context);
    if (isFire(result)) {
      const contents = this.contents.get();
      if (contents !== undefined) this.emit(window, contents);
    }
    if (isPurge(result)) this.contents.clear();
    if (eventTime === this.isEventTime && time === this.cleanupTime(window.maxTimestamp())) {
      this.contents.clear();
      this.trigger.clear(window, this.triggerContext.at(namespace));
      if (sessions !== undefined) sessions.retireWindow(window as unknown as TimeWindow);
    }
    sessions?.persist();
  }

  /**
   * Sets the cleanup timer of the window the trigger context points at, unless the trigger just
   * set that very timer (EventTimeTrigger's at the window's end, with no allowed lateness).
   */
  private registerCleanupTimer(window: W): void {
    const time = this.cleanupTime(window.maxTimestamp());
    // No cleanup for the end of time (the global window).
    if (time === Number.POSITIVE_INFINITY) return;
    const context = this.triggerContext;
    if (this.isEventTime) {
      if (time !== context.eventTimer) context.registerEventTimeTimer(time);
    } else if (time !== context.processingTimer) {
      context.registerProcessingTimeTimer(time);
    }
  }

  private deleteCleanupTimer(window: W, namespace: Namespace): void {
    const time = this.cleanupTime(window.maxTimestamp());
    if (time === Number.POSITIVE_INFINITY) return;
    const context = this.triggerContext.at(namespace);
    if (this.isEventTime) context.deleteEventTimeTimer(time);
    else context.deleteProcessingTimeTimer(time);
  }
}
