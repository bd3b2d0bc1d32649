// The operator at the end of a stream: hands each record to the user's SinkWriter, waiting for
// asynchronous writes before the next record, and flushes it at the end of input.

import type { Sink, SinkWriter, SinkWriterContext } from '../api/sink.js';
import { AbstractOperator, type OperatorContext, type Output } from './operator.js';

export class SinkOperator<T> extends AbstractOperator<T, never> implements SinkWriterContext {
  private writer!: SinkWriter<T>;
  private currentTimestamp = Number.NaN;

  constructor(private readonly sink: Sink<T>) {
    super();
  }

  get timestamp(): number | undefined {
    return Number.isNaN(this.currentTimestamp) ? undefined : this.currentTimestamp;
  }

  override async open(ctx: OperatorContext, output: Output<never>): Promise<void> {
    super.open(ctx, output);
    this.writer = await this.sink.createWriter({ subtask: ctx.subtask, parallelism: ctx.parallelism });
  }

  processElement(value: T, timestamp: number): void {
    this.currentTimestamp = timestamp;
    const written = this.writer.write(value, this);
    if (written !== undefined) this.ctx.waitFor(written);
  }

  override flushBuffers(): void {
    this.writer.flushBuffers?.();
  }

  override async endInput(): Promise<void> {
    await this.writer.flush?.(true);
  }

  override async close(): Promise<void> {
    await this.writer?.close?.();
  }
}
