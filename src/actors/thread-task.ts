// What the job master sends each worker thread, and the control interfaces both sides expose
// over comlink. Data never travels here: only deployment, failures, metrics, checkpoints (their
// triggers, acknowledgements and completion) and cancellation.

import type { MessagePort } from 'node:worker_threads';
import type { SerializedError } from '../core/errors.js';
import type { CheckpointingMode } from '../checkpoint/barrier-aligner.js';
import type { SubtaskFile } from '../checkpoint/checkpoint-storage.js';
import type { JobSource, PlanSettings } from '../core/job-plan.js';
import type { LogSettings } from '../core/log.js';
import type { NodeMetrics } from './operator-chain.js';

export interface ThreadTask {
  readonly thread: number;
  readonly job: JobSource;
  readonly jobName: string;
  /** Settings the main thread resolved, so the worker derives the very same plan. */
  readonly settings: PlanSettings;
  /** env.setAutoWatermarkInterval, ms. */
  readonly autoWatermarkInterval: number;
  /** env.enableObjectReuse(). */
  readonly objectReuse: boolean;
  /** The main thread's `PlannedJob.fingerprint`. */
  readonly fingerprint: readonly string[];
  /** Ring of every channel of the plan, by channel index. */
  readonly channelBuffers: readonly SharedArrayBuffer[];
  readonly doorbells: SharedArrayBuffer;
  /** The rings shared with the main thread (push and request sources, collectAsync sinks). */
  readonly mainThread: MainThreadRings;
  /** Source data computed in the main thread (`Source.shipped`), msgpack-encoded, by node id. */
  readonly shipped: readonly (readonly [number, Uint8Array])[];
  /** Set when the job checkpoints: how actors align barriers. */
  readonly checkpointing: { readonly mode: CheckpointingMode } | undefined;
  /** Set when the job starts from a checkpoint: the files each actor restores from. */
  readonly restore: RestoreFiles | undefined;
  /** The master's endpoint (the worker calls it). */
  readonly masterPort: MessagePort;
  /** The thread's endpoint (the master calls it). */
  readonly threadPort: MessagePort;
  /** How the main thread logs the job: the worker logs the same way (its stderr is never a terminal). */
  readonly logs: LogSettings;
}

/** Rings between the job and the main thread, by stream node id, each by subtask. */
export interface MainThreadRings {
  /** The main thread's doorbell: rung when it has output to read, or room to push again. */
  readonly actor: number;
  /** Main thread to a push or request source subtask. */
  readonly inputs: readonly (readonly [number, readonly SharedArrayBuffer[]])[];
  /** A request source subtask's replies, to the main thread. */
  readonly replies: readonly (readonly [number, readonly SharedArrayBuffer[]])[];
  /** A collectAsync sink subtask to the main thread. */
  readonly outputs: readonly (readonly [number, readonly SharedArrayBuffer[]])[];
}

/** The rings of `nodeId`'s subtasks in one set of `MainThreadRings`, by subtask (none when the node has no such rings). */
export function mainThreadRingsOf(set: MainThreadRings['inputs'], nodeId: number): readonly SharedArrayBuffer[] {
  return set.find(([id]) => id === nodeId)?.[1] ?? [];
}

/** The checkpoint a job restores from, and the files of it that each actor reads (by actor index). */
export interface RestoreFiles {
  readonly folder: string;
  readonly checkpointId: number;
  readonly actors: readonly (readonly SubtaskFile[])[];
}

/** A checkpoint (or savepoint) the coordinator started: sources emit its barrier; every actor writes its file to `folder`. */
export interface CheckpointTrigger {
  readonly checkpointId: number;
  /** When it was triggered, epoch ms. */
  readonly timestamp: number;
  readonly folder: string;
}

/** An actor took its part of a checkpoint: its file is written. */
export interface CheckpointAck {
  readonly checkpointId: number;
  readonly actor: number;
  readonly file: SubtaskFile;
  /** The uids of the operators (and the source) whose part of the snapshot holds state. */
  readonly statefulUids: readonly string[];
  /** Taking the snapshot at the barrier (the actor processed nothing meanwhile), ms. */
  readonly syncMs: number;
  /** Writing the file, while the actor went on, ms. */
  readonly asyncMs: number;
  /** From the first input's barrier to the last's, ms (0 for sources). */
  readonly alignmentMs: number;
}

/** Exposed by the job master to its workers. */
export interface MasterEndpoint {
  /** A subtask failed; the master cancels the others and fails the job. */
  reportFailure(error: SerializedError): void;
  /**
   * A batch of `executeAndCollect` results, encoded as a channel batch. `epoch` is the newest
   * checkpoint the sink had snapshotted before these records: they are final once a newer one completes.
   */
  collect(collectorId: number, batch: Uint8Array, epoch: number): void;
  acknowledgeCheckpoint(ack: CheckpointAck): void;
  /** An actor could not take or write its part of a checkpoint: the checkpoint fails, not the job. */
  declineCheckpoint(checkpointId: number, actor: number, error: SerializedError): void;
  /** A checkpointing actor's input ended and it emitted all it will: it waits for the final checkpoint. */
  actorFinished(actor: number): void;
}

/** Exposed by each worker thread to the job master. */
export interface ThreadEndpoint {
  /** Stops every actor of the thread at its next step. */
  cancel(): void;
  metrics(): ActorMetrics[];
  /** Checkpoint `trigger.checkpointId` started: sources emit its barrier. */
  triggerCheckpoint(trigger: CheckpointTrigger): void;
  /** Every actor acknowledged the checkpoint and its metadata is written: commit. */
  notifyCheckpointComplete(checkpointId: number): void;
  /** The checkpoint will not complete: stop aligning it. */
  abortCheckpoint(checkpointId: number): void;
  /** The final checkpoint completed: finished actors close. */
  finish(): void;
}

export interface ActorMetrics {
  readonly actor: number;
  readonly subtask: number;
  readonly nodes: NodeMetrics[];
  /** How the actor spent its time since it started, ms: all of it, asleep for want of input, waiting for room in a full output ring. */
  readonly times: ActorTimes;
}

/** Where an actor's time went, ms since it started; busy is the rest. */
export interface ActorTimes {
  readonly elapsedMs: number;
  readonly idleMs: number;
  readonly backPressuredMs: number;
}
