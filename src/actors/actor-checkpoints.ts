// An actor's part in checkpoints: a source emits the barrier of a triggered checkpoint between two
// polls; any actor, once its inputs aligned a barrier, forwards it, snapshots its operators (and
// a source its reader's splits), encodes their keyed state key group by key group in short slices
// between the steps of its loop (the keyed state backend preserves a key the operators touch
// before its group is encoded), then writes the snapshot file off the hot path and acknowledges;
// it runs the completions the coordinator sends (sinks commit) between two steps of its loop.

import type { MasterEndpoint } from './thread-task.js';
import { CheckpointStorage } from '../checkpoint/checkpoint-storage.js';
import { serializeError } from '../core/errors.js';
import type { SourceReader } from '../core/source.js';
import type { CheckpointBarrier } from '../core/stream-element.js';
import type { OperatorChain, TakenOperatorSnapshot } from './operator-chain.js';
import { attributed } from './operator-failure.js';
import { encodePart, encodeSubtaskFile } from './subtask-snapshot.js';
import type { CheckpointTrigger } from './thread-task.js';

/** How long one step of the actor's loop may spend encoding key groups, ms. */
const ENCODE_SLICE_MS = 1;

/** A snapshot taken at its barrier whose keyed state is still being encoded. */
interface SnapshotInProgress {
  readonly checkpointId: number;
  readonly operators: readonly TakenOperatorSnapshot[];
  /** The operators' own state, encoded at the barrier. */
  readonly ownState: readonly (Uint8Array | undefined)[];
  readonly source: { readonly uid: string; readonly splits: Uint8Array | undefined } | undefined;
  /** The time the actor spent on it so far, ms. */
  syncMs: number;
  readonly alignmentMs: number;
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
  private inProgress: SnapshotInProgress | undefined;

  constructor(
    private readonly identity: ActorIdentity,
    private readonly chain: OperatorChain,
    /** The source this actor reads, with its uid; undefined for an actor reading channels. */
    private readonly source: { readonly uid: string; readonly nodeId: number; readonly reader: SourceReader<unknown> } | undefined,
    private readonly thread: ThreadCheckpoints,
    private readonly master: MasterEndpoint,
    /** Rings the actor's doorbell, so that a sleeping actor takes up what was asked of it. */
    private readonly wake: () => void,
  ) {}

  /** Whether the coordinator asked for something the actor has not done yet. */
  get hasWork(): boolean {
    return this.trigger !== undefined || this.completed.length > 0 || this.inProgress !== undefined;
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

  /**
   * Does what was asked since the last step: a slice of encoding of the snapshot in progress, a
   * source's barrier, then the completions, in order.
   */
  async runPending(): Promise<void> {
    if (this.inProgress !== undefined) this.encodeSlice(this.inProgress);
    const trigger = this.trigger;
    if (trigger !== undefined) {
      this.trigger = undefined;
      await this.snapshot({ kind: 'barrier', checkpointId: trigger.checkpointId, timestamp: trigger.timestamp, unaligned: false }, 0);
    }
    await this.runCompletions();
  }

  /** Runs the completions received so far, oldest first (the operators commit). */
  async runCompletions(): Promise<void> {
    while (this.completed.length > 0) {
      const checkpointId = this.completed.shift()!;
      await this.chain.notifyCheckpointComplete(checkpointId);
      const source = this.source;
      if (source?.reader.notifyCheckpointComplete !== undefined) await attributed(source.nodeId, () => source.reader.notifyCheckpointComplete!(checkpointId));
    }
  }

  /**
   * This actor's part of checkpoint `barrier`: forwards the barrier (so the next actors align
   * sooner), snapshots the operators and the reader between two records (their own state and the
   * splits encoded now, the keyed state as it goes on), and once all is encoded writes the file
   * while the actor goes on. A failure of the operators fails the job; a failure to write
   * declines the checkpoint.
   */
  async snapshot(barrier: CheckpointBarrier, alignmentMs: number): Promise<void> {
    if (this.inProgress !== undefined) this.finishEncoding(this.inProgress);
    const started = performance.now();
    const { checkpointId } = barrier;
    this.chain.forwardBarrier(barrier);
    const operators = await this.chain.snapshotState(checkpointId);
    const source = this.source === undefined ? undefined : { uid: this.source.uid, splits: encodePart(this.source.reader.snapshotState?.(checkpointId)) };
    const ownState = operators.map((op) => encodePart(op.state));
    const snapshot: SnapshotInProgress = { checkpointId, operators, ownState, source, syncMs: performance.now() - started, alignmentMs };
    if (operators.every((op) => op.keyed === undefined || op.keyed.complete)) this.finishEncoding(snapshot);
    else this.inProgress = snapshot;
  }

  /** Waits for the snapshot still being encoded and the files still being written (the thread must not end before they are acknowledged). */
  async drainWrites(): Promise<void> {
    if (this.inProgress !== undefined) this.finishEncoding(this.inProgress);
    while (this.writes.size > 0) await Promise.all(this.writes);
  }

  /** Encodes key groups of `snapshot` for one slice; writes it once all are. */
  private encodeSlice(snapshot: SnapshotInProgress): void {
    const started = performance.now();
    const deadline = started + ENCODE_SLICE_MS;
    let complete = true;
    for (const op of snapshot.operators) {
      if (op.keyed !== undefined && !op.keyed.step(deadline)) {
        complete = false;
        break;
      }
    }
    snapshot.syncMs += performance.now() - started;
    if (complete) this.finishEncoding(snapshot);
  }

  /** Encodes what is left of `snapshot` now and starts writing its file. */
  private finishEncoding(snapshot: SnapshotInProgress): void {
    const started = performance.now();
    if (this.inProgress === snapshot) this.inProgress = undefined;
    const { checkpointId, source } = snapshot;
    const operators = snapshot.operators.map((op, i) => ({ uid: op.uid, state: snapshot.ownState[i], keyed: op.keyed?.finish() }));
    const { vertexName, subtask, parallelism } = this.identity;
    const bytes = encodeSubtaskFile({ checkpointId, vertexName, subtask, parallelism }, operators, source);
    const statefulUids = operators.filter((op) => op.state !== undefined || (op.keyed?.length ?? 0) > 0).map((op) => op.uid);
    if (source?.splits !== undefined) statefulUids.push(source.uid);
    const syncMs = snapshot.syncMs + performance.now() - started;
    const write = this.write(checkpointId, bytes, statefulUids, syncMs, snapshot.alignmentMs);
    this.writes.add(write);
    void write.finally(() => this.writes.delete(write));
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
