// assignTimestampsAndWatermarks / fromSource(source, strategy): gives each record its event
// timestamp and runs the watermark generator on it, punctuated per record and periodically every
// auto-watermark interval (Flink's TimestampsAndWatermarksOperator). Upstream watermarks are
// ignored, except the end of input (+infinity).

import type { WatermarkGenerator, WatermarkOutput, WatermarkStrategy } from '../time/watermark-strategy.js';
import { AbstractOperator } from '../core/abstract-operator.js';
import type { OperatorContext, Output } from '../core/operator.js';

export class TimestampsAndWatermarksOperator<T> extends AbstractOperator<T, T> implements WatermarkOutput {
  private generator!: WatermarkGenerator<T>;
  private current = Number.NEGATIVE_INFINITY;
  private idle = false;
  private cancelPeriodic: (() => void) | undefined;

  constructor(private readonly strategy: WatermarkStrategy<T>) {
    super();
  }

  override open(ctx: OperatorContext, output: Output<T>): void {
    super.open(ctx, output);
    this.generator = this.strategy.createGenerator(() => ctx.processingTime.now());
    if (this.strategy.emitsWatermarks && ctx.autoWatermarkInterval > 0) this.schedulePeriodic(ctx.processingTime.now());
  }

  processElement(value: T, timestamp: number): void {
    const eventTime = this.strategy.eventTimestamp(value, timestamp);
    if (eventTime !== eventTime) return this.output.collect(value, timestamp);
    if (this.idle) this.markActive();
    this.output.collect(value, eventTime);
    this.generator.onEvent(value, eventTime, this);
  }

  override processWatermark(watermark: number): number | null {
    if (watermark !== Number.POSITIVE_INFINITY) return null;
    this.current = watermark;
    return watermark;
  }

  override close(): void {
    this.cancelPeriodic?.();
  }

  emitWatermark(timestamp: number): void {
    if (timestamp <= this.current) return;
    if (this.idle) this.markActive();
    this.current = timestamp;
    this.output.emitWatermark(timestamp);
  }

  markIdle(): void {
    if (this.idle) return;
    this.idle = true;
    this.output.emitWatermarkStatus(true);
  }

  markActive(): void {
    if (!this.idle) return;
    this.idle = false;
    this.output.emitWatermarkStatus(false);
  }

  private schedulePeriodic(from: number): void {
    const next = from + this.ctx.autoWatermarkInterval;
    this.cancelPeriodic = this.ctx.processingTime.schedule(next, (time) => {
      this.generator.onPeriodicEmit(this);
      this.schedulePeriodic(time);
    });
  }
}
