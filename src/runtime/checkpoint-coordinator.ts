// The checkpoint coordinator of a running job, in the main thread (Flink's CheckpointCoordinator):
// triggers checkpoint n at every source at the configured interval, one at a time, collects the
// acknowledgement of every actor, completes the checkpoint by writing its _metadata, keeps the
// newest `retained`, and tells every actor it completed (sinks commit). It aborts a checkpoint
// that times out or that an actor declines, takes savepoints on request, and takes the final
// checkpoint of a bounded job once every actor's input ended.

import type { CheckpointAck, CheckpointTrigger } from '../actors/thread-task.js';
import type { CheckpointConfig } from '../checkpoint/checkpoint-config.js';
import { CheckpointStorage, type CheckpointKind, type CheckpointMetadata, type OperatorMetadata, type SubtaskFile } from '../checkpoint/checkpoint-storage.js';
import { StreamError } from '../core/errors.js';
import type { PlannedJob } from '../core/job-plan.js';
import type { Logger } from '../core/log.js';
import type { CheckpointInProgress, CheckpointStats } from './checkpoint-stats.js';

/** How the coordinator reaches the actors and the job. */
export interface CoordinatorTargets {
  trigger(trigger: CheckpointTrigger): void;
  complete(checkpointId: number): void;
  abort(checkpointId: number): void;
  /** The final checkpoint completed: finished actors close. */
  finish(): void;
  /** Checkpoints failed more often in a row than the job tolerates. */
  fail(error: StreamError): void;
  /** A checkpoint completed: what was emitted before its barrier is final. `bytesByActor`: each actor's file size. */
  completed(checkpointId: number, folder: string, bytesByActor: readonly number[]): void;
}

interface PendingCheckpoint {
  readonly id: number;
  readonly kind: CheckpointKind;
  readonly folder: string;
  readonly triggeredAt: number;
  readonly acks: Map<number, CheckpointAck>;
  readonly timeout: NodeJS.Timeout;
  readonly final: boolean;
  readonly settle?: { resolve(path: string): void; reject(error: Error): void };
}

interface Deferred {
  readonly kind: 'savepoint';
  readonly dir: string;
  readonly settle: { resolve(path: string): void; reject(error: Error): void };
}

/** Tries of the final checkpoint of a bounded job before the job fails (and restarts, under its strategy). */
const FINAL_CHECKPOINT_ATTEMPTS = 3;

export class CheckpointCoordinator {
  private nextId: number;
  private pending: PendingCheckpoint | undefined;
  /** A checkpoint is being begun (its folder created): it becomes `pending` next. */
  private triggering = false;
  private completing: Promise<void> | undefined;
  private queued: Deferred[] = [];
  private periodic: NodeJS.Timeout | undefined;
  private lastDone = 0;
  private stopped = false;
  private failuresInARow = 0;
  private finalFailures = 0;
  private readonly finished = new Set<number>();
  private finalDone = false;
  private readonly storage: CheckpointStorage;
  /** Every checkpoint and savepoint so far, oldest first. */
  readonly history: CheckpointStats[] = [];

  constructor(
    private readonly config: CheckpointConfig,
    private readonly planned: PlannedJob,
    private readonly jobName: string,
    private readonly targets: CoordinatorTargets,
    /** The id the next checkpoint takes: above every id used in the folder and the one restored. */
    firstId: number,
    /** The job's log: checkpoints triggered, completed and failed. */
    private readonly log: Logger,
  ) {
    this.storage = new CheckpointStorage(config.dir);
    this.nextId = firstId;
  }

  /** The first id above every checkpoint in `dir` and above `restoredId`. */
  /** The checkpoint under way, if any. */
  get inProgress(): CheckpointInProgress | undefined {
    const pending = this.pending;
    return pending === undefined ? undefined : { checkpointId: pending.id, kind: pending.kind, triggeredAt: pending.triggeredAt, acknowledged: pending.acks.size };
  }

