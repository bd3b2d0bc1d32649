// Sliding windows that share panes: each element updates one pane (a slice of gcd(size, slide)
// ms) instead of its size/slide windows; a firing window combines its panes' partial results.
// Same answers as the per-window operator for an aggregate (via merge) or an associative reduce.

import type { Key } from '../../core/key-groups.js';
import { ValueStateDescriptor, type AggregateFunction } from '../../core/state-descriptors.js';
import type { Namespace, ValueState } from '../../core/state.js';
import { StreamError } from '../../core/errors.js';
import type { OperatorContext, Output } from '../../core/operator.js';
import { getWindowStartWithOffset, TimeWindow } from './time-window.js';
import { requireTimestamp } from './window-assigner.js';
import { WindowOperatorBase, type WindowOperatorOptions } from './window-operator-base.js';

/** How panes hold partial results and how a window combines them. */
export type PaneContentsSpec<IN, ACC> =
  | { readonly kind: 'aggregate'; readonly aggregate: AggregateFunction<IN, ACC, unknown> }
  | { readonly kind: 'reduce'; readonly reduce: (a: IN, b: IN) => IN };

/** The configuration of a {@link PaneWindowOperator}: a sliding assigner's geometry and contents. */
export interface PaneWindowOperatorSpec<IN, ACC, OUT, K> extends WindowOperatorOptions<ACC, OUT, K, TimeWindow> {
  readonly size: number;
  readonly slide: number;
  readonly offset: number;
  /** The assigner's name, for errors. */
  readonly assignerName: string;
  readonly contents: PaneContentsSpec<IN, ACC>;
}

export function greatestCommonDivisor(a: number, b: number): number {
  while (b !== 0) [a, b] = [b, a % b];
  return a;
}

/**
 * Sliding windows with the default trigger (event or processing time) over panes. Emits what
 * Flink's WindowOperator emits, in the same order: each window at its end, late-but-allowed
 * elements re-fire their windows newest first, late elements go to the side output or are counted.
 */
export class PaneWindowOperator<IN, ACC, OUT, K extends Key> extends WindowOperatorBase<IN, ACC, OUT, K, TimeWindow> {
  private panes!: ValueState<ACC>;
  private readonly size: number;
  private readonly slide: number;
  private readonly offset: number;
  private readonly paneSize: number;

  constructor(private readonly spec: PaneWindowOperatorSpec<IN, ACC, OUT, K>) {
    super(spec);
    this.size = spec.size;
    this.slide = spec.slide;
    this.offset = spec.offset;
    this.paneSize = greatestCommonDivisor(spec.size, spec.slide);
  }

  override open(ctx: OperatorContext, output: Output<OUT>): void {
    super.open(ctx, output);
    this.panes = this.keys.backend.getState(new ValueStateDescriptor<ACC>('window-panes'));
  }

  processElement(value: IN, timestamp: number): void {
    this.keys.setCurrentKeyOf(value);
    let time = timestamp;
    if (this.isEventTime) requireTimestamp(timestamp, this.spec.assignerName);
    else time = this.ctx.processingTime.now();
    const { size, slide } = this;
    const newest = getWindowStartWithOffset(time, this.offset, slide);
    // The newest window closes last: when it is late, so are all of the element's windows.
    if (this.isWindowLate(newest + size - 1)) {
      this.skipped(value, timestamp);
      return;
    }
    const oldest = newest - (Math.ceil((newest - time + size) / slide) - 1) * slide;
    const panes = this.panes;
    const pane = getWindowStartWithOffset(time, this.offset, this.paneSize);
    panes.setCurrentNamespace(pane);
    const current = panes.value();
    panes.update(this.add(current, value));
    if (current === undefined) this.registerTimers(newest, this.firstUnregistered(pane, oldest));
    if (!this.isEventTime) return;
    const watermark = this.timers.currentWatermark();
    if (oldest + size - 1 <= watermark) this.fireLate(newest, oldest);
    if (this.timers.restoredWatermark > watermark) this.rearmRestored(newest, oldest, watermark);
  }

  /**
   * After a restore the watermark starts over: the windows of this element that ended before the
   * checkpoint's watermark fired then, and their timers are gone. Arm them again, so that they
   * fire again (the element is late but allowed) at the next watermark, as Flink's trigger does.
   */
  private rearmRestored(newest: number, oldest: number, watermark: number): void {
    const restored = this.timers.restoredWatermark;
    for (let start = newest; start >= oldest; start -= this.slide) {
      const end = start + this.size - 1;
      if (end > watermark && end <= restored) this.timers.registerEventTimeTimer(start, end);
    }
  }

