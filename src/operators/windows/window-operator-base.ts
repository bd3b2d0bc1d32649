// What both window operators share (per-window and pane-sharing): the keyed runtime (key context,
// timers), lateness rules, late data to a side output or the dropped-records metric, and emitting
// a fired window with its timestamp and ProcessWindowContext.

import type { Collector } from '../../core/functions.js';
import type { OutputTag } from '../../core/output-tag.js';
import type { Key } from '../../core/key-groups.js';
import type { Namespace } from '../../core/state.js';
import type { InternalTimerService, TimerTarget } from '../../core/timers.js';
import { KeyContext } from '../key-context.js';
import { AbstractOperator } from '../../core/abstract-operator.js';
import type { OperatorContext, Output } from '../../core/operator.js';
import { TimestampedCollector } from '../timestamped-collector.js';
import type { Window } from './time-window.js';
import type { ProcessWindowContext, WindowEmitter } from './window-functions.js';

/** What every window operator is configured with. */
export interface WindowOperatorOptions<ACC, OUT, K, W extends Window> {
  /** True for event-time windows: lateness and cleanup follow the watermark. */
  readonly isEventTime: boolean;
  /** Milliseconds after a window's end that it still takes late elements (event time). */
  readonly allowedLateness: number;
  /** Side output id for elements too late for every window; without it they are dropped and counted. */
  readonly lateDataTag: string | undefined;
  /** Turns a fired window's contents into output. */
  readonly emit: WindowEmitter<ACC, OUT, K, W>;
}

/** The context of the window function, reused for every firing. */
class FiringContext<W extends Window> implements ProcessWindowContext<W> {
  window!: W;
  currentWatermark = Number.NEGATIVE_INFINITY;
  currentProcessingTime = 0;

  constructor(private readonly out: Output<unknown>) {}

  output<X>(tag: OutputTag<X>, value: X): void {
    this.out.collectSide(tag.id, value, this.window.maxTimestamp());
  }
}

export abstract class WindowOperatorBase<IN, ACC, OUT, K extends Key, W extends Window>
  extends AbstractOperator<IN, OUT>
  implements TimerTarget<Namespace>
{
  protected keys!: KeyContext;
  protected timers!: InternalTimerService<Namespace>;
  private collector!: TimestampedCollector<OUT>;
  private firing!: FiringContext<W>;
  protected readonly isEventTime: boolean;
  protected readonly lateness: number;

  constructor(protected readonly options: WindowOperatorOptions<ACC, OUT, K, W>) {
    super();
    this.isEventTime = options.isEventTime;
    this.lateness = options.allowedLateness;
  }

  override open(ctx: OperatorContext, output: Output<OUT>): void {
    super.open(ctx, output);
    this.keys = new KeyContext(ctx);
    this.timers = ctx.timerService<Namespace>(this);
    this.collector = new TimestampedCollector(output);
    this.firing = new FiringContext<W>(output as Output<unknown>);
  }

  /** Fires the event-time timers the watermark passed (emitting their windows), then forwards it. */
  override processWatermark(watermark: number): number | null {
    this.timers.advanceWatermark(watermark);
    return watermark;
  }

  abstract onEventTime(time: number, key: Key, namespace: Namespace): void;
  abstract onProcessingTime(time: number, key: Key, namespace: Namespace): void;

  /** When a window's state goes: `maxTimestamp + allowedLateness` in event time, its end otherwise. */
  protected cleanupTime(maxTimestamp: number): number {
    return this.isEventTime ? maxTimestamp + this.lateness : maxTimestamp;
  }

  /** An event-time window whose cleanup time the watermark reached takes no more elements. */
  protected isWindowLate(maxTimestamp: number): boolean {
    return this.isEventTime && maxTimestamp + this.lateness <= this.timers.currentWatermark();
  }

  /**
   * An element that no window took: late when `timestamp + allowedLateness <= watermark` (event
   * time), then sent to the late-data side output, or dropped and counted.
   */
  protected skipped(value: IN, timestamp: number): void {
    if (!this.isEventTime || timestamp + this.lateness > this.timers.currentWatermark()) return;
    const tag = this.options.lateDataTag;
    if (tag !== undefined) this.output.collectSide(tag, value, timestamp);
    else this.ctx.metrics.lateRecordsDropped++;
  }

  /** Emits `contents` of `window` for the current key, at `window.maxTimestamp()`. */
  protected emit(window: W, contents: ACC): void {
    this.collector.timestamp = window.maxTimestamp();
    const firing = this.firing;
    firing.window = window;
    firing.currentWatermark = this.timers.currentWatermark();
    firing.currentProcessingTime = this.timers.currentProcessingTime();
    this.options.emit(this.keys.currentKey() as K, contents, firing, this.collector as Collector<OUT>);
  }
}