  static async firstId(dir: string, restoredId: number): Promise<number> {
    return Math.max(restoredId, await new CheckpointStorage(dir).highestId()) + 1;
  }

  /** Starts the periodic checkpoints. */
  start(): void {
    this.schedule(this.config.intervalMs);
  }

  /**
   * Stops triggering. A checkpoint still waiting for acknowledgements is abandoned (its folder
   * stays incomplete); one that has them all completes (see `quiesce`), without telling the actors.
   */
  stop(): void {
    this.stopped = true;
    clearTimeout(this.periodic);
    const pending = this.pending;
    if (pending !== undefined && pending.acks.size < this.planned.plan.actors.length) {
      clearTimeout(pending.timeout);
      pending.settle?.reject(new StreamError('JOB_CANCELLED', `Savepoint ${pending.id} did not complete: the job stopped first.`, { domain: 'user' }));
      this.pending = undefined;
    }
    for (const deferred of this.queued) deferred.settle.reject(new StreamError('JOB_CANCELLED', 'The savepoint was not taken: the job stopped first.', { domain: 'user' }));
    this.queued = [];
  }

  /** Takes a savepoint into a new folder under `dir`; resolves with its path once it completed. */
  triggerSavepoint(dir: string): Promise<string> {
    return new Promise((resolve, reject) => {
      if (this.stopped || this.finalDone) {
        reject(new StreamError('INVALID_ARGUMENT', 'A savepoint needs a running job; this one has ended.', { domain: 'user' }));
        return;
      }
      this.queued.push({ kind: 'savepoint', dir, settle: { resolve, reject } });
      if (this.pending === undefined) void this.triggerNext();
    });
  }

  /** An actor's input ended and it emitted all it will: once all did, the final checkpoint follows. */
  onActorFinished(actor: number): void {
    this.finished.add(actor);
    if (this.allFinished() && this.pending === undefined) void this.triggerNext();
  }

  onAck(ack: CheckpointAck): void {
    const pending = this.pending;
    if (this.stopped || pending === undefined || ack.checkpointId !== pending.id) return;
    pending.acks.set(ack.actor, ack);
    if (pending.acks.size === this.planned.plan.actors.length) this.completing = this.complete(pending);
  }

  /**
   * Resolves once no completion is in progress. A checkpoint whose last acknowledgement came
   * before `stop` may still be writing its metadata: a restart must know whether it completed.
   */
  async quiesce(): Promise<void> {
    await this.completing;
  }

  onDecline(checkpointId: number, actor: number, reason: string): void {
    const pending = this.pending;
    if (pending === undefined || checkpointId !== pending.id) return;
    const { name, subtask } = this.describeActor(actor);
    this.failPending(pending, `"${name}" (subtask ${subtask}) declined it: ${reason}`);
  }

  private allFinished(): boolean {
    return this.finished.size === this.planned.plan.actors.length;
  }

  private schedule(delayMs: number): void {
    if (this.stopped) return;
    clearTimeout(this.periodic);
    this.periodic = setTimeout(() => {
      if (this.pending === undefined) void this.triggerNext();
    }, delayMs);
    this.periodic.unref();
  }

  /** Starts the next checkpoint: a queued savepoint, the final checkpoint, or a periodic one. */
  private async triggerNext(): Promise<void> {
    // One at a time: a second call while the first awaits its folder would take another id and replace it.
    if (this.stopped || this.pending !== undefined || this.triggering || this.finalDone) return;
    this.triggering = true;
    try {
      await this.triggerCheckpoint();
    } finally {
      this.triggering = false;
    }
  }

