// KeyedStream.process: runs a KeyedProcessFunction with keyed state, event- and processing-time
// timers (fired in timestamp order with their key current) and side outputs.

import { AbstractOperator } from '../core/abstract-operator.js';
import type { Collector, KeyedProcessFunction, OnTimerContext, TimerService } from '../core/functions.js';
import type { Key } from '../core/key-groups.js';
import { NO_TIMESTAMP, type OperatorContext, type Output } from '../core/operator.js';
import type { InternalTimerService } from '../core/timers.js';
import { KeyContext } from './key-context.js';
import { NamespacedTimers } from './namespaced-timers.js';
import { ProcessContextBase } from './process-context.js';
import { runtimeContext } from './runtime-context.js';

/** Timers of a keyed process function live in one namespace. */
const TIMERS = '';

export class KeyedProcessContext<K extends Key, Out> extends ProcessContextBase<Out> implements OnTimerContext<K> {
  timeDomain: 'event-time' | 'processing-time' = 'event-time';
  private readonly timers: TimerService;

  constructor(
    out: Output<Out>,
    private readonly keys: KeyContext,
    timers: InternalTimerService<string>,
  ) {
    super(out);
    this.timers = new NamespacedTimers(timers, TIMERS);
  }

  getCurrentKey(): K {
    return this.keys.currentKey() as K;
  }

  timerService(): TimerService {
    return this.timers;
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
      this.context.collector.timestamp = domain === 'event-time' ? time : NO_TIMESTAMP;
      onTimer(time, this.context, this.context.collector);
    };
    this.timers = ctx.timerService<string>({
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
    await this.fn.open?.(runtimeContext(ctx));
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
