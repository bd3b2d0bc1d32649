// What monitoring knows of one job: its state, samples of its running deployment turned into the
// REST API's figures, its checkpoints and its exceptions; and the listeners (the live stream, the
// progress bar) told after each sample. The job master feeds it; the server and the Prometheus
// collectors read it.

import { randomUUID } from 'node:crypto';
import type { CheckpointConfig } from '../../checkpoint/checkpoint-config.js';
import { StreamError } from '../../core/errors.js';
import type { PlannedJob } from '../../core/job-plan.js';
import type { CheckpointInProgress, CheckpointStats } from '../checkpoint-stats.js';
import { takeSample, type DeploymentState, type JobSample } from './job-sample.js';
import type {
  CheckpointEntry,
  CheckpointsInfo,
  ExceptionEntry,
  ExceptionsInfo,
  JobDetails,
  JobEvent,
  JobState,
  JobSummary,
  SubtaskDetails,
  VertexDetails,
  VertexSummary,
} from './rest-types.js';
import { TaskFigures, vertexFigures } from './task-figures.js';

/** Entries kept of the checkpoint history and of the exceptions. */
const HISTORY = 100;

/** What the job master lets its monitor see and do. */
export interface MonitoredJob {
  readonly jobName: string;
  readonly planned: PlannedJob;
  readonly checkpointing: CheckpointConfig | undefined;
  restarts(): number;
  checkpoints(): readonly CheckpointStats[];
  checkpointInProgress(): CheckpointInProgress | undefined;
  /** The running deployment's metrics and rings, or undefined between deployments. */
  deploymentState(): Promise<DeploymentState | undefined>;
  cancel(): Promise<void>;
  triggerSavepoint(dir: string): Promise<string>;
}

export class JobMonitor {
  /** The job's id in this process: 32 hex digits, as Flink's. */
  readonly id = randomUUID().replaceAll('-', '');
  readonly startTime = Date.now();
  private state: JobState = 'RUNNING';
  private endTime: number | null = null;
  private readonly figures: TaskFigures;
  private previous: JobSample | undefined;
  private latest: JobSample | undefined;
  private subtasks: (SubtaskDetails | undefined)[] = [];
  private stateBytes: readonly number[] | undefined;
  private readonly exceptions: ExceptionEntry[] = [];
  private readonly listeners = new Set<(event: JobEvent) => void>();
  private sampling: Promise<void> | undefined;

  constructor(readonly job: MonitoredJob) {
    this.figures = new TaskFigures(job.planned);
  }

  get ended(): boolean {
    return this.endTime !== null;
  }

  /** Samples the running deployment and tells the listeners; a sample under way is shared. */
  sample(): Promise<void> {
    this.sampling ??= this.takeSample().finally(() => (this.sampling = undefined));
    return this.sampling;
  }

  /** The job ended: the last figures are those of its final metrics. */
  finish(state: Extract<JobState, 'FINISHED' | 'FAILED' | 'CANCELED'>, last: DeploymentState | undefined): void {
    if (last !== undefined) this.record(last);
    this.state = state;
    this.endTime = Date.now();
    this.notify();
    this.listeners.clear();
  }

  /** A deployment failed; `restarted` when the job restarts after it. */
  recordException(error: Error, restarted: boolean): void {
    const stream = error instanceof StreamError ? error : undefined;
    this.exceptions.unshift({
      timestamp: Date.now(),
      name: error.name,
      message: error.message,
      stack: error.stack ?? null,
      operator: stream?.operator ?? null,
      subtask: stream?.subtask ?? null,
      restarted,
    });
    this.exceptions.length = Math.min(this.exceptions.length, HISTORY);
    if (restarted) this.state = 'RESTARTING';
  }

  /** A new deployment runs. */
  deployed(): void {
    if (!this.ended) this.state = 'RUNNING';
  }

  /** A checkpoint completed: each actor's file size is its state's size. */
  checkpointCompleted(bytesByActor: readonly number[]): void {
    this.stateBytes = bytesByActor;
  }