  private async triggerCheckpoint(): Promise<void> {
    const savepoint = this.queued.shift();
    const final = savepoint === undefined && this.allFinished();
    const id = this.nextId++;
    const kind: CheckpointKind = savepoint === undefined ? 'checkpoint' : 'savepoint';
    let folder: string;
    try {
      folder = savepoint === undefined ? await this.storage.begin(id) : await CheckpointStorage.beginSavepoint(savepoint.dir, id);
    } catch (error) {
      savepoint?.settle.reject(error as Error);
      this.recordFailure(id, kind, Date.now(), '', `its folder could not be created: ${(error as Error).message}`, final);
      this.afterCheckpoint();
      return;
    }
    if (this.stopped) return;
    const triggeredAt = Date.now();
    const timeout = setTimeout(() => {
      if (this.pending?.id === id) this.failPending(this.pending, `it did not complete within ${this.config.timeoutMs} ms (timeoutMs)`);
    }, this.config.timeoutMs);
    timeout.unref();
    this.pending = { id, kind, folder, triggeredAt, acks: new Map(), timeout, final, ...(savepoint === undefined ? {} : { settle: savepoint.settle }) };
    this.log.debug({ checkpoint: id, kind, final }, `${kind === 'savepoint' ? 'Savepoint' : 'Checkpoint'} triggered`);
    this.targets.trigger({ checkpointId: id, timestamp: triggeredAt, folder });
  }

  private async complete(pending: PendingCheckpoint): Promise<void> {
    clearTimeout(pending.timeout);
    // Complete even if the job stops meanwhile: every subtask acknowledged, so it is a whole checkpoint.
    let metadata: CheckpointMetadata;
    try {
      metadata = await CheckpointStorage.complete(pending.folder, {
        checkpointId: pending.id,
        kind: pending.kind,
        jobName: this.jobName,
        triggeredAt: pending.triggeredAt,
        completedAt: Date.now(),
        maxParallelism: this.planned.job.maxParallelism,
        operators: this.operatorMetadata(pending.acks),
      });
    } catch (error) {
      this.failPending(pending, `its metadata could not be written: ${(error as Error).message}`);
      return;
    }
    // Durable now, whatever happens next: a restart resumes from it.
    const bytesByActor: number[] = [];
    for (const ack of pending.acks.values()) bytesByActor[ack.actor] = ack.file.bytes;
    this.targets.completed(pending.id, pending.folder, bytesByActor);
    if (pending.kind === 'checkpoint') await this.storage.retain(this.config.retained).catch(() => undefined);
    if (this.pending !== pending) return;
    this.pending = undefined;
    this.failuresInARow = 0;
    const acks = [...pending.acks.values()];
    const stats: CheckpointStats = {
      checkpointId: pending.id,
      kind: pending.kind,
      status: 'completed',
      triggeredAt: pending.triggeredAt,
      durationMs: metadata.completedAt - pending.triggeredAt,
      sizeBytes: acks.reduce((n, a) => n + a.file.bytes, 0),
      alignmentMs: Math.max(0, ...acks.map((a) => a.alignmentMs)),
      subtasks: acks.map((a) => ({ ...this.describeActorShort(a.actor), syncMs: a.syncMs, asyncMs: a.asyncMs, alignmentMs: a.alignmentMs, bytes: a.file.bytes })),
      path: pending.folder,
    };
    this.history.push(stats);
    this.logCompleted(stats);
    pending.settle?.resolve(pending.folder);
    if (this.stopped) return;
    this.targets.complete(pending.id);
    if (pending.final) {
      this.finalDone = true;
      this.targets.finish();
      return;
    }
    this.afterCheckpoint();
  }

  /** After a checkpoint ended either way: the next waits for the interval, and at least minPauseMs. */
  private afterCheckpoint(): void {
    this.lastDone = Date.now();
    if (this.queued.length > 0 || this.allFinished()) {
      this.schedule(this.config.minPauseMs);
      return;
    }
    const sinceTrigger = this.lastDone - (this.history.at(-1)?.triggeredAt ?? this.lastDone);
    this.schedule(Math.max(this.config.minPauseMs, this.config.intervalMs - sinceTrigger));
  }

