// An actor's part in checkpoints: a source emits the barrier of a triggered checkpoint between two
// polls; any actor, once its inputs aligned a barrier, forwards it, snapshots its operators (and
// a source its reader's splits), writes the snapshot file off the hot path and acknowledges; it
// runs the completions the coordinator sends (sinks commit) between two steps of its loop.

import type { MasterEndpoint } from './thread-task.js';
import { CheckpointStorage } from '../checkpoint/checkpoint-storage.js';
import { encodeSnapshot } from '../checkpoint/snapshot-codec.js';
import { serializeError } from '../core/errors.js';
import type { SourceReader } from '../core/source.js';
import type { CheckpointBarrier } from '../core/stream-element.js';
import type { OperatorChain, OperatorSnapshot } from './operator-chain.js';
import type { CheckpointTrigger } from './thread-task.js';

/** What an actor's checkpoint file holds. */
export interface SubtaskSnapshot {
  readonly formatVersion: 1;
  readonly checkpointId: number;
  /** The chain's name ("Source -> Map"), for people reading a checkpoint. */
  readonly vertexName: string;
  readonly subtask: number;
  readonly parallelism: number;
  readonly operators: readonly OperatorSnapshot[];
  /** For a source subtask: the source's uid and its reader's splits (undefined: the reader cannot resume). */
  readonly source: { readonly uid: string; readonly splits: readonly unknown[] | undefined } | undefined;
}

/** The folders of the thread's checkpoints: a trigger may reach the thread after its barrier reached an actor. */
export class ThreadCheckpoints {
  private readonly folders = new Map<number, { readonly promise: Promise<string>; resolve(folder: string): void }>();

  /** The coordinator started checkpoint `trigger.checkpointId` in `trigger.folder`. */
  onTrigger(trigger: CheckpointTrigger): void {
    this.entry(trigger.checkpointId).resolve(trigger.folder);
  }

  /** Where the files of checkpoint `checkpointId` go, once its trigger arrived. */
  folderOf(checkpointId: number): Promise<string> {
    return this.entry(checkpointId).promise;
  }

  /** Checkpoint `checkpointId` completed or was aborted: its folder is no longer needed. */
  forget(checkpointId: number): void {
    this.folders.delete(checkpointId);
  }

  private entry(checkpointId: number): { readonly promise: Promise<string>; resolve(folder: string): void } {
    let entry = this.folders.get(checkpointId);
    if (entry === undefined) {
      let resolve!: (folder: string) => void;
      const promise = new Promise<string>((r) => (resolve = r));
      entry = { promise, resolve };
      this.folders.set(checkpointId, entry);
    }
    return entry;
  }
}

/** Who an actor is, as its checkpoint file names it. */
export interface ActorIdentity {
  readonly actor: number;
  readonly vertexId: number;
  readonly vertexName: string;
  readonly subtask: number;
  readonly parallelism: number;
}

export class ActorCheckpoints {
  /** A source's checkpoint waiting for the next poll boundary. */
  private trigger: CheckpointTrigger | undefined;
  private readonly completed: number[] = [];
  private finishRequested = false;
  /** Snapshot files being written. */
  private readonly writes = new Set<Promise<void>>();

  constructor(
    private readonly identity: ActorIdentity,
    private readonly chain: OperatorChain,
    /** The source this actor reads, with its uid; undefined for an actor reading channels. */
    private readonly source: { readonly uid: string; readonly reader: SourceReader<unknown> } | undefined,
    private readonly thread: ThreadCheckpoints,
    private readonly master: MasterEndpoint,
    /** Rings the actor's doorbell, so that a sleeping actor takes up what was asked of it. */
    private readonly wake: () => void,
  ) {}

  /** Whether the coordinator asked for something the actor has not done yet. */
  get hasWork(): boolean {
    return this.trigger !== undefined || this.completed.length > 0;
  }

