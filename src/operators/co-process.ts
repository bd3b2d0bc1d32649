// connect(...).process / map / flatMap: a CoProcessFunction over two inputs, with open/close,
// each record's context and side outputs.

import type { CoProcessFunction } from '../core/co-functions.js';
import type { ProcessContext } from '../core/functions.js';
import { AbstractTwoInputOperator } from '../core/abstract-operator.js';
import type { OperatorContext, Output } from '../core/operator.js';
import { ProcessContextBase } from './process-context.js';
import { runtimeContext } from './runtime-context.js';

export class CoProcessOperator<In1, In2, Out> extends AbstractTwoInputOperator<In1, In2, Out> {
  private context!: ProcessContextBase<Out> & ProcessContext;

  constructor(private readonly fn: CoProcessFunction<In1, In2, Out>) {
    super();
  }

  override async open(ctx: OperatorContext, output: Output<Out>): Promise<void> {
    super.open(ctx, output);
    this.context = new ProcessContextBase(output);
    await this.fn.open?.(runtimeContext(ctx));
  }

  processElement1(value: In1, timestamp: number): void {
    this.context.collector.timestamp = timestamp;
    this.fn.processElement1(value, this.context, this.context.collector);
  }

  processElement2(value: In2, timestamp: number): void {
    this.context.collector.timestamp = timestamp;
    this.fn.processElement2(value, this.context, this.context.collector);
  }

  override async close(): Promise<void> {
    await this.fn.close?.();
  }
}
