// The job master, in the main thread: sizes the job's channels, deploys its actors (restored from
// a checkpoint when asked), runs the checkpoint coordinator, gathers collected results, links the
// main-thread ends of push and request sources and collectAsync sinks to each deployment, and
// watches the job: on a failure it stops every actor and either fails the job with the cause or,
// under its restart strategy, deploys it again from the newest completed checkpoint.

import { availableParallelism } from 'node:os';
import { setTimeout as sleep } from 'node:timers/promises';
import { Doorbells } from '../actors/channels/doorbell.js';
import type { ActorMetrics } from '../actors/thread-task.js';
import { BatchDecoder } from '../actors/channels/batch-codec.js';
import type { CheckpointConfig, RestartStrategy } from '../checkpoint/checkpoint-config.js';
import { readCheckpoint } from '../checkpoint/checkpoint-storage.js';
import { StreamError } from '../core/errors.js';
import type { JobSource, PlannedJob, PlanSettings, StreamNode } from '../core/job-plan.js';
import { failureFields, jobLogger, type Logger, type LogSettings } from '../core/log.js';
import { sizeChannels, warnIfFarAboveCores, type ChannelMemory } from './channel-memory.js';
import { CheckpointCoordinator } from './checkpoint-coordinator.js';
import type { CheckpointStats } from './checkpoint-stats.js';
import { CollectedResults } from './collected-results.js';
import type { MainThreadEndpoint } from './main-thread-link.js';
import { MainThreadPump } from './main-thread-pump.js';
import { allocateMainThreadRings, countMainThreadRings, type DeploymentMainThreadRings } from './main-thread-rings.js';
import { Deployment } from './deployment.js';
import { createWorkerPool, type WorkerPool } from './pool.js';
import type { JobClient, JobExecutionResult, OperatorMetrics } from './job-client.js';
import { checkRestore, planRestoreFiles, type RestoreSource } from './restore-plan.js';
import type { DeploymentState } from './monitor/job-sample.js';
import { JobMonitor } from './monitor/job-monitor.js';
import { monitoredJobs } from './monitor/monitored-jobs.js';

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
  /** env.enableObjectReuse(). */
  readonly objectReuse: boolean;
  /** env.setChannelMemory: the budget for the rings of all channels, bytes. */
  readonly channelMemoryBytes: number;
  readonly checkpointing: CheckpointConfig | undefined;
  readonly restartStrategy: RestartStrategy;
  /** env.restoreFrom: the checkpoint or savepoint the job starts from. */
  readonly restoreFrom: RestoreSource | undefined;
  /** The main thread's ends of push and request sources and collectAsync sinks. */
  readonly mainThreadEndpoints: readonly MainThreadEndpoint[];
  /** The dashboard's address, when the web UI is on. */
  readonly webUI: string | undefined;
  /** How the job logs (env.setLogLevel, EDDY_LOG_LEVEL, EDDY_LOG_FORMAT), here and in its workers. */
  readonly logs: LogSettings;
}

/** How one deployment ended. */
interface AttemptOutcome {
  readonly metrics: ActorMetrics[];
  readonly failure: Error | undefined;
  /** The deployment's final state, for monitoring (none when it never started). */
  readonly final: DeploymentState | undefined;
}

/** How often a savepoint request looks for the coordinator of the next deployment. */
const COORDINATOR_POLL_MS = 5;

export class JobMaster implements JobClient {
  readonly jobName: string;
  readonly result: Promise<JobExecutionResult>;
  readonly webUI: string | undefined;
  private readonly monitor: JobMonitor;
  /** Deployments so far: the current one's number. */
  private attempt = -1;
  private readonly nodes: readonly StreamNode[];
  private readonly channelMemory: ChannelMemory;
  private readonly collected: CollectedResults;
  private readonly decoder = new BatchDecoder();
  private readonly started = performance.now();
  private readonly checkpointHistory: CheckpointStats[] = [];
  private deployment: Deployment | undefined;
  private coordinator: CheckpointCoordinator | undefined;
  private attemptFailure: Error | undefined;
  private cancelRequested = false;
  /** The job stops without failing: the collect limit was reached, or a stop-with-savepoint completed. */
  private stopRequested = false;
  private restarts = 0;
  private ended = false;
  /** The last deployment's final metrics and rings, for monitoring's last figures. */
  private lastState: DeploymentState | undefined;
  /** The newest checkpoint completed while the job ran: where a restart resumes from. */
  private latestCompleted: { readonly id: number; readonly folder: string } | undefined;
  private lastCheckpointId: number;
  private readonly log: Logger;
  /** The worker pool started with the job, until its first deployment takes it. */
  private firstPool: WorkerPool | undefined;

