// KeyedStream.reduce/sum/min/max: a rolling reduce that keeps one value per key in keyed state
// (held per key group) and emits every update, with the input record's timestamp.

import type { ValueState } from '../core/state.js';
import { ValueStateDescriptor } from '../core/state-descriptors.js';
import { AbstractOperator } from '../core/abstract-operator.js';
import type { OperatorContext, Output } from '../core/operator.js';
import { KeyContext } from './key-context.js';

export class KeyedReduceOperator<T> extends AbstractOperator<T, T> {
  private keys!: KeyContext;
  private state!: ValueState<T>;
  private reduce!: (acc: T, next: T) => T;

  /**
   * `reduceFor` gives the reduce function for the operator's context (an aggregation updates its
   * result in place under object reuse); `check` validates a key's first record (an
   * aggregation's field), which reduce never sees.
   */
  constructor(
    private readonly reduceFor: (ctx: OperatorContext) => (acc: T, next: T) => T,
    private readonly check: ((first: T) => void) | undefined,
  ) {
    super();
  }

  override open(ctx: OperatorContext, output: Output<T>): void {
    super.open(ctx, output);
    this.reduce = this.reduceFor(ctx);
    this.keys = new KeyContext(ctx);
    this.state = this.keys.backend.getState(new ValueStateDescriptor<T>('rolling-reduce'));
  }

  processElement(value: T, timestamp: number): void {
    this.keys.setCurrentKeyOf(value);
    const current = this.state.value();
    let next: T;
    if (current === undefined) {
      this.check?.(value);
      next = value;
    } else {
      next = this.reduce(current, value);
    }
    // The state holds `current` already when the reduce returned it (updated in place, or a min
    // that did not change): no second write. The state has no TTL that a write would refresh.
    if (next !== current) this.state.update(next);
    this.output.collect(next, timestamp);
  }
}
