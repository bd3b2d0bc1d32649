// process: runs a user ProcessFunction, with open/close and the record's context.

import type { ProcessContext, ProcessFunction } from '../api/functions.js';
import { AbstractOperator, type OperatorContext, type Output } from './operator.js';
import { TimestampedCollector } from './timestamped-collector.js';

export class ProcessOperator<In, Out> extends AbstractOperator<In, Out> implements ProcessContext {
  private collector!: TimestampedCollector<Out>;

  constructor(private readonly fn: ProcessFunction<In, Out>) {
    super();
  }

  get timestamp(): number | undefined {
    const ts = this.collector.timestamp;
    return Number.isNaN(ts) ? undefined : ts;
  }

  override async open(ctx: OperatorContext, output: Output<Out>): Promise<void> {
    super.open(ctx, output);
    this.collector = new TimestampedCollector(output);
    await this.fn.open?.({
      indexOfThisSubtask: ctx.subtask,
      numberOfParallelSubtasks: ctx.parallelism,
      taskName: ctx.operatorName,
    });
  }

  processElement(value: In, timestamp: number): void {
    this.collector.timestamp = timestamp;
    this.fn.processElement(value, this, this.collector);
  }

  override async close(): Promise<void> {
    await this.fn.close?.();
  }
}
