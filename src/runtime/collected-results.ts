// The records executeAndCollect returns, gathered in the main thread. Without checkpoints every
// batch is kept as it arrives; with them, a batch is kept once a checkpoint after it completed,
// and what came after the checkpoint a restarted job resumes from is dropped, since the job
// replays it: every record is returned once.

/** A batch that is not final yet: the newest checkpoint its sink had snapshotted before it. */
interface PendingBatch {
  readonly collector: number;
  readonly epoch: number;
  readonly values: readonly unknown[];
}

export class CollectedResults {
  /** The final records, by collector. */
  readonly records: unknown[][];
  private pending: PendingBatch[] = [];

  constructor(
    collectors: number,
    private readonly checkpointing: boolean,
    /** Called when collector 0 holds at least `limit` final records (executeAndCollect's limit). */
    private readonly limit: number | undefined,
    private readonly onLimit: () => void,
  ) {
    this.records = Array.from({ length: collectors }, () => []);
  }

  /** Whether the limit was reached: later batches are ignored. */
  get full(): boolean {
    return this.limit !== undefined && (this.records[0]?.length ?? 0) >= this.limit;
  }

  add(collector: number, values: readonly unknown[], epoch: number): void {
    if (this.full) return;
    if (this.checkpointing) this.pending.push({ collector, epoch, values });
    else this.keep(collector, values);
  }

  /** Checkpoint `checkpointId` completed: the batches before its barrier are final. */
  onCheckpointCompleted(checkpointId: number): void {
    const still: PendingBatch[] = [];
    for (const batch of this.pending) {
      if (batch.epoch < checkpointId) this.keep(batch.collector, batch.values);
      else still.push(batch);
    }
    this.pending = still;
  }

  /** The job restarts from checkpoint `checkpointId` (0: from the beginning): what came after it is replayed. */
  onRestart(checkpointId: number): void {
    this.pending = this.pending.filter((batch) => batch.epoch < checkpointId);
  }

  private keep(collector: number, values: readonly unknown[]): void {
    if (this.full) return;
    const into = this.records[collector]!;
    for (const value of values) into.push(value);
    if (collector === 0 && this.limit !== undefined && into.length >= this.limit) {
      into.length = this.limit;
      this.onLimit();
    }
  }
}