  private failPending(pending: PendingCheckpoint, reason: string): void {
    if (this.pending !== pending) return;
    clearTimeout(pending.timeout);
    this.pending = undefined;
    this.targets.abort(pending.id);
    if (pending.kind === 'checkpoint') void this.storage.discard(pending.id).catch(() => undefined);
    pending.settle?.reject(new StreamError('CHECKPOINT_FAILED', `Savepoint ${pending.id} failed: ${reason}.`, { domain: 'external' }));
    this.recordFailure(pending.id, pending.kind, pending.triggeredAt, pending.folder, reason, pending.final);
    this.afterCheckpoint();
  }

  private recordFailure(id: number, kind: CheckpointKind, triggeredAt: number, path: string, reason: string, final: boolean): void {
    this.history.push({ checkpointId: id, kind, status: 'failed', triggeredAt, durationMs: Date.now() - triggeredAt, sizeBytes: 0, alignmentMs: 0, subtasks: [], path, failure: reason });
    this.log.warn({ code: 'EDDY_CHECKPOINT_FAILED', checkpoint: id, kind, reason }, `Checkpoint ${id} of job "${this.jobName}" failed: ${reason}.`);
    if (kind !== 'checkpoint') return;
    this.failuresInARow++;
    if (this.failuresInARow > this.config.tolerableFailures) {
      this.targets.fail(
        new StreamError(
          'CHECKPOINT_FAILED',
          `${this.failuresInARow} checkpoints in a row failed, more than the ${this.config.tolerableFailures} the job tolerates (tolerableFailures); the last: ${reason}.`,
          { domain: 'external' },
        ),
      );
    } else if (final && ++this.finalFailures >= FINAL_CHECKPOINT_ATTEMPTS) {
      // A bounded job cannot end without its final checkpoint (its sinks' last transactions commit
      // with it): retrying forever would hang the job on a storage that stays broken.
      this.targets.fail(
        new StreamError(
          'CHECKPOINT_FAILED',
          `The final checkpoint of the job failed ${this.finalFailures} times, and the job's last output commits only with it; the last failure: ${reason}.`,
          { domain: 'external' },
        ),
      );
    }
  }

  private logCompleted({ checkpointId, kind, durationMs, sizeBytes, alignmentMs, path }: CheckpointStats): void {
    const fields = { checkpoint: checkpointId, durationMs, sizeBytes, alignmentMs };
    if (kind === 'savepoint') this.log.info({ ...fields, path }, 'Savepoint completed');
    else this.log.info(fields, 'Checkpoint completed');
  }

  /** Every operator (and source) that holds state in some subtask, with the file of each of its subtasks. */
  private operatorMetadata(acks: ReadonlyMap<number, CheckpointAck>): OperatorMetadata[] {
    const { nodes, uids, job, plan } = this.planned;
    const stateful = new Set([...acks.values()].flatMap((ack) => ack.statefulUids));
    const filesOfVertex = new Map<number, SubtaskFile[]>();
    for (const spec of plan.actors) {
      const files = filesOfVertex.get(spec.vertexId) ?? [];
      files[spec.subtask] = acks.get(spec.index)!.file;
      filesOfVertex.set(spec.vertexId, files);
    }
    return nodes
      .filter((node) => stateful.has(uids[node.id]!))
      .map((node) => ({ uid: uids[node.id]!, name: node.name, parallelism: job.parallelism[node.id]!, files: filesOfVertex.get(job.vertexOf[node.id]!)! }));
  }

  private describeActor(actor: number): { name: string; subtask: number } {
    const spec = this.planned.plan.actors[actor]!;
    return { name: this.planned.job.vertices[spec.vertexId]!.name, subtask: spec.subtask };
  }

  private describeActorShort(actor: number): { operator: string; subtask: number } {
    const { name, subtask } = this.describeActor(actor);
    return { operator: name, subtask };
  }
}
