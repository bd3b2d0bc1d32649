// The job master, in the main thread: turns a StreamGraph into a plan, allocates the rings and
// doorbells, starts one piscina task per worker thread, and watches the job: collects results,
// answers metrics, cancels, and on any failure stops every actor and reports the cause.

import { MessageChannel, type MessagePort } from 'node:worker_threads';
import { availableParallelism } from 'node:os';
import * as Comlink from 'comlink';
import { BatchDecoder, BatchEncoder } from '../actors/channels/batch-codec.js';
import { Doorbells } from '../actors/channels/doorbell.js';
import { RingBuffer } from '../actors/channels/ring-buffer.js';
import type { ActorMetrics, MasterEndpoint, ThreadEndpoint, ThreadTask } from '../actors/thread-task.js';
import type { ExecutionPlan, JobGraph, JobSource, PlannedJob, PlanSettings, StreamNode } from '../core/job-plan.js';
import { describeSubtask, deserializeError, StreamError, type SerializedError } from '../core/errors.js';
import type { JobClient, JobExecutionResult, OperatorMetrics } from './job-client.js';
import { sizeChannels, warnIfFarAboveCores, type ChannelMemory } from './channel-memory.js';
import { createWorkerPool, type WorkerPool } from './pool.js';

/** How long cancelled actors get to stop by themselves before their threads are terminated. */
const STOP_GRACE_MS = 1000;

export interface JobSubmission {
  /** The job as planned in the main thread; every worker plans it again with `settings`. */
  readonly planned: PlannedJob;
  readonly settings: PlanSettings;
  readonly jobName: string;
  readonly job: JobSource;
  /** Number of executeAndCollect sinks, and the record limit of the first. */
  readonly collectors: number;
  readonly collectLimit: number | undefined;
  readonly autoWatermarkInterval: number;
  /** env.setChannelMemory: the budget for the rings of all channels, bytes. */
  readonly channelMemoryBytes: number;
}

interface ThreadHandle {
  readonly endpoint: Comlink.Remote<ThreadEndpoint>;
  readonly ports: MessagePort[];
}

export class JobMaster implements JobClient {
  readonly jobName: string;
  readonly result: Promise<JobExecutionResult>;
  private readonly nodes: readonly StreamNode[];
  private readonly job: JobGraph;
  private readonly plan: ExecutionPlan;
  private readonly channelMemory: ChannelMemory;
  private readonly pool: WorkerPool;
  private readonly threads: ThreadHandle[] = [];
  private readonly collected: unknown[][];
  private readonly decoder = new BatchDecoder();
  private readonly started = performance.now();
  private failure: Error | undefined;
  private cancelRequested = false;
  private limitReached = false;
  private finalMetrics: ActorMetrics[] = [];
  private stopTimer: NodeJS.Timeout | undefined;

  constructor(private readonly submission: JobSubmission) {
    this.jobName = submission.jobName;
    this.nodes = submission.planned.nodes;
    this.job = submission.planned.job;
    this.plan = submission.planned.plan;
    const maxParallelism = Math.max(...this.job.vertices.map((v) => v.parallelism));
    // Refused here, before any worker starts, when the channels cannot get their minimum.
    this.channelMemory = sizeChannels(this.plan.channels.length, submission.channelMemoryBytes, maxParallelism);
    warnIfFarAboveCores(maxParallelism, availableParallelism());
    this.collected = Array.from({ length: submission.collectors }, () => []);
    this.pool = createWorkerPool(this.plan.threads);
    this.result = this.deploy();
  }

  async cancel(): Promise<void> {
    this.cancelRequested = true;
    this.result.catch(() => undefined);
    this.stopAll();
    await this.result.then(
      () => undefined,
      () => undefined,
    );
  }

  async metrics(): Promise<OperatorMetrics[]> {
    const perThread = await Promise.all(this.threads.map((t) => t.endpoint.metrics().catch(() => [])));
    return this.summarise(perThread.flat());
  }

