// flatMap: zero or more outputs per input, through a Collector, with the input's timestamp.

import type { Collector } from '../core/functions.js';
import { AbstractOperator } from '../core/abstract-operator.js';
import type { OperatorContext, Output } from '../core/operator.js';
import { TimestampedCollector } from './timestamped-collector.js';

export class FlatMapOperator<In, Out> extends AbstractOperator<In, Out> {
  private collector!: TimestampedCollector<Out>;

  constructor(private readonly fn: (value: In, out: Collector<Out>) => void) {
    super();
  }

  override open(ctx: OperatorContext, output: Output<Out>): void {
    super.open(ctx, output);
    this.collector = new TimestampedCollector(output);
  }

  processElement(value: In, timestamp: number): void {
    this.collector.timestamp = timestamp;
    this.fn(value, this.collector);
  }
}