  /** Calls `listener` after each sample and at the end; returns the way to stop. */
  subscribe(listener: (event: JobEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  summary(): JobSummary {
    const { planned } = this.job;
    const sources = planned.nodes.filter((n) => n.kind === 'source');
    const expected = sources.map((n) => n.source?.expectedRecords);
    const subtasks = this.present();
    const sourceFigures = subtasks.flatMap((s) => s.operators).filter((o) => planned.nodes[o.id]!.kind === 'source');
    return {
      id: this.id,
      name: this.job.jobName,
      state: this.state,
      startTime: this.startTime,
      endTime: this.endTime,
      durationMs: (this.endTime ?? Date.now()) - this.startTime,
      restarts: this.job.restarts(),
      vertexCount: planned.job.vertices.length,
      subtaskCount: planned.plan.actors.length,
      recordsRead: sourceFigures.reduce((n, o) => n + o.recordsOut, 0),
      recordsReadPerSecond: sourceFigures.reduce((n, o) => n + o.recordsOutPerSecond, 0),
      recordsExpected: expected.length > 0 && expected.every((e) => e !== undefined) ? (expected as number[]).reduce((a, b) => a + b, 0) : null,
    };
  }

  details(): JobDetails {
    const { planned, checkpointing } = this.job;
    return {
      ...this.summary(),
      now: Date.now(),
      vertices: planned.job.vertices.map((v) => this.vertexSummary(v.id)),
      edges: planned.job.edges
        .filter((e) => !e.chained)
        .map((e) => ({
          source: planned.job.vertexOf[e.sourceNodeId]!,
          target: planned.job.vertexOf[e.targetNodeId]!,
          partitioning: e.kind,
          sideOutput: e.sideOutput ?? null,
          inputIndex: e.inputIndex,
        }))
        .filter((e, i, all) => all.findIndex((o) => o.source === e.source && o.target === e.target && o.sideOutput === e.sideOutput && o.inputIndex === e.inputIndex) === i),
      checkpointing: checkpointing === undefined ? null : { intervalMs: checkpointing.intervalMs, mode: checkpointing.mode },
    };
  }

  /** One vertex with its subtasks, or undefined when the job has no such vertex. */
  vertex(vertexId: number): VertexDetails | undefined {
    if (!Number.isInteger(vertexId) || this.job.planned.job.vertices[vertexId] === undefined) return undefined;
    return { ...this.vertexSummary(vertexId), jobId: this.id, now: Date.now(), subtasks: this.subtasksOf(vertexId) };
  }

  checkpointsInfo(): CheckpointsInfo {
    const actors = this.job.planned.plan.actors.length;
    const entry = (c: CheckpointStats): CheckpointEntry => ({
      id: c.checkpointId,
      savepoint: c.kind === 'savepoint',
      status: c.status === 'completed' ? 'COMPLETED' : 'FAILED',
      triggerTime: c.triggeredAt,
      durationMs: c.durationMs,
      stateBytes: c.status === 'completed' ? c.sizeBytes : null,
      alignmentMs: c.status === 'completed' ? c.alignmentMs : null,
      acknowledged: c.status === 'completed' ? actors : c.subtasks.length,
      subtasks: actors,
      failure: c.failure ?? null,
    });
    const done = this.job.checkpoints();
    const running = this.job.checkpointInProgress();
    const history = done.slice(-HISTORY).map(entry).reverse();
    if (running !== undefined) {
      history.unshift({
        id: running.checkpointId,
        savepoint: running.kind === 'savepoint',
        status: 'IN_PROGRESS',
        triggerTime: running.triggeredAt,
        durationMs: Date.now() - running.triggeredAt,
        stateBytes: null,
        alignmentMs: null,
        acknowledged: running.acknowledged,
        subtasks: actors,
        failure: null,
      });
    }
    const completed = done.filter((c) => c.status === 'completed');
    return {
      counts: { completed: completed.length, failed: done.length - completed.length, inProgress: running === undefined ? 0 : 1 },
      latestCompleted: completed.length === 0 ? null : entry(completed.at(-1)!),
      history: history.slice(0, HISTORY),
    };
  }

  exceptionsInfo(): ExceptionsInfo {
    return { entries: [...this.exceptions] };
  }

  event(): JobEvent {
    return { job: this.details(), checkpoints: this.checkpointsInfo(), exceptions: this.exceptionsInfo() };
  }

  /** Every subtask's figures of the latest sample, by actor index. */
  subtaskFigures(): readonly (SubtaskDetails | undefined)[] {
    return this.subtasks;
  }

  private async takeSample(): Promise<void> {
    if (this.ended) return;
    const state = await this.job.deploymentState();
    if (state === undefined || this.ended) return;
    this.record(state);
    this.notify();
  }

  private record(state: DeploymentState): void {
    const sample = takeSample(state, this.latest, this.job.planned.plan.actors.length);
    this.previous = this.latest?.attempt === sample.attempt ? this.latest : undefined;
    this.latest = sample;
    this.subtasks = this.figures.subtasks(sample, this.previous, this.stateBytes);
  }

  private notify(): void {
    if (this.listeners.size === 0) return;
    const event = this.event();
    for (const listener of this.listeners) listener(event);
  }

  private present(): SubtaskDetails[] {
    return this.subtasks.filter((s) => s !== undefined);
  }

  private subtasksOf(vertexId: number): SubtaskDetails[] {
    const { actors } = this.job.planned.plan;
    return this.subtasks.filter((s, actor): s is SubtaskDetails => s !== undefined && actors[actor]!.vertexId === vertexId);
  }

  private vertexSummary(vertexId: number): VertexSummary {
    const { planned } = this.job;
    const vertex = planned.job.vertices[vertexId]!;
    return {
      id: vertex.id,
      name: vertex.name,
      parallelism: vertex.parallelism,
      operators: vertex.nodeIds.map((id) => {
        const node = planned.nodes[id]!;
        return { id, name: node.name, kind: node.kind, type: node.type };
      }),
      metrics: vertexFigures(this.subtasksOf(vertexId)),
    };
  }
}
