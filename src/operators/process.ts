// process: runs a user ProcessFunction, with open/close, the record's context and side outputs.

import type { ProcessContext, ProcessFunction } from '../core/functions.js';
import { AbstractOperator } from '../core/abstract-operator.js';
import type { OperatorContext, Output } from '../core/operator.js';
import { ProcessContextBase } from './process-context.js';
import { runtimeContext } from './runtime-context.js';

export class ProcessOperator<In, Out> extends AbstractOperator<In, Out> {
  private context!: ProcessContextBase<Out> & ProcessContext;

  constructor(private readonly fn: ProcessFunction<In, Out>) {
    super();
  }

  override async open(ctx: OperatorContext, output: Output<Out>): Promise<void> {
    super.open(ctx, output);
    this.context = new ProcessContextBase(output);
    await this.fn.open?.(runtimeContext(ctx));
  }

  processElement(value: In, timestamp: number): void {
    this.context.collector.timestamp = timestamp;
    this.fn.processElement(value, this.context, this.context.collector);
  }

  override async close(): Promise<void> {
    await this.fn.close?.();
  }
}
