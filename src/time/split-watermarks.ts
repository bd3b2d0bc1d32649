// Watermarks generated in a source, per split (Flink's WatermarkOutputMultiplexer): each split (a
// Kafka partition) runs its own generator on its own records, and the source subtask's watermark is
// the minimum over its active splits. Idle splits are left out; a subtask whose splits are all
// idle, or that has none, is idle itself, so that it does not hold event time back downstream.

import type { WatermarkGenerator, WatermarkOutput, WatermarkStrategy } from './watermark-strategy.js';

/** One split's generator and what it emitted. */
export class SplitWatermark<T> implements WatermarkOutput {
  watermark = Number.NEGATIVE_INFINITY;
  idle = false;
  readonly generator: WatermarkGenerator<T>;

  constructor(
    strategy: WatermarkStrategy<T>,
    clock: () => number,
    private readonly owner: SplitWatermarks<T>,
  ) {
    this.generator = strategy.createGenerator(clock);
  }

  emitWatermark(timestamp: number): void {
    if (this.idle) this.markActive();
    if (timestamp <= this.watermark) return;
    this.watermark = timestamp;
    this.owner.changed = true;
  }

  markIdle(): void {
    if (this.idle) return;
    this.idle = true;
    this.owner.changed = true;
  }

  markActive(): void {
    if (!this.idle) return;
    this.idle = false;
    this.owner.changed = true;
  }
}

export class SplitWatermarks<T> {
  /** Set by a split whose watermark or idleness changed; the combined output is recomputed then. */
  changed = false;
  private readonly splits = new Map<string, SplitWatermark<T>>();
  private combined = Number.NEGATIVE_INFINITY;
  private idle = false;

  constructor(
    private readonly strategy: WatermarkStrategy<T>,
    private readonly clock: () => number,
    /** Where the subtask's combined watermark and idleness go. */
    private readonly output: WatermarkOutput,
  ) {}

  /** The split's generator, created at its first use; it holds event time back until it emits. */
  split(id: string): SplitWatermark<T> {
    let split = this.splits.get(id);
    if (split === undefined) {
      split = new SplitWatermark(this.strategy, this.clock, this);
      this.splits.set(id, split);
      this.changed = true;
    }
    return split;
  }

  /** The split is no longer read here. */
  release(id: string): void {
    if (this.splits.delete(id)) this.changed = true;
    this.update();
  }

  /** A record of `split` with event time `timestamp` was emitted. */
  onEvent(split: SplitWatermark<T>, value: T, timestamp: number): void {
    if (split.idle) split.markActive();
    split.generator.onEvent(value, timestamp, split);
    if (this.changed) this.update();
  }

  /** Every auto-watermark interval: each split's periodic watermark, then the combined one. */
  onPeriodicEmit(): void {
    for (const split of this.splits.values()) split.generator.onPeriodicEmit(split);
    this.changed = true;
    this.update();
  }

  private update(): void {
    if (!this.changed) return;
    this.changed = false;
    let least = Number.POSITIVE_INFINITY;
    let active = false;
    for (const split of this.splits.values()) {
      if (split.idle) continue;
      active = true;
      if (split.watermark < least) least = split.watermark;
    }
    if (!active) {
      if (!this.idle) {
        this.idle = true;
        this.output.markIdle();
      }
      return;
    }
    if (this.idle) {
      this.idle = false;
      this.output.markActive();
    }
    if (least > this.combined) {
      this.combined = least;
      this.output.emitWatermark(least);
    }
  }
}
