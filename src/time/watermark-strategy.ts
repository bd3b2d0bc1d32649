// Watermark strategies (Flink's WatermarkStrategy): how each record gets its event timestamp and
// how watermarks are generated from them (bounded out-of-orderness, monotonous, punctuated or
// periodic user generators), optionally marking a quiet input idle.

import { StreamError } from '../core/errors.js';
import { requireFunction } from '../core/validate.js';

/** Where a generator emits watermarks and idleness. */
export interface WatermarkOutput {
  /** Promises that no more records with timestamp <= `timestamp` will come. */
  emitWatermark(timestamp: number): void;
  /** This input has no data for now: do not let it hold event time back. */
  markIdle(): void;
  /** This input has data again. */
  markActive(): void;
}

/** Generates watermarks: on each event (punctuated) and/or every auto-watermark interval (periodic). */
export interface WatermarkGenerator<T> {
  onEvent(event: T, eventTimestamp: number, output: WatermarkOutput): void;
  onPeriodicEmit(output: WatermarkOutput): void;
}

/** Extracts a record's event timestamp (epoch ms); `recordTimestamp` is the one it arrived with, or -Infinity. */
export type TimestampAssigner<T> = (event: T, recordTimestamp: number) => number;

/** Watermark = highest timestamp seen - maxOutOfOrderness - 1, emitted periodically (Flink's BoundedOutOfOrdernessWatermarks). */
export class BoundedOutOfOrdernessWatermarks<T> implements WatermarkGenerator<T> {
  private maxTimestamp = Number.NEGATIVE_INFINITY;

  constructor(private readonly outOfOrdernessMs: number) {}

  onEvent(_event: T, eventTimestamp: number): void {
    if (eventTimestamp > this.maxTimestamp) this.maxTimestamp = eventTimestamp;
  }

  onPeriodicEmit(output: WatermarkOutput): void {
    output.emitWatermark(this.maxTimestamp - this.outOfOrdernessMs - 1);
  }
}

/** Wraps a generator: marks the input idle when no event came for `timeoutMs` of processing time. */
class WatermarksWithIdleness<T> implements WatermarkGenerator<T> {
  private events = 0;
  private eventsAtLastCheck = -1;
  private quietSince: number | undefined;

  constructor(
    private readonly inner: WatermarkGenerator<T>,
    private readonly timeoutMs: number,
    private readonly clock: () => number,
  ) {}

  onEvent(event: T, eventTimestamp: number, output: WatermarkOutput): void {
    this.events++;
    this.inner.onEvent(event, eventTimestamp, output);
  }

  onPeriodicEmit(output: WatermarkOutput): void {
    if (this.events !== this.eventsAtLastCheck) {
      this.eventsAtLastCheck = this.events;
      this.quietSince = undefined;
      this.inner.onPeriodicEmit(output);
      return;
    }
    this.quietSince ??= this.clock();
    if (this.clock() - this.quietSince >= this.timeoutMs) output.markIdle();
    else this.inner.onPeriodicEmit(output);
  }
}

const NO_WATERMARKS: WatermarkGenerator<unknown> = { onEvent() {}, onPeriodicEmit() {} };

function requireDuration(ms: number, where: string): number {
  if (typeof ms !== 'number' || !Number.isFinite(ms) || ms < 0) {
    throw new RangeError(`${where}(${String(ms)}): expected a duration in milliseconds of 0 or more, e.g. Time.seconds(5).`);
  }
  return ms;
}

export class WatermarkStrategy<T> {
  private constructor(
    private readonly factory: () => WatermarkGenerator<T>,
    /** The user's timestamp assigner, if any. */
    readonly timestampAssigner: TimestampAssigner<T> | undefined,
    /** Idle timeout in ms, if set with `withIdleness`. */
    readonly idlenessMs: number | undefined,
    /** False for `noWatermarks()`: event-time operators downstream could never fire. */
    readonly emitsWatermarks: boolean,
  ) {}

  /** Timestamps only grow: watermark = highest timestamp - 1. */
  static forMonotonousTimestamps<T>(): WatermarkStrategy<T> {
    return WatermarkStrategy.forBoundedOutOfOrderness<T>(0);
  }

  /** Records may be up to `maxOutOfOrdernessMs` late: watermark = highest timestamp - maxOutOfOrdernessMs - 1. */
  static forBoundedOutOfOrderness<T>(maxOutOfOrdernessMs: number): WatermarkStrategy<T> {
    const ms = requireDuration(maxOutOfOrdernessMs, 'WatermarkStrategy.forBoundedOutOfOrderness');
    return new WatermarkStrategy<T>(() => new BoundedOutOfOrdernessWatermarks<T>(ms), undefined, undefined, true);
  }

  /** Timestamps (if assigned) but no watermarks: event-time operators downstream never fire. */
  static noWatermarks<T>(): WatermarkStrategy<T> {
    return new WatermarkStrategy<T>(() => NO_WATERMARKS as WatermarkGenerator<T>, undefined, undefined, false);
  }

  /** A user generator: punctuated (emit in onEvent) and/or periodic (emit in onPeriodicEmit). */
  static forGenerator<T>(factory: () => WatermarkGenerator<T>): WatermarkStrategy<T> {
    requireFunction(factory, 'WatermarkStrategy.forGenerator');
    return new WatermarkStrategy<T>(factory, undefined, undefined, true);
  }

  /** Takes each record's event timestamp from `assigner(event, recordTimestamp)`. */
  withTimestampAssigner(assigner: TimestampAssigner<T>): WatermarkStrategy<T> {
    requireFunction(assigner, 'withTimestampAssigner');
    return new WatermarkStrategy<T>(this.factory, assigner, this.idlenessMs, this.emitsWatermarks);
  }

  /** Marks the input idle after `ms` of processing time without records, so it stops holding event time back. */
  withIdleness(ms: number): WatermarkStrategy<T> {
    const timeout = requireDuration(ms, 'withIdleness');
    return new WatermarkStrategy<T>(this.factory, this.timestampAssigner, timeout, this.emitsWatermarks);
  }

  /**
   * @internal The event timestamp of `event`, which arrived with `recordTimestamp` (NaN: none):
   * the assigner's, else the record's. A record without one passes as it is (NaN) only when no
   * watermarks are generated, since then nothing reads event time (Flink's noWatermarks()).
   */
  eventTimestamp(event: T, recordTimestamp: number): number {
    const assigner = this.timestampAssigner;
    const eventTime = assigner === undefined ? recordTimestamp : assigner(event, recordTimestamp === recordTimestamp ? recordTimestamp : Number.NEGATIVE_INFINITY);
    if (typeof eventTime === 'number' && !Number.isNaN(eventTime)) return eventTime;
    if (assigner === undefined && !this.emitsWatermarks) return Number.NaN;
    throw new StreamError(
      'INVALID_ARGUMENT',
      assigner === undefined
        ? 'A record reached the watermark strategy without a timestamp. Add .withTimestampAssigner((event) => event.timeMs) to the WatermarkStrategy.'
        : `The timestamp assigner returned ${String(eventTime)}; it must return epoch milliseconds as a number.`,
    );
  }

  /** @internal A fresh generator for one subtask, wrapped for idleness when set. */
  createGenerator(clock: () => number): WatermarkGenerator<T> {
    const generator = this.factory();
    return this.idlenessMs === undefined ? generator : new WatermarksWithIdleness(generator, this.idlenessMs, clock);
  }
}
