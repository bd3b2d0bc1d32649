// What a user holds of a running or finished job: the client `executeAsync()` returns, the result
// `execute()` resolves with, and the metrics of every operator subtask.

import type { ChannelMemory } from './channel-memory.js';
import type { CheckpointStats } from './checkpoint-stats.js';

/** Records in and out of one operator subtask. */
export interface OperatorMetrics {
  readonly name: string;
  readonly subtask: number;
  readonly recordsIn: number;
  readonly recordsOut: number;
  /** Records an event-time operator dropped as late (Flink's numLateRecordsDropped). */
  readonly lateRecordsDropped: number;
  /** Keys the operator holds keyed state for (at the end of the job: keys whose state was not cleared). */
  readonly keyedStateKeys: number;
  /** Records a source dropped because they could not be read (a Kafka source with onDeserializationError: 'skip'). */
  readonly recordsSkipped: number;
}

/** What a finished job reports. */
export interface JobExecutionResult {
  readonly jobName: string;
  /** Wall-clock time from deployment to the end, in ms. */
  readonly netRuntimeMs: number;
  readonly metrics: readonly OperatorMetrics[];
  /** Records gathered by executeAndCollect sinks, by collector. */
  readonly collected: readonly unknown[][];
  /** The rings of the job's channels: how many, how large, within which budget (env.setChannelMemory). */
  readonly channelMemory: ChannelMemory;
  /** Every checkpoint and savepoint the job took or tried, oldest first (none without checkpointing). */
  readonly checkpoints: readonly CheckpointStats[];
  /** How often the job restarted after a failure (its restart strategy). */
  readonly restarts: number;
}

/** A running job (`env.executeAsync()`). */
export interface JobClient {
  readonly jobName: string;
  /** The job's id in this process: the REST API's `/jobs/:id` and the dashboard's. */
  readonly id: string;
  /** The dashboard's address (`http://127.0.0.1:8081/`) when the web UI is on, else undefined. */
  readonly webUI: string | undefined;
  /** Resolves when the job ends; rejects with the failure, or with JOB_CANCELLED after cancel(). */
  readonly result: Promise<JobExecutionResult>;
  /** Stops the job; resolves once every worker has stopped. */
  cancel(): Promise<void>;
  /** Records in and out of every operator subtask so far. */
  metrics(): Promise<OperatorMetrics[]>;
  /** The checkpoints and savepoints so far, oldest first. */
  checkpoints(): readonly CheckpointStats[];
  /**
   * Takes a savepoint into a new folder under `dir` (a checkpoint that is never deleted) and
   * resolves with its path once it completed; the job runs on. Needs checkpointing enabled.
   */
  triggerSavepoint(dir: string): Promise<string>;
  /**
   * Takes a savepoint, lets sinks commit what it covers, then stops the job (its result resolves);
   * resolves with the savepoint's path. `env.restoreFrom(path)` continues the job from it.
   */
  stopWithSavepoint(dir: string): Promise<string>;
}

