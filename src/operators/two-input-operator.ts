// No-op defaults for operators with two inputs, so each writes only what it needs.

import type { OperatorContext, Output, TwoInputOperator } from './operator.js';

export abstract class AbstractTwoInputOperator<In1, In2, Out> implements TwoInputOperator<In1, In2, Out> {
  protected output!: Output<Out>;
  protected ctx!: OperatorContext;

  open(ctx: OperatorContext, output: Output<Out>): void | Promise<void> {
    this.ctx = ctx;
    this.output = output;
  }

  abstract processElement1(value: In1, timestamp: number): void;
  abstract processElement2(value: In2, timestamp: number): void;

  processWatermark(watermark: number): number | null {
    return watermark;
  }

  endInput(): void | Promise<void> {}

  flushBuffers(): void {}

  close(): void | Promise<void> {}
}
