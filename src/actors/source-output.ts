// Where a source reader's records go in its actor: straight into the chain (addSource), or, for
// env.fromSource(source, strategy), through the watermark strategy run in the source itself: each
// record gets its event timestamp, and watermarks are generated per split (a source with
// watermarksPerSplit) or for the whole reader, every auto-watermark interval and on events.

import { NO_TIMESTAMP } from '../core/operator.js';
import type { ReaderOutput } from '../core/source.js';
import type { ProcessingTimeScheduler } from '../time/processing-time-scheduler.js';
import { SplitWatermarks, type SplitWatermark } from '../time/split-watermarks.js';
import type { WatermarkStrategy } from '../time/watermark-strategy.js';
import type { OperatorChain } from './operator-chain.js';

/** The reader's output, and what the actor does with it at the end. */
export interface SourceOutput extends ReaderOutput<unknown> {
  /** Stops the periodic watermarks (the input ended, or the job stops). */
  close(): void;
}

/** A source without a strategy: records keep the timestamp the reader gave (if any), no watermarks. */
class PlainSourceOutput implements SourceOutput {
  constructor(private readonly chain: OperatorChain) {}

  collect(value: unknown, timestamp?: number): void {
    this.chain.inputs[0]!.collect(value, timestamp ?? NO_TIMESTAMP);
  }

  collectSide(tagId: string, value: unknown, timestamp?: number): void {
    this.chain.collectSourceSide(tagId, value, timestamp ?? NO_TIMESTAMP);
  }

  createOutputForSplit(): ReaderOutput<unknown> {
    return this;
  }

  releaseOutputForSplit(): void {}

  close(): void {}
}

/** The output of one split: its records run its generator. */
class SplitOutput implements ReaderOutput<unknown> {
  constructor(
    private readonly owner: TimedSourceOutput,
    readonly watermark: SplitWatermark<unknown>,
  ) {}

  collect(value: unknown, timestamp?: number): void {
    this.owner.emit(this.watermark, value, timestamp ?? NO_TIMESTAMP);
  }

  collectSide(tagId: string, value: unknown, timestamp?: number): void {
    this.owner.collectSide(tagId, value, timestamp);
  }

  createOutputForSplit(splitId: string): ReaderOutput<unknown> {
    return this.owner.createOutputForSplit(splitId);
  }

  releaseOutputForSplit(splitId: string): void {
    this.owner.releaseOutputForSplit(splitId);
  }
}

/** The split of a reader that emits without naming splits. */
const WHOLE_READER = '';

class TimedSourceOutput implements SourceOutput {
  private readonly watermarks: SplitWatermarks<unknown>;
  private readonly outputs = new Map<string, SplitOutput>();
  private readonly main: SplitOutput;
  private cancelPeriodic: (() => void) | undefined;
  private awaitingSplits: boolean;

  constructor(
    private readonly strategy: WatermarkStrategy<unknown>,
    private readonly chain: OperatorChain,
    private readonly time: ProcessingTimeScheduler,
    private readonly intervalMs: number,
    perSplit: boolean,
  ) {
    this.watermarks = new SplitWatermarks(strategy, () => time.now(), {
      emitWatermark: (timestamp) => chain.emitWatermark(timestamp),
      markIdle: () => chain.emitWatermarkStatus(true),
      markActive: () => chain.emitWatermarkStatus(false),
    });
    // A per-split reader holds event time back with this split until it names its own splits.
    this.main = this.createOutputForSplit(WHOLE_READER) as SplitOutput;
    this.awaitingSplits = perSplit;
    if (strategy.emitsWatermarks && intervalMs > 0) this.schedulePeriodic(time.now());
  }

  collect(value: unknown, timestamp?: number): void {
    this.main.collect(value, timestamp);
  }

  /** Side outputs carry the record's own timestamp; they run no generator. */
  collectSide(tagId: string, value: unknown, timestamp?: number): void {
    this.chain.collectSourceSide(tagId, value, timestamp ?? NO_TIMESTAMP);
  }

  createOutputForSplit(splitId: string): ReaderOutput<unknown> {
    let output = this.outputs.get(splitId);
    if (output === undefined) {
      output = new SplitOutput(this, this.watermarks.split(splitId));
      this.outputs.set(splitId, output);
    }
    // Only now that the split holds event time back may the placeholder go: released before, with
    // no split left, the subtask would go idle, and the watermark would run ahead of its records.
    this.splitsNamed();
    return output;
  }

  releaseOutputForSplit(splitId: string): void {
    this.splitsNamed();
    this.outputs.delete(splitId);
    this.watermarks.release(splitId);
  }

  /** A per-split reader named its splits: the split that held event time back for it goes. */
  private splitsNamed(): void {
    if (!this.awaitingSplits) return;
    this.awaitingSplits = false;
    this.watermarks.release(WHOLE_READER);
  }

  emit(split: SplitWatermark<unknown>, value: unknown, timestamp: number): void {
    const eventTime = this.strategy.eventTimestamp(value, timestamp);
    this.chain.inputs[0]!.collect(value, eventTime === eventTime ? eventTime : timestamp);
    if (eventTime === eventTime) this.watermarks.onEvent(split, value, eventTime);
  }

  close(): void {
    this.cancelPeriodic?.();
    this.cancelPeriodic = undefined;
  }

  private schedulePeriodic(from: number): void {
    this.cancelPeriodic = this.time.schedule(from + this.intervalMs, (now) => {
      this.watermarks.onPeriodicEmit();
      this.schedulePeriodic(now);
    });
  }
}

/** The output for the reader of a source vertex; `strategy` is the one env.fromSource was given. */
export function createSourceOutput(
  chain: OperatorChain,
  strategy: WatermarkStrategy<unknown> | undefined,
  perSplit: boolean,
  time: ProcessingTimeScheduler,
  autoWatermarkIntervalMs: number,
): SourceOutput {
  return strategy === undefined ? new PlainSourceOutput(chain) : new TimedSourceOutput(strategy, chain, time, autoWatermarkIntervalMs, perSplit);
}