  private add(current: ACC | undefined, value: IN): ACC {
    const contents = this.spec.contents;
    if (contents.kind === 'aggregate') {
      return contents.aggregate.add(value, current === undefined ? contents.aggregate.createAccumulator() : current);
    }
    return (current === undefined ? value : contents.reduce(current as unknown as IN, value)) as unknown as ACC;
  }

  /**
   * The oldest window start that a new pane must register timers for. When the key's previous
   * pane exists, the windows that contain both got their timers when it was created (or were
   * late then, and still are): only the windows starting after it are new.
   */
  private firstUnregistered(pane: number, oldest: number): number {
    const panes = this.panes;
    panes.setCurrentNamespace(pane - this.paneSize);
    if (panes.value() === undefined) return oldest;
    const slide = this.slide;
    // The first window start (on the slide grid) after the previous pane's start.
    return oldest + Math.max(0, Math.floor((pane - this.paneSize - oldest) / slide) + 1) * slide;
  }

  /**
   * A new pane: timers of the windows from `newest` back to `oldest` that still take elements
   * (newest first, as Flink's trigger registers them) — at the window's end unless already
   * passed, and at its cleanup time.
   */
  private registerTimers(newest: number, oldest: number): void {
    const timers = this.timers;
    const watermark = timers.currentWatermark();
    for (let start = newest; start >= oldest; start -= this.slide) {
      const end = start + this.size - 1;
      if (this.isWindowLate(end)) break;
      if (!this.isEventTime) {
        timers.registerProcessingTimeTimer(start, end);
        continue;
      }
      if (end > watermark) timers.registerEventTimeTimer(start, end);
      if (this.lateness > 0) timers.registerEventTimeTimer(start, end + this.lateness);
    }
  }

  /** A late-but-allowed element: every window of it that already fired and is not late fires again. */
  private fireLate(newest: number, oldest: number): void {
    const watermark = this.timers.currentWatermark();
    for (let start = newest; start >= oldest; start -= this.slide) {
      const end = start + this.size - 1;
      if (this.isWindowLate(end)) break;
      if (end <= watermark) this.fire(start);
    }
  }

  onEventTime(time: number, _key: Key, namespace: Namespace): void {
    const start = namespace as number;
    const end = start + this.size - 1;
    if (time === end) this.fire(start);
    if (time === end + this.lateness) this.dropPanes(start);
  }

  onProcessingTime(_time: number, _key: Key, namespace: Namespace): void {
    this.fire(namespace as number);
    this.dropPanes(namespace as number);
  }

  /** Emits window `[start, start + size)` from its panes, if any holds something. */
  private fire(start: number): void {
    const panes = this.panes;
    const contents = this.spec.contents;
    let result: ACC | undefined;
    for (let pane = start; pane < start + this.size; pane += this.paneSize) {
      panes.setCurrentNamespace(pane);
      const partial = panes.value();
      if (partial === undefined) continue;
      if (contents.kind === 'reduce') {
        result = result === undefined ? partial : (contents.reduce(result as unknown as IN, partial as unknown as IN) as unknown as ACC);
        continue;
      }
      const merged = contents.aggregate.merge(result === undefined ? contents.aggregate.createAccumulator() : result, partial);
      if (merged === partial && typeof partial === 'object' && partial !== null) throw this.sharedAccumulator();
      result = merged;
    }
    if (result !== undefined) this.emit(new TimeWindow(start, start + this.size), result);
  }

  /** Window `start` is cleaned up: the panes no later window contains go. */
  private dropPanes(start: number): void {
    const panes = this.panes;
    for (let pane = start; pane < start + this.slide; pane += this.paneSize) {
      panes.setCurrentNamespace(pane);
      panes.clear();
    }
  }

  private sharedAccumulator(): StreamError {
    return new StreamError(
      'INVALID_ARGUMENT',
      `${this.ctx.operatorName}: the AggregateFunction's merge(a, b) returned b. Sliding windows share partial results ` +
        'between windows, so merge may update and return its first argument (or a new accumulator) but must leave b unchanged.',
    );
  }
}
