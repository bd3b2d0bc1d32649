// The sinks that hand records to the main thread that embeds the job: collectAsync() (every
// record, in order per subtask, through a bounded ring) and reply() (the answer to the request
// whose record is going through the chain).

import { AbstractOperator } from '../core/abstract-operator.js';
import type { MainThreadOutput } from '../core/main-thread-io.js';
import type { OperatorContext, Output } from '../core/operator.js';

export class CollectAsyncSinkOperator<T> extends AbstractOperator<T, never> {
  /** Records wait in the ring's batch until it flushes. */
  readonly keepsInputRecords = true;
  private out: MainThreadOutput | undefined;

  override open(ctx: OperatorContext, output: Output<never>): void {
    super.open(ctx, output);
    this.out = ctx.mainThreadOutput();
  }

  processElement(value: T, timestamp: number): void {
    this.out!.collect(value, timestamp);
  }

  override flushBuffers(): void {
    this.out!.flush();
  }

  override endInput(): void {
    this.out!.end();
  }
}

export class ReplySinkOperator<T> extends AbstractOperator<T, never> {
  /** Replies wait in the ring's batch until it flushes. */
  readonly keepsInputRecords = true;
  processElement(value: T): void {
    this.ctx.reply(value);
  }
}
