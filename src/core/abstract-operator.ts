// No-op defaults of the operator contract, so an operator writes only what it needs (most write
// `processElement` alone): one base for what one- and two-input operators share.

import type { OperatorContext, Output, StreamOperator } from './operator.js';

/** The defaults every operator shares: it forwards watermarks and keeps no state of its own. */
export abstract class OperatorBase<Out> implements StreamOperator<Out> {
  protected output!: Output<Out>;
  protected ctx!: OperatorContext;

  initializeState(_states: readonly unknown[]): void {}

  open(ctx: OperatorContext, output: Output<Out>): void | Promise<void> {
    this.ctx = ctx;
    this.output = output;
  }

  processWatermark(watermark: number): number | null {
    return watermark;
  }

  endInput(): void | Promise<void> {}

  flushBuffers(): void {}

  snapshotState(_checkpointId: number): unknown {
    return undefined;
  }

  notifyCheckpointComplete(_checkpointId: number): void | Promise<void> {}

  close(): void | Promise<void> {}
}

/** A one-input operator: write `processElement`, override what else it needs. */
export abstract class AbstractOperator<In, Out> extends OperatorBase<Out> {
  abstract processElement(value: In, timestamp: number): void;
}

/** A two-input operator: write `processElement1` and `processElement2`. */
export abstract class AbstractTwoInputOperator<In1, In2, Out> extends OperatorBase<Out> {
  abstract processElement1(value: In1, timestamp: number): void;
  abstract processElement2(value: In2, timestamp: number): void;
}
