// connect of two keyed streams .process: a KeyedCoProcessFunction whose two inputs share the
// key's state and timers (each input keyed by its own selector into the same key space).

import type { KeyedCoProcessFunction } from '../core/co-functions.js';
import type { Key } from '../core/key-groups.js';
import { KeyedFunctionHost } from './keyed-process.js';
import type { OperatorContext, Output } from '../core/operator.js';
import { runtimeContext } from './runtime-context.js';
import { AbstractTwoInputOperator } from '../core/abstract-operator.js';

export class KeyedCoProcessOperator<K extends Key, In1, In2, Out> extends AbstractTwoInputOperator<In1, In2, Out> {
  private host!: KeyedFunctionHost<K, Out>;
  private secondKey!: (value: unknown) => Key;

  constructor(private readonly fn: KeyedCoProcessFunction<K, In1, In2, Out>) {
    super();
  }

  override async open(ctx: OperatorContext, output: Output<Out>): Promise<void> {
    super.open(ctx, output);
    this.host = new KeyedFunctionHost(ctx, output, this.fn.onTimer?.bind(this.fn));
    this.secondKey = ctx.keySelector2 ?? ctx.keySelector!;
    await this.fn.open?.(runtimeContext(ctx));
  }

  processElement1(value: In1, timestamp: number): void {
    this.host.keys.setCurrentKeyOf(value);
    this.host.stamp(timestamp);
    this.fn.processElement1(value, this.host.context, this.host.context.collector);
  }

  processElement2(value: In2, timestamp: number): void {
    this.host.keys.setCurrentKeyOf(value, this.secondKey);
    this.host.stamp(timestamp);
    this.fn.processElement2(value, this.host.context, this.host.context.collector);
  }

  override processWatermark(watermark: number): number | null {
    this.host.advanceWatermark(watermark);
    return watermark;
  }

  override async close(): Promise<void> {
    await this.fn.close?.();
  }
}
