// What a user holds of a running or finished job: the client `executeAsync()` returns, the result
// `execute()` resolves with, and the metrics of every operator subtask.

import type { ChannelMemory } from './channel-memory.js';

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
}

/** A running job (`env.executeAsync()`). */
export interface JobClient {
  readonly jobName: string;
  /** Resolves when the job ends; rejects with the failure, or with JOB_CANCELLED after cancel(). */
  readonly result: Promise<JobExecutionResult>;
  /** Stops the job; resolves once every worker has stopped. */
  cancel(): Promise<void>;
  /** Records in and out of every operator subtask so far. */
  metrics(): Promise<OperatorMetrics[]>;
}