  /** Whether the job's final checkpoint completed: a finished actor may close. */
  get finished(): boolean {
    return this.finishRequested && !this.hasWork;
  }

  /** Checkpoint `trigger` started: a source emits its barrier at its next step. */
  requestTrigger(trigger: CheckpointTrigger): void {
    if (this.source === undefined) return;
    this.trigger = trigger;
    this.wake();
  }

  /** Checkpoint `checkpointId` completed: the operators commit at the actor's next step. */
  requestComplete(checkpointId: number): void {
    this.completed.push(checkpointId);
    this.wake();
  }

  /** A pending source trigger of an aborted checkpoint is dropped. */
  abort(checkpointId: number): void {
    if (this.trigger?.checkpointId === checkpointId) this.trigger = undefined;
  }

  /** The final checkpoint completed. */
  requestFinish(): void {
    this.finishRequested = true;
    this.wake();
  }

  /** Does what was asked since the last step: a source's barrier, then the completions, in order. */
  async runPending(): Promise<void> {
    const trigger = this.trigger;
    if (trigger !== undefined) {
      this.trigger = undefined;
      await this.snapshot({ kind: 'barrier', checkpointId: trigger.checkpointId, timestamp: trigger.timestamp, unaligned: false }, 0);
    }
    await this.runCompletions();
  }

  /** Runs the completions received so far, oldest first (the operators commit). */
  async runCompletions(): Promise<void> {
    while (this.completed.length > 0) await this.chain.notifyCheckpointComplete(this.completed.shift()!);
  }

  /**
   * This actor's part of checkpoint `barrier`: forwards the barrier (so the next actors align
   * sooner), snapshots the operators and the reader between two records, and writes the file
   * while the actor goes on. A failure of the operators fails the job; a failure to write
   * declines the checkpoint.
   */
  async snapshot(barrier: CheckpointBarrier, alignmentMs: number): Promise<void> {
    const started = performance.now();
    const { checkpointId } = barrier;
    this.chain.forwardBarrier(barrier);
    const operators = await this.chain.snapshotState(checkpointId);
    const source = this.source === undefined ? undefined : { uid: this.source.uid, splits: this.source.reader.snapshotState?.(checkpointId) };
    const { vertexName, subtask, parallelism } = this.identity;
    const snapshot: SubtaskSnapshot = { formatVersion: 1, checkpointId, vertexName, subtask, parallelism, operators, source };
    const bytes = encodeSnapshot(snapshot);
    const statefulUids = operators.filter((op) => op.state !== undefined || (op.keyed?.length ?? 0) > 0).map((op) => op.uid);
    if (source?.splits !== undefined) statefulUids.push(source.uid);
    const write = this.write(checkpointId, bytes, statefulUids, performance.now() - started, alignmentMs);
    this.writes.add(write);
    void write.finally(() => this.writes.delete(write));
  }

  /** Waits for the files still being written (the thread must not end before they are acknowledged). */
  async drainWrites(): Promise<void> {
    while (this.writes.size > 0) await Promise.all(this.writes);
  }

  private async write(checkpointId: number, bytes: Uint8Array, statefulUids: readonly string[], syncMs: number, alignmentMs: number): Promise<void> {
    const { actor, vertexId, subtask } = this.identity;
    try {
      const folder = await this.thread.folderOf(checkpointId);
      const started = performance.now();
      const name = `subtask-${vertexId}-${subtask}.state`;
      const file = await CheckpointStorage.writeSubtaskFile(folder, name, bytes);
      await this.master.acknowledgeCheckpoint({ checkpointId, actor, file, statefulUids, syncMs, asyncMs: performance.now() - started, alignmentMs });
    } catch (error) {
      // The master may be gone (the job stopped meanwhile, its proxy released: calling it throws at
      // once): then nobody waits for this checkpoint.
      await (async () => this.master.declineCheckpoint(checkpointId, actor, serializeError(error)))().catch(() => undefined);
    }
  }
}
