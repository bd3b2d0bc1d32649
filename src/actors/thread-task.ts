// What the job master sends each worker thread, and the control interfaces both sides expose
// over comlink. Data never travels here: only deployment, failures, metrics and cancellation.

import type { MessagePort } from 'node:worker_threads';
import type { SerializedError } from '../core/errors.js';
import type { JobSource, PlanSettings } from '../core/job-plan.js';
import type { NodeMetrics } from './operator-chain.js';

export interface ThreadTask {
  readonly thread: number;
  readonly job: JobSource;
  readonly jobName: string;
  /** Settings the main thread resolved, so the worker derives the very same plan. */
  readonly settings: PlanSettings;
  /** env.setAutoWatermarkInterval, ms. */
  readonly autoWatermarkInterval: number;
  /** The main thread's `PlannedJob.fingerprint`. */
  readonly fingerprint: readonly string[];
  /** Ring of every channel of the plan, by channel index. */
  readonly channelBuffers: readonly SharedArrayBuffer[];
  readonly doorbells: SharedArrayBuffer;
  /** Source data computed in the main thread (`Source.shipped`), msgpack-encoded, by node id. */
  readonly shipped: readonly (readonly [number, Uint8Array])[];
  /** The master's endpoint (the worker calls it). */
  readonly masterPort: MessagePort;
  /** The thread's endpoint (the master calls it). */
  readonly threadPort: MessagePort;
}

/** Exposed by the job master to its workers. */
export interface MasterEndpoint {
  /** A subtask failed; the master cancels the others and fails the job. */
  reportFailure(error: SerializedError): void;
  /** A batch of `executeAndCollect` results, encoded as a channel batch. */
  collect(collectorId: number, batch: Uint8Array): void;
}

/** Exposed by each worker thread to the job master. */
export interface ThreadEndpoint {
  /** Stops every actor of the thread at its next step. */
  cancel(): void;
  metrics(): ActorMetrics[];
}

export interface ActorMetrics {
  readonly actor: number;
  readonly subtask: number;
  readonly nodes: NodeMetrics[];
}
