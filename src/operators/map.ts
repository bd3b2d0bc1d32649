// map: one output per input, with the input's timestamp.

import { AbstractOperator } from '../core/abstract-operator.js';

export class MapOperator<In, Out> extends AbstractOperator<In, Out> {
  constructor(private readonly fn: (value: In) => Out) {
    super();
  }

  processElement(value: In, timestamp: number): void {
    this.output.collect(this.fn(value), timestamp);
  }
}