  constructor(private readonly submission: JobSubmission) {
    this.jobName = submission.jobName;
    this.nodes = submission.planned.nodes;
    const { job, plan } = submission.planned;
    const maxParallelism = Math.max(...job.vertices.map((v) => v.parallelism));
    // Refused here, before any worker starts: channels that cannot get their minimum, a checkpoint that does not fit.
    this.channelMemory = sizeChannels(plan.channels.length + countMainThreadRings(submission.planned), submission.channelMemoryBytes, maxParallelism);
    if (submission.restoreFrom !== undefined) checkRestore(submission.restoreFrom, submission.planned);
    // The threads boot (tens of ms each) while the rest of the job is set up, from here on
    // (measured: 2-10 ms less start-up, `npm run bench -- startup`).
    const pool = createWorkerPool(plan.threads);
    this.firstPool = pool;
    try {
      this.log = jobLogger(this.jobName, submission.logs.level);
      warnIfFarAboveCores(maxParallelism, availableParallelism(), this.log);
      this.lastCheckpointId = submission.restoreFrom?.metadata.checkpointId ?? 0;
      this.collected = new CollectedResults(submission.collectors, submission.checkpointing !== undefined, submission.collectLimit, () => this.stop());
      this.webUI = submission.webUI;
      this.monitor = new JobMonitor({
        jobName: this.jobName,
        planned: submission.planned,
        checkpointing: submission.checkpointing,
        restarts: () => this.restarts,
        checkpoints: () => this.checkpoints(),
        checkpointInProgress: () => this.coordinator?.inProgress,
        deploymentState: () => this.deploymentState(),
        cancel: () => this.cancel(),
        triggerSavepoint: (dir) => this.triggerSavepoint(dir),
      });
    } catch (error) {
      void pool.destroy();
      throw error;
    }
    monitoredJobs.add(this.monitor);
    this.result = this.run();
  }

  /** The job's id in this process: the REST API's and the dashboard's. */
  get id(): string {
    return this.monitor.id;
  }

  async cancel(): Promise<void> {
    this.cancelRequested = true;
    this.result.catch(() => undefined);
    this.deployment?.stop();
    await this.result.then(
      () => undefined,
      () => undefined,
    );
  }

  async metrics(): Promise<OperatorMetrics[]> {
    return this.summarise((await this.deployment?.metrics()) ?? []);
  }

  checkpoints(): readonly CheckpointStats[] {
    return [...this.checkpointHistory, ...(this.coordinator?.history ?? [])];
  }

  async triggerSavepoint(dir: string): Promise<string> {
    return (await this.runningCoordinator('triggerSavepoint')).triggerSavepoint(dir);
  }

  async stopWithSavepoint(dir: string): Promise<string> {
    const path = await (await this.runningCoordinator('stopWithSavepoint')).triggerSavepoint(dir);
    this.stop();
    await this.result.catch(() => undefined);
    return path;
  }

  /** The coordinator of the current deployment; between two deployments (starting, restarting) it waits for the next. */
  private async runningCoordinator(method: string): Promise<CheckpointCoordinator> {
    if (this.submission.checkpointing === undefined) {
      throw new StreamError(
        'INVALID_ARGUMENT',
        `${method}() needs a job that checkpoints: call env.enableCheckpointing(intervalMs) before executeAsync().`,
        { domain: 'user' },
      );
    }
    while (this.coordinator === undefined) {
      if (this.ended) throw new StreamError('INVALID_ARGUMENT', `${method}() needs a running job; job "${this.jobName}" has ended.`, { domain: 'user' });
      await sleep(COORDINATOR_POLL_MS);
    }
    return this.coordinator;
  }

  /** The job ends without failing: actors stop at their next step (after committing what completed). */
  private stop(): void {
    this.stopRequested = true;
    this.deployment?.stop();
  }

  /** The running deployment's metrics and rings, for monitoring. */
  private async deploymentState(): Promise<DeploymentState | undefined> {
    const deployment = this.deployment;
    if (deployment === undefined) return undefined;
    const attempt = this.attempt;
    const actors = await deployment.metrics();
    return this.deployment === deployment ? { attempt, actors, channelBuffers: deployment.channelBuffers } : undefined;
  }

