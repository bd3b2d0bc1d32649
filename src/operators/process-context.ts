// The per-record context and collector of process functions: the current record's timestamp,
// side outputs, and a collector that stamps outputs with that timestamp.

import type { OutputTag } from '../core/output-tag.js';
import type { Output } from '../core/operator.js';
import { TimestampedCollector } from './timestamped-collector.js';

export class ProcessContextBase<Out> {
  readonly collector: TimestampedCollector<Out>;

  constructor(protected readonly out: Output<Out>) {
    this.collector = new TimestampedCollector(out);
  }

  /** The current record's timestamp, or undefined when it has none. */
  get timestamp(): number | undefined {
    const ts = this.collector.timestamp;
    return Number.isNaN(ts) ? undefined : ts;
  }

  output<X>(tag: OutputTag<X>, value: X): void {
    this.out.collectSide(tag.id, value, this.collector.timestamp);
  }
}
