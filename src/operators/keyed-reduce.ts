// KeyedStream.reduce/sum/min/max: a rolling reduce that keeps one value per key in keyed state
// (held per key group) and emits every update, with the input record's timestamp.

import type { ValueState } from '../core/state.js';
import { ValueStateDescriptor } from '../core/state-descriptors.js';
import { AbstractOperator } from '../core/abstract-operator.js';
import type { OperatorContext, Output } from '../core/operator.js';
import { KeyContext } from './key-context.js';

/** How a rolling reduce makes a key's first result and folds each next record into it. */
export interface RollingReduce<T> {
  /** The result of a key's first record (checked, or a copy to update in place); the record itself when absent. */
  readonly first?: (record: T) => T;
  readonly reduce: (acc: T, next: T) => T;
}

export class KeyedReduceOperator<T> extends AbstractOperator<T, T> {
  private keys!: KeyContext;
  private state!: ValueState<T>;
  private rolling!: RollingReduce<T>;

  /** `rollingFor` gives the reduce for the operator's context (an aggregation updates its result in place under object reuse). */
  constructor(private readonly rollingFor: (ctx: OperatorContext) => RollingReduce<T>) {
    super();
  }

  override open(ctx: OperatorContext, output: Output<T>): void {
    super.open(ctx, output);
    this.rolling = this.rollingFor(ctx);
    this.keys = new KeyContext(ctx);
    this.state = this.keys.backend.getState(new ValueStateDescriptor<T>('rolling-reduce'));
  }

  processElement(value: T, timestamp: number): void {
    this.keys.setCurrentKeyOf(value);
    const current = this.state.value();
    const { first, reduce } = this.rolling;
    const next = current !== undefined ? reduce(current, value) : first === undefined ? value : first(value);
    // The state holds `current` already when the reduce returned it (updated in place, or a min
    // that did not change): no second write. The state has no TTL that a write would refresh.
    if (next !== current) this.state.update(next);
    this.output.collect(next, timestamp);
  }
}
