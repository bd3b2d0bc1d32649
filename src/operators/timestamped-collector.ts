// The Collector handed to user functions: emits with the timestamp of the record being processed
// (Flink's TimestampedCollector), so flatMap and process outputs keep event time.

import type { Collector } from '../core/functions.js';
import { NO_TIMESTAMP, type Output } from '../core/operator.js';

export class TimestampedCollector<T> implements Collector<T> {
  /** Timestamp of the input record currently being processed. */
  timestamp = NO_TIMESTAMP;

  constructor(private readonly output: Output<T>) {}

  collect(value: T): void {
    this.output.collect(value, this.timestamp);
  }
}
