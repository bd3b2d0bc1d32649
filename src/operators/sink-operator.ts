// The operator at the end of a stream: hands each record to the user's SinkWriter, waiting for
// asynchronous writes before the next record, flushes it at the end of input, and runs the
// sink's two-phase commit: committables prepared at each checkpoint, committed when it completes.

import { AbstractOperator } from '../core/abstract-operator.js';
import { StreamError } from '../core/errors.js';
import { NO_TIMESTAMP, type OperatorContext, type Output } from '../core/operator.js';
import type { Committer, Sink, SinkWriter, SinkWriterContext } from '../core/sink.js';

/** What a sink's snapshot holds: the committables of each checkpoint not known to be committed. */
interface SinkSnapshot {
  readonly pending: [checkpointId: number, committables: unknown[]][];
}

export class SinkOperator<T> extends AbstractOperator<T, never> implements SinkWriterContext {
  private writer!: SinkWriter<T, unknown>;
  private committer: Committer<unknown> | undefined;
  private currentTimestamp = NO_TIMESTAMP;
  /** Committables by checkpoint id, prepared and not yet committed (restored ones included). */
  private readonly pending = new Map<number, unknown[]>();

  constructor(private readonly sink: Sink<T, unknown>) {
    super();
  }

  get timestamp(): number | undefined {
    return Number.isNaN(this.currentTimestamp) ? undefined : this.currentTimestamp;
  }

  override initializeState(states: readonly unknown[]): void {
    for (const state of states as readonly SinkSnapshot[]) {
      for (const [checkpointId, committables] of state.pending) this.pending.set(checkpointId, [...(this.pending.get(checkpointId) ?? []), ...committables]);
    }
  }

  override async open(ctx: OperatorContext, output: Output<never>): Promise<void> {
    super.open(ctx, output);
    const init = { subtask: ctx.subtask, parallelism: ctx.parallelism };
    this.committer = await this.sink.createCommitter?.(init);
    // What a restored checkpoint prepared is committed before the writer starts (and before it
    // could, say, reuse the transactional ids of what is still pending).
    if (this.pending.size > 0) {
      if (this.committer === undefined) throw this.noCommitter('the checkpoint it is restored from holds commits for it');
      await this.commitUpTo(Number.POSITIVE_INFINITY);
    }
    this.writer = await this.sink.createWriter(init);
    if (typeof this.writer.prepareCommit === 'function' && this.committer === undefined) throw this.noCommitter('its writer has prepareCommit');
  }

  processElement(value: T, timestamp: number): void {
    this.currentTimestamp = timestamp;
    const written = this.writer.write(value, this);
    if (written !== undefined) this.ctx.waitFor(written);
  }

  override flushBuffers(): void {
    this.writer.flushBuffers?.();
  }

  override async endInput(): Promise<void> {
    await this.writer.flush?.(true);
    // Without checkpoints nothing else would commit: the last transaction commits now (checkpoint id 0).
    if (!this.ctx.checkpointing && this.writer.prepareCommit !== undefined) {
      await this.committer!.commit(await this.writer.prepareCommit(0));
    }
  }

  override async snapshotState(checkpointId: number): Promise<SinkSnapshot | undefined> {
    if (this.writer.prepareCommit === undefined) return undefined;
    this.pending.set(checkpointId, await this.writer.prepareCommit(checkpointId));
    return { pending: [...this.pending] };
  }

  override async notifyCheckpointComplete(checkpointId: number): Promise<void> {
    await this.commitUpTo(checkpointId);
  }

  override async close(): Promise<void> {
    await this.writer?.close?.();
  }

  private noCommitter(why: string): StreamError {
    return new StreamError(
      'INVALID_ARGUMENT',
      `The sink of "${this.ctx.operatorName}" has no createCommitter(), but ${why}: give the sink a createCommitter() that commits what prepareCommit returns.`,
    );
  }

  /** Commits, oldest first, what the checkpoints up to `checkpointId` prepared. */
  private async commitUpTo(checkpointId: number): Promise<void> {
    const due = [...this.pending].filter(([id]) => id <= checkpointId).sort(([a], [b]) => a - b);
    for (const [id, committables] of due) {
      await this.committer!.commit(committables);
      this.pending.delete(id);
    }
  }
}
