// The sink behind executeAndCollect(): batches records, encodes them like a channel batch, and
// hands each batch to the main thread, waiting until it was taken (backpressure).

import { BatchEncoder } from '../actors/channels/frame-codec.js';
import { AbstractOperator } from './operator.js';

const BATCH = 1024;

export class CollectSinkOperator<T> extends AbstractOperator<T, never> {
  private readonly encoder = new BatchEncoder();
  private values: T[] = [];
  private timestamps = new Float64Array(BATCH);

  constructor(private readonly collectorId: number) {
    super();
  }

  processElement(value: T, timestamp: number): void {
    this.timestamps[this.values.length] = timestamp;
    this.values.push(value);
    if (this.values.length === BATCH) this.flushBuffers();
  }

  override flushBuffers(): void {
    if (this.values.length === 0) return;
    const batch = this.encoder.encode(this.values, this.timestamps, this.values.length);
    this.values = [];
    this.ctx.waitFor(this.ctx.sendToMain(this.collectorId, this.ctx.subtask, batch.slice()));
  }

  override endInput(): void {
    this.flushBuffers();
  }
}
