// intervalJoin: joins each left record with the right records of the same key whose timestamps
// lie in [left + lower, left + upper] (Flink's IntervalJoinOperator): both sides buffered per key
// and timestamp, matched on arrival, results stamped max(left, right), buffers cleared by
// event-time timers once no later match is possible; records behind the watermark are late.

import type { ProcessJoinContext, ProcessJoinFunction } from '../core/co-functions.js';
import { StreamError } from '../core/errors.js';
import type { Key } from '../core/key-groups.js';
import { MapStateDescriptor } from '../core/state-descriptors.js';
import type { MapState } from '../core/state.js';
import type { InternalTimerService } from '../core/timers.js';
import { KeyContext } from './key-context.js';
import type { OperatorContext, Output } from '../core/operator.js';
import { TimestampedCollector } from './timestamped-collector.js';
import { AbstractTwoInputOperator } from '../core/abstract-operator.js';

type Side = 'left' | 'right';

export class IntervalJoinOperator<L, R, Out> extends AbstractTwoInputOperator<L, R, Out> implements ProcessJoinContext {
  private keys!: KeyContext;
  private secondKey!: (value: unknown) => Key;
  private timers!: InternalTimerService<Side>;
  private buffers!: Record<Side, MapState<number, unknown[]>>;
  private collector!: TimestampedCollector<Out>;
  leftTimestamp = 0;
  rightTimestamp = 0;

  /** `lower` and `upper` are inclusive, in ms, relative to the left record's timestamp. */
  constructor(
    private readonly lower: number,
    private readonly upper: number,
    private readonly fn: ProcessJoinFunction<L, R, Out>,
  ) {
    super();
  }

  get timestamp(): number {
    return Math.max(this.leftTimestamp, this.rightTimestamp);
  }

  override open(ctx: OperatorContext, output: Output<Out>): void {
    super.open(ctx, output);
    this.keys = new KeyContext(ctx);
    this.secondKey = ctx.keySelector2 ?? ctx.keySelector!;
    this.collector = new TimestampedCollector(output);
    this.buffers = {
      left: this.keys.backend.getMapState(new MapStateDescriptor<number, unknown[]>('interval-join-left')),
      right: this.keys.backend.getMapState(new MapStateDescriptor<number, unknown[]>('interval-join-right')),
    };
    this.timers = ctx.timerService<Side>({
      onEventTime: (time, _key, side) => this.cleanUp(time, side),
      onProcessingTime: () => undefined,
    });
  }

  processElement1(value: L, timestamp: number): void {
    this.keys.setCurrentKeyOf(value);
    this.process(value, timestamp, 'left', this.lower, this.upper);
  }

  processElement2(value: R, timestamp: number): void {
    this.keys.setCurrentKeyOf(value, this.secondKey);
    this.process(value, timestamp, 'right', -this.upper, -this.lower);
  }

  override processWatermark(watermark: number): number | null {
    this.timers.advanceWatermark(watermark);
    return watermark;
  }

  private process(value: unknown, timestamp: number, side: Side, lower: number, upper: number): void {
    if (Number.isNaN(timestamp)) {
      throw new StreamError(
        'INVALID_GRAPH',
        'An interval join needs event timestamps on both inputs. Assign them with assignTimestampsAndWatermarks(...) or env.fromSource(source, strategy, name).',
      );
    }
    if (timestamp < this.timers.currentWatermark()) {
      this.ctx.metrics.lateRecordsDropped++;
      return;
    }
    const ours = this.buffers[side];
    const bucket = ours.get(timestamp);
    if (bucket === undefined) ours.put(timestamp, [value]);
    else bucket.push(value);
    const other = side === 'left' ? this.buffers.right : this.buffers.left;
    for (const [otherTimestamp, values] of other.entries()) {
      if (otherTimestamp < timestamp + lower || otherTimestamp > timestamp + upper) continue;
      for (const match of values) {
        if (side === 'left') this.emit(value as L, match as R, timestamp, otherTimestamp);
        else this.emit(match as L, value as R, otherTimestamp, timestamp);
      }
    }
    this.timers.registerEventTimeTimer(side, upper > 0 ? timestamp + upper : timestamp);
  }

  private emit(left: L, right: R, leftTimestamp: number, rightTimestamp: number): void {
    this.leftTimestamp = leftTimestamp;
    this.rightTimestamp = rightTimestamp;
    this.collector.timestamp = this.timestamp;
    this.fn(left, right, this, this.collector);
  }

  /** Flink's cleanup: the bucket whose last possible match the watermark has passed. */
  private cleanUp(time: number, side: Side): void {
    if (side === 'left') this.buffers.left.remove(this.upper <= 0 ? time : time - this.upper);
    else this.buffers.right.remove(this.lower <= 0 ? time + this.lower : time);
  }
}
