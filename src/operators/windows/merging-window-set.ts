// The in-flight session windows of the current key (Flink's MergingWindowSet): each window maps
// to the "state window" whose namespace holds its contents, so a merge moves no state but the
// merged windows'. Kept in keyed state as plain numbers, so it is snapshotted per key group.

import type { KeyedStateStore, ValueState } from '../../core/state.js';
import { ValueStateDescriptor } from '../../core/state-descriptors.js';
import { StreamError } from '../../core/errors.js';
import { mergesLikeSessions } from './assigners/session.js';
import { TimeWindow } from './time-window.js';
import type { MergingWindowAssigner } from './window-assigner.js';

/**
 * Called when adding a window merged windows: `result` replaces `merged` (the windows that were
 * in flight before); `stateWindow` keeps the contents, into which `mergedStateWindows` must fold.
 */
export type MergeFunction = (
  result: TimeWindow,
  merged: readonly TimeWindow[],
  stateWindow: TimeWindow,
  mergedStateWindows: readonly TimeWindow[],
) => void;

/** Slots per window in the stored array: window start and end, state window start and end. */
const SLOTS = 4;

/**
 * The merging window set of the state backend's current key: `load()` before use, `persist()`
 * after changes. Stored per key as `[start, end, stateStart, stateEnd, ...]`; a key without
 * windows stores nothing.
 */
export class MergingWindowSet {
  private readonly state: ValueState<number[]>;
  private mapping: number[] = [];
  /** Merges found by the assigner during `addWindow`: group, result, group, result ... */
  private readonly found: (TimeWindow[] | TimeWindow)[] = [];
  private readonly collect = (group: TimeWindow[], result: TimeWindow): void => void this.found.push(group, result);
  /** The assigner merges overlapping or touching windows into their cover (the built-in sessions). */
  private readonly coverMerging: boolean;

  constructor(
    backend: KeyedStateStore,
    private readonly assigner: MergingWindowAssigner<unknown>,
  ) {
    this.state = backend.getState(new ValueStateDescriptor<number[]>('merging-window-set'));
    this.coverMerging = mergesLikeSessions(assigner);
  }

  /** Reads the current key's windows. */
  load(): void {
    this.mapping = this.state.value() ?? [];
  }

  /** Stores the current key's windows (none: the key's entry is removed). */
  persist(): void {
    if (this.mapping.length === 0) this.state.clear();
    else this.state.update(this.mapping);
  }

  /** The window holding the contents of in-flight window `window`, or undefined if it is not in flight. */
  stateWindowOf(window: TimeWindow): TimeWindow | undefined {
    const i = this.indexOf(window);
    return i < 0 ? undefined : new TimeWindow(this.mapping[i + 2]!, this.mapping[i + 3]!);
  }

  /** Forgets an in-flight window (its cleanup time passed, or it was late on arrival). */
  retireWindow(window: TimeWindow): void {
    const i = this.indexOf(window);
    if (i < 0) throw new StreamError('INTERNAL', `Window ${String(window)} is not in flight`, { domain: 'internal' });
    this.mapping.splice(i, SLOTS);
  }

  /**
   * Adds the window of a new element, merging it with the in-flight windows it overlaps or
   * touches (calling `merge` before the set changes further). Returns the window the element
   * belongs to now: `window` itself, or the merged window that covers it.
   */
  addWindow(window: TimeWindow, merge: MergeFunction): TimeWindow {
    if (this.coverMerging && this.mapping.length <= SLOTS) return this.addToOneSession(window, merge);
    const windows: TimeWindow[] = [];
    for (let i = 0; i < this.mapping.length; i += SLOTS) windows.push(new TimeWindow(this.mapping[i]!, this.mapping[i + 1]!));
    windows.push(window);
    this.found.length = 0;
    this.assigner.mergeWindows(windows, this.collect);
    let result = window;
    for (let f = 0; f < this.found.length; f += 2) {
      const group = (this.found[f] as TimeWindow[]).filter((w) => !w.equals(window));
      const mergeResult = this.found[f + 1] as TimeWindow;
      if (group.length < (this.found[f] as TimeWindow[]).length) result = mergeResult;
      const stateWindow = this.stateWindowOf(group[0]!)!;
      const mergedStateWindows: TimeWindow[] = [];
      for (const merged of group) {
        const i = this.indexOf(merged);
        const mergedState = new TimeWindow(this.mapping[i + 2]!, this.mapping[i + 3]!);
        this.mapping.splice(i, SLOTS);
        if (!mergedState.equals(stateWindow)) mergedStateWindows.push(mergedState);
      }
      this.mapping.push(mergeResult.start, mergeResult.end, stateWindow.start, stateWindow.end);
      // A window merged into itself (the new one lay inside it) changes nothing.
      if (!(group.length === 1 && group[0]!.equals(mergeResult))) merge(mergeResult, group, stateWindow, mergedStateWindows);
    }
    // Flink would also re-map a window equal to an in-flight one to itself, orphaning its state.
    if (result === window && this.indexOf(window) < 0) this.mapping.push(window.start, window.end, window.start, window.end);
    this.found.length = 0;
    return result;
  }

  /**
   * addWindow for cover merging when the key has at most one window in flight: what the general
   * path computes for that case, without building and sorting window lists.
   */
  private addToOneSession(window: TimeWindow, merge: MergeFunction): TimeWindow {
    const mapping = this.mapping;
    if (mapping.length === 0 || window.start > mapping[1]! || window.end < mapping[0]!) {
      mapping.push(window.start, window.end, window.start, window.end);
      return window;
    }
    const start = mapping[0]!;
    const end = mapping[1]!;
    const coverStart = Math.min(start, window.start);
    const coverEnd = Math.max(end, window.end);
    // The new window lies inside the one in flight: it takes the element, nothing changes.
    if (coverStart === start && coverEnd === end) return window.start === start && window.end === end ? window : new TimeWindow(start, end);
    const inFlight = new TimeWindow(start, end);
    const stateWindow = new TimeWindow(mapping[2]!, mapping[3]!);
    const result = new TimeWindow(coverStart, coverEnd);
    mapping[0] = coverStart;
    mapping[1] = coverEnd;
    merge(result, [inFlight], stateWindow, []);
    return result;
  }

  private indexOf(window: TimeWindow): number {
    const mapping = this.mapping;
    for (let i = 0; i < mapping.length; i += SLOTS) {
      if (mapping[i] === window.start && mapping[i + 1] === window.end) return i;
    }
    return -1;
  }
}
