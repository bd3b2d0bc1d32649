// The sink behind executeAndCollect(): batches records with their timestamps and hands each batch
// to the main thread through its context, waiting until it was taken (backpressure).

import { AbstractOperator } from '../core/abstract-operator.js';

const BATCH = 1024;

export class CollectSinkOperator<T> extends AbstractOperator<T, never> {
  private values: T[] = [];
  private readonly timestamps = new Float64Array(BATCH);

  constructor(private readonly collectorId: number) {
    super();
  }

  processElement(value: T, timestamp: number): void {
    this.timestamps[this.values.length] = timestamp;
    this.values.push(value);
    if (this.values.length === BATCH) this.flushBuffers();
  }

  override flushBuffers(): void {
    const values = this.values;
    if (values.length === 0) return;
    this.values = [];
    this.ctx.waitFor(this.ctx.sendToMain(this.collectorId, values, this.timestamps.subarray(0, values.length)));
  }

  override endInput(): void {
    this.flushBuffers();
  }
}