  private async run(): Promise<JobExecutionResult> {
    const { job, plan } = this.submission.planned;
    this.log.info({ vertices: job.vertices.length, subtasks: plan.actors.length, threads: plan.threads, restoredFrom: this.submission.restoreFrom?.folder }, 'Job started');
    try {
      const result = await this.runAttempts();
      this.endMainThreadEndpoints(undefined);
      this.monitor.finish('FINISHED', this.lastState);
      this.log.info({ durationMs: Math.round(result.netRuntimeMs), restarts: this.restarts }, 'Job finished');
      return result;
    } catch (error) {
      const cancelled = error instanceof StreamError && error.code === 'JOB_CANCELLED';
      this.endMainThreadEndpoints(cancelled ? undefined : (error as Error));
      this.monitor.finish(cancelled ? 'CANCELED' : 'FAILED', this.lastState);
      if (cancelled) this.log.info('Job cancelled');
      else this.log.error({ ...failureFields(error), restarts: this.restarts }, 'Job failed');
      throw error;
    } finally {
      this.ended = true;
      // Unused when the job failed before its first deployment.
      void this.firstPool?.destroy();
    }
  }

  private endMainThreadEndpoints(failure: Error | undefined): void {
    for (const endpoint of this.submission.mainThreadEndpoints) endpoint.end(failure);
  }

  private async runAttempts(): Promise<JobExecutionResult> {
    let restore = this.submission.restoreFrom;
    for (;;) {
      const { metrics, failure, final } = await this.runAttempt(restore);
      this.lastState = final ?? this.lastState;
      if (this.cancelRequested && !this.stopRequested) throw new StreamError('JOB_CANCELLED', `Job "${this.jobName}" was cancelled.`, { domain: 'user' });
      if (failure === undefined || this.stopRequested) return this.resultOf(metrics);
      const restarting = this.mayRestart(failure);
      this.monitor.recordException(failure, restarting);
      if (!restarting) throw failure;
      this.restarts++;
      const strategy = this.submission.restartStrategy as Extract<RestartStrategy, { type: 'fixed-delay' }>;
      this.log.warn({ ...failureFields(failure), restart: this.restarts, attempts: strategy.attempts, delayMs: strategy.delayMs, fromCheckpoint: this.latestCompleted?.id }, 'Restarting after a failure');
      if (strategy.delayMs > 0) await sleep(strategy.delayMs);
      if (this.cancelRequested) throw new StreamError('JOB_CANCELLED', `Job "${this.jobName}" was cancelled.`, { domain: 'user' });
      if (this.latestCompleted !== undefined) {
        const checkpoint = await readCheckpoint(this.latestCompleted.folder);
        restore = { ...checkpoint, allowNonRestoredState: false };
      }
      this.collected.onRestart(restore?.metadata.checkpointId ?? 0);
    }
  }

  /** A checkpoint that does not fit the job (STATE_MISMATCH) fails it again on every restart: it fails the job at once. */
  private mayRestart(failure: Error): boolean {
    const strategy = this.submission.restartStrategy;
    const hopeless = failure instanceof StreamError && failure.code === 'STATE_MISMATCH';
    return strategy.type === 'fixed-delay' && this.restarts < strategy.attempts && !this.cancelRequested && !hopeless;
  }

  private async runAttempt(restore: RestoreSource | undefined): Promise<AttemptOutcome> {
    const { submission } = this;
    this.attemptFailure = undefined;
    let firstCheckpointId: number;
    try {
      firstCheckpointId = await this.firstCheckpointId(restore);
    } catch (error) {
      return { metrics: [], failure: error as Error, final: undefined };
    }
    const mainThread = allocateMainThreadRings(submission.planned, this.channelMemory.bytesPerChannel);
    const pool = this.firstPool ?? createWorkerPool(submission.planned.plan.threads);
    this.firstPool = undefined;
    const deployment = new Deployment(
      pool,
      {
        planned: submission.planned,
        settings: submission.settings,
        jobName: this.jobName,
        job: submission.job,
        autoWatermarkInterval: submission.autoWatermarkInterval,
        objectReuse: submission.objectReuse,
        ringBytes: this.channelMemory.bytesPerChannel,
        checkpointing: submission.checkpointing?.mode,
        restore: restore === undefined ? undefined : planRestoreFiles(restore, submission.planned),
        mainThread,
        logs: submission.logs,
      },
      {
        // Messages of an earlier deployment may still arrive (comlink's ports are not ordered with
        // the threads' ends): only the current one's count.
        failed: (error) => current() && this.fail(error),
        collect: (collectorId, batch, epoch) => current() && this.collected.add(collectorId, this.decoder.decode(batch).values, epoch),
        acknowledged: (ack) => current() && this.coordinator?.onAck(ack),
        declined: (checkpointId, actor, error) => current() && this.coordinator?.onDecline(checkpointId, actor, error.message),
        actorFinished: (actor) => current() && this.coordinator?.onActorFinished(actor),
      },
    );
    const current = (): boolean => this.deployment === deployment;
    this.attempt++;
    this.deployment = deployment;
    this.monitor.deployed();
    if (this.cancelRequested || this.stopRequested) deployment.stop();
    const coordinator = this.startCoordinator(deployment, firstCheckpointId);
    const pump = this.startPump(mainThread);
    const metrics = await deployment.done;
    pump?.stop();
    await pump?.done;
    for (const endpoint of submission.mainThreadEndpoints) endpoint.detach(this.attemptFailure);
    coordinator?.stop();
    await coordinator?.quiesce();
    if (coordinator !== undefined) this.checkpointHistory.push(...coordinator.history);
    this.coordinator = undefined;
    await deployment.shutdown();
    return { metrics, failure: this.attemptFailure, final: { attempt: this.attempt, actors: metrics, channelBuffers: deployment.channelBuffers } };
  }

