// KeyedStream.process: runs a KeyedProcessFunction with keyed state, event- and processing-time
// timers (fired in timestamp order with their key current) and side outputs.

import type { Collector, KeyedProcessFunction, OnTimerContext, TimerService } from '../api/functions.js';
import type { Key } from '../graph/key-groups.js';
import { InternalTimerService } from '../state/timer-service.js';
import { KeyContext } from './key-context.js';
import { AbstractOperator, type OperatorContext, type Output } from './operator.js';
import { ProcessContextBase } from './process-context.js';
import { runtimeContext } from './runtime-context.js';

/** Timers of a keyed process function live in one namespace. */
const TIMERS = '';

export class KeyedProcessContext<K extends Key, Out> extends ProcessContextBase<Out> implements OnTimerContext<K>, TimerService {
  timeDomain: 'event-time' | 'processing-time' = 'event-time';

  constructor(
    out: Output<Out>,
    private readonly keys: KeyContext,
    private readonly timers: InternalTimerService<string>,
  ) {
    super(out);
  }

  getCurrentKey(): K {
    return this.keys.currentKey() as K;
  }

  timerService(): TimerService {
    return this;
  }

  currentWatermark(): number {
    return this.timers.currentWatermark();
  }

  currentProcessingTime(): number {
    return this.timers.currentProcessingTime();
  }

  registerEventTimeTimer(time: number): void {
    this.timers.registerEventTimeTimer(TIMERS, time);
  }

  registerProcessingTimeTimer(time: number): void {
    this.timers.registerProcessingTimeTimer(TIMERS, time);
  }

  deleteEventTimeTimer(time: number): void {
    this.timers.deleteEventTimeTimer(TIMERS, time);
  }

  deleteProcessingTimeTimer(time: number): void {
    this.timers.deleteProcessingTimeTimer(TIMERS, time);
  }
}

/**
 * What a keyed user function runs with: the key context and state backend, the timer service,
 * and the context object handed to processElement and onTimer. Shared by the one- and two-input
 * keyed process operators.
 */
export class KeyedFunctionHost<K extends Key, Out> {
  readonly keys: KeyContext;
  readonly context: KeyedProcessContext<K, Out>;
  private readonly timers: InternalTimerService<string>;

  constructor(
    ctx: OperatorContext,
    output: Output<Out>,
    onTimer: ((timestamp: number, ctx: OnTimerContext<K>, out: Collector<Out>) => void) | undefined,
  ) {
    this.keys = new KeyContext(ctx);
    const fire = (time: number, domain: 'event-time' | 'processing-time'): void => {
      if (onTimer === undefined) return;
      this.context.timeDomain = domain;
      this.context.collector.timestamp = domain === 'event-time' ? time : Number.NaN;
      onTimer(time, this.context, this.context.collector);
    };
    this.timers = new InternalTimerService<string>(this.keys, ctx.processingTime, {
      onEventTime: (time) => fire(time, 'event-time'),
      onProcessingTime: (time) => fire(time, 'processing-time'),
    });
    this.context = new KeyedProcessContext(output, this.keys, this.timers);
  }

  /** Sets the record's timestamp on the context; the caller made its key current. */
  stamp(timestamp: number): void {
    this.context.collector.timestamp = timestamp;
  }

  advanceWatermark(watermark: number): void {
    this.timers.advanceWatermark(watermark);
  }
}

export class KeyedProcessOperator<K extends Key, In, Out> extends AbstractOperator<In, Out> {
  private host!: KeyedFunctionHost<K, Out>;

  constructor(private readonly fn: KeyedProcessFunction<K, In, Out>) {
    super();
  }

  override async open(ctx: OperatorContext, output: Output<Out>): Promise<void> {
    super.open(ctx, output);
    this.host = new KeyedFunctionHost(ctx, output, this.fn.onTimer?.bind(this.fn));
    await this.fn.open?.(runtimeContext(ctx, this.host.keys.backend));
  }

  processElement(value: In, timestamp: number): void {
    this.host.keys.setCurrentKeyOf(value);
    this.host.stamp(timestamp);
    this.fn.processElement(value, this.host.context, this.host.context.collector);
  }

  override processWatermark(watermark: number): number | null {
    this.host.advanceWatermark(watermark);
    return watermark;
  }

  override async close(): Promise<void> {
    await this.fn.close?.();
  }
}
