// The sink behind executeAndCollect(): batches records with their timestamps and hands each batch
// to the main thread through its context, waiting until it was taken (backpressure). Each batch
// carries the newest checkpoint it follows, so that under restarts the main thread keeps every
// record once: what came after the checkpoint a job restarts from is replayed, and dropped there.

import { AbstractOperator } from '../core/abstract-operator.js';

const BATCH = 1024;

export class CollectSinkOperator<T> extends AbstractOperator<T, never> {
  /** Records wait in the batch until it goes to the main thread. */
  readonly keepsInputRecords = true;
  private values: T[] = [];
  private readonly timestamps = new Float64Array(BATCH);
  /** The newest checkpoint this sink snapshotted (or restored from): what follows belongs to the next. */
  private epoch = 0;

  constructor(private readonly collectorId: number) {
    super();
  }

  override initializeState(states: readonly unknown[]): void {
    for (const state of states as readonly number[]) this.epoch = Math.max(this.epoch, state);
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
    this.ctx.waitFor(this.ctx.sendToMain(this.collectorId, values, this.timestamps.subarray(0, values.length), this.epoch));
  }

  /** The records before the barrier leave with the epoch they belong to; later ones belong to `checkpointId`. */
  override snapshotState(checkpointId: number): number {
    this.flushBuffers();
    this.epoch = checkpointId;
    return checkpointId;
  }

  override endInput(): void {
    this.flushBuffers();
  }
}