  /** Links the main-thread ends of push and request sources and collectAsync sinks to the deployment's rings, and runs them. */
  private startPump(mainThread: DeploymentMainThreadRings): MainThreadPump | undefined {
    const endpoints = this.submission.mainThreadEndpoints;
    if (endpoints.length === 0) return undefined;
    const bells = new Doorbells(mainThread.doorbells);
    const pump = new MainThreadPump(bells, mainThread.rings.actor, endpoints, (error) => this.fail(error));
    const link = { planned: this.submission.planned, rings: mainThread.rings, bells, wake: () => pump.wake(), fail: (error: Error) => this.fail(error) };
    for (const endpoint of endpoints) endpoint.attach(link);
    return pump;
  }

  /** Above every id this job used, the restored one and every one in the checkpoint folder (which it reads: it may fail). */
  private async firstCheckpointId(restore: RestoreSource | undefined): Promise<number> {
    const config = this.submission.checkpointing;
    if (config === undefined) return 0;
    return CheckpointCoordinator.firstId(config.dir, Math.max(this.lastCheckpointId, restore?.metadata.checkpointId ?? 0));
  }

  private startCoordinator(deployment: Deployment, firstId: number): CheckpointCoordinator | undefined {
    const config = this.submission.checkpointing;
    if (config === undefined) return undefined;
    const coordinator = new CheckpointCoordinator(config, this.submission.planned, this.jobName, {
      trigger: (trigger) => {
        this.lastCheckpointId = Math.max(this.lastCheckpointId, trigger.checkpointId);
        deployment.trigger(trigger);
      },
      complete: (checkpointId) => deployment.complete(checkpointId),
      abort: (checkpointId) => deployment.abort(checkpointId),
      finish: () => deployment.finish(),
      fail: (error) => this.fail(error),
      completed: (checkpointId, folder, bytesByActor) => {
        this.latestCompleted = { id: checkpointId, folder };
        this.monitor.checkpointCompleted(bytesByActor);
        this.collected.onCheckpointCompleted(checkpointId);
      },
    }, firstId, this.log);
    this.coordinator = coordinator;
    coordinator.start();
    return coordinator;
  }

  /** The first failure of a deployment stops all of it. */
  private fail(error: Error): void {
    if (this.attemptFailure !== undefined || this.cancelRequested || this.stopRequested) return;
    this.attemptFailure = error;
    this.coordinator?.stop();
    this.deployment?.stop();
  }

  private resultOf(metrics: readonly ActorMetrics[]): JobExecutionResult {
    return {
      jobName: this.jobName,
      netRuntimeMs: performance.now() - this.started,
      metrics: this.summarise(metrics),
      collected: this.collected.records,
      channelMemory: this.channelMemory,
      checkpoints: this.checkpoints(),
      restarts: this.restarts,
    };
  }

  private summarise(metrics: readonly ActorMetrics[]): OperatorMetrics[] {
    return metrics
      .flatMap((a) => a.nodes.map((n) => ({ ...n, name: this.nodes[n.nodeId]!.name, subtask: a.subtask })))
      .sort((a, b) => a.nodeId - b.nodeId || a.subtask - b.subtask)
      .map(({ name, subtask, recordsIn, recordsOut, lateRecordsDropped, keyedStateKeys, recordsSkipped }) => ({ name, subtask, recordsIn, recordsOut, lateRecordsDropped, keyedStateKeys, recordsSkipped }));
  }
}
