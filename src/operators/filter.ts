// filter: keeps the records for which the predicate is true.

import { AbstractOperator } from '../core/abstract-operator.js';

export class FilterOperator<T> extends AbstractOperator<T, T> {
  constructor(private readonly predicate: (value: T) => boolean) {
    super();
  }

  processElement(value: T, timestamp: number): void {
    if (this.predicate(value)) this.output.collect(value, timestamp);
  }
}
