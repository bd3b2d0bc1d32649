// KeyedStream.process: runs a KeyedProcessFunction with keyed state, event- and processing-time
// timers (fired in timestamp order with their key current) and side outputs.

import type { KeyedProcessFunction, OnTimerContext, TimerService } from '../api/functions.js';
import type { Key } from '../graph/key-groups.js';
import { InternalTimerService } from '../state/timer-service.js';
import { KeyContext } from './key-context.js';
import { AbstractOperator, type OperatorContext, type Output } from './operator.js';
import { ProcessContextBase } from './process-context.js';
import { runtimeContext } from './runtime-context.js';

/** Timers of a keyed process function live in one namespace. */
const TIMERS = '';

class KeyedProcessContext<K extends Key, Out> extends ProcessContextBase<Out> implements OnTimerContext<K>, TimerService {
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

export class KeyedProcessOperator<K extends Key, In, Out> extends AbstractOperator<In, Out> {
  private keys!: KeyContext;
  private timers!: InternalTimerService<string>;
  private context!: KeyedProcessContext<K, Out>;

  constructor(private readonly fn: KeyedProcessFunction<K, In, Out>) {
    super();
  }

  override async open(ctx: OperatorContext, output: Output<Out>): Promise<void> {
    super.open(ctx, output);
    this.keys = new KeyContext(ctx);
    this.timers = new InternalTimerService<string>(this.keys, ctx.processingTime, {
      onEventTime: (time) => this.onTimer(time, 'event-time'),
      onProcessingTime: (time) => this.onTimer(time, 'processing-time'),
    });
    this.context = new KeyedProcessContext(output, this.keys, this.timers);
    await this.fn.open?.(runtimeContext(ctx, this.keys.backend));
  }

  processElement(value: In, timestamp: number): void {
    this.keys.setCurrentKeyOf(value);
    this.context.collector.timestamp = timestamp;
    this.fn.processElement(value, this.context, this.context.collector);
  }

  override processWatermark(watermark: number): number | null {
    this.timers.advanceWatermark(watermark);
    return watermark;
  }

  override async close(): Promise<void> {
    await this.fn.close?.();
  }

  private onTimer(time: number, domain: 'event-time' | 'processing-time'): void {
    if (this.fn.onTimer === undefined) return;
    this.context.timeDomain = domain;
    this.context.collector.timestamp = domain === 'event-time' ? time : Number.NaN;
    this.fn.onTimer(time, this.context, this.context.collector);
  }
}