  private async deploy(): Promise<JobExecutionResult> {
    const channelBuffers = this.plan.channels.map(() => RingBuffer.allocate(this.channelMemory.bytesPerChannel));
    const doorbells = Doorbells.allocate(this.plan.actors.length);
    // Shipped data travels in the records' own encoding: a batch of one value.
    const encoder = new BatchEncoder();
    const shipped = this.nodes.flatMap((n) => (n.source?.shipped === undefined ? [] : [[n.id, encoder.encode([n.source.shipped], null, 1).slice()] as const]));
    const master: MasterEndpoint = {
      reportFailure: (error: SerializedError) => this.fail(deserializeError(error)),
      collect: (collectorId, batch) => this.collect(collectorId, batch),
    };
    const tasks: Promise<void>[] = [];
    for (let thread = 0; thread < this.plan.threads; thread++) {
      const toMaster = new MessageChannel();
      const toThread = new MessageChannel();
      Comlink.expose(master, toMaster.port1 as unknown as Comlink.Endpoint);
      const endpoint = Comlink.wrap<ThreadEndpoint>(toThread.port2 as unknown as Comlink.Endpoint);
      this.threads.push({ endpoint, ports: [toMaster.port1, toThread.port2] });
      const task: ThreadTask = {
        thread,
        job: this.submission.job,
        jobName: this.jobName,
        settings: this.submission.settings,
        autoWatermarkInterval: this.submission.autoWatermarkInterval,
        fingerprint: this.submission.planned.fingerprint,
        channelBuffers,
        doorbells,
        shipped,
        masterPort: toMaster.port2,
        threadPort: toThread.port1,
      };
      tasks.push(
        this.pool.run(task, [toMaster.port2, toThread.port1]).then(
          (metrics) => {
            this.finalMetrics.push(...metrics);
          },
          (error: unknown) => this.fail(this.threadDied(thread, error)),
        ),
      );
    }
    await Promise.all(tasks);
    await this.shutdown();
    if (this.failure !== undefined) throw this.failure;
    if (this.cancelRequested && !this.limitReached) {
      throw new StreamError('JOB_CANCELLED', `Job "${this.jobName}" was cancelled.`, { domain: 'user' });
    }
    return {
      jobName: this.jobName,
      netRuntimeMs: performance.now() - this.started,
      metrics: this.summarise(this.finalMetrics),
      collected: this.collected,
      channelMemory: this.channelMemory,
    };
  }

  private collect(collectorId: number, batch: Uint8Array): void {
    if (this.limitReached) return;
    const into = this.collected[collectorId]!;
    for (const value of this.decoder.decode(batch).values) into.push(value);
    const limit = this.submission.collectLimit;
    if (collectorId === 0 && limit !== undefined && into.length >= limit && !this.limitReached) {
      into.length = limit;
      this.limitReached = true;
      this.cancelRequested = true;
      this.stopAll();
    }
  }

  private fail(error: Error): void {
    if (this.failure !== undefined || (this.cancelRequested && error instanceof StreamError && error.code === 'WORKER_DIED')) return;
    this.failure = error;
    this.stopAll();
  }

  /** Asks every actor to stop; threads that do not stop in time are terminated. */
  private stopAll(): void {
    for (const thread of this.threads) thread.endpoint.cancel().catch(() => undefined);
    this.stopTimer ??= setTimeout(() => void this.pool.destroy(), STOP_GRACE_MS).unref();
  }

  private async shutdown(): Promise<void> {
    clearTimeout(this.stopTimer);
    for (const thread of this.threads) {
      thread.endpoint[Comlink.releaseProxy]();
      for (const port of thread.ports) port.close();
    }
    await this.pool.destroy();
  }

  private threadDied(thread: number, error: unknown): StreamError {
    const names = this.plan.actors
      .filter((a) => a.thread === thread)
      .map((a) => `${this.job.vertices[a.vertexId]!.name} (${describeSubtask(a.subtask, a.parallelism)})`);
    const reason = error instanceof Error ? error.message : String(error);
    return new StreamError(
      'WORKER_DIED',
      `A worker thread died while running ${names.join(', ')}: ${reason}. ` +
        'Look for process.exit() or unbounded memory use in the operators it ran.',
      { domain: 'user', cause: error },
    );
  }

  private summarise(metrics: readonly ActorMetrics[]): OperatorMetrics[] {
    return metrics
      .flatMap((a) => a.nodes.map((n) => ({ ...n, name: this.nodes[n.nodeId]!.name, subtask: a.subtask })))
      .sort((a, b) => a.nodeId - b.nodeId || a.subtask - b.subtask)
      .map(({ name, subtask, recordsIn, recordsOut, lateRecordsDropped, keyedStateKeys }) => ({ name, subtask, recordsIn, recordsOut, lateRecordsDropped, keyedStateKeys }));
  }
}
