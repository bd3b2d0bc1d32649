// One deployment of a job's actors: allocates the rings and doorbells, starts a piscina pool with
// one long-running task per worker thread (restored from a checkpoint when given one), relays the
// master's control calls to every thread over comlink, and ends when every thread ended. A job
// that restarts after a failure gets a new deployment.

import { MessageChannel, type MessagePort } from 'node:worker_threads';
import * as Comlink from 'comlink';
import { BatchEncoder } from '../actors/channels/batch-codec.js';
import { RingBuffer } from '../actors/channels/ring-buffer.js';
import type { ActorMetrics, CheckpointAck, CheckpointTrigger, MasterEndpoint, RestoreFiles, ThreadEndpoint, ThreadTask } from '../actors/thread-task.js';
import type { CheckpointingMode } from '../checkpoint/barrier-aligner.js';
import { describeSubtask, deserializeError, StreamError, type SerializedError } from '../core/errors.js';
import type { JobSource, PlannedJob, PlanSettings } from '../core/job-plan.js';
import type { LogSettings } from '../core/log.js';
import type { DeploymentMainThreadRings } from './main-thread-rings.js';
import type { WorkerPool } from './pool.js';

/** How long stopped actors get to stop by themselves before their threads are terminated. */
const STOP_GRACE_MS = 1000;

/** What a deployment reports to the job master. */
export interface DeploymentEvents {
  /** A subtask failed, a thread died, or a thread could not load the job. */
  failed(error: Error): void;
  collect(collectorId: number, batch: Uint8Array, epoch: number): void;
  acknowledged(ack: CheckpointAck): void;
  declined(checkpointId: number, actor: number, error: StreamError): void;
  actorFinished(actor: number): void;
}

export interface DeploymentSpec {
  readonly planned: PlannedJob;
  readonly settings: PlanSettings;
  readonly jobName: string;
  readonly job: JobSource;
  readonly autoWatermarkInterval: number;
  readonly objectReuse: boolean;
  /** Ring capacity of every channel. */
  readonly ringBytes: number;
  readonly checkpointing: CheckpointingMode | undefined;
  readonly restore: RestoreFiles | undefined;
  /** The rings shared with the main thread, and the doorbells (the main thread's included). */
  readonly mainThread: DeploymentMainThreadRings;
  /** How the job logs, in the main thread and so in the workers. */
  readonly logs: LogSettings;
}

interface ThreadHandle {
  readonly endpoint: Comlink.Remote<ThreadEndpoint>;
  readonly ports: MessagePort[];
}

export class Deployment {
  /** Resolves with the actors' final metrics once every thread ended, whatever the reason. */
  readonly done: Promise<ActorMetrics[]>;
  /** The ring of every channel of the plan, by channel index (read by monitoring). */
  readonly channelBuffers: readonly SharedArrayBuffer[];
  private readonly threads: ThreadHandle[] = [];
  private stopTimer: NodeJS.Timeout | undefined;
  private stopping = false;

  /** `pool`: started with `createWorkerPool(spec.planned.plan.threads)`; the deployment destroys it. */
  constructor(
    private readonly pool: WorkerPool,
    private readonly spec: DeploymentSpec,
    private readonly events: DeploymentEvents,
  ) {
    this.channelBuffers = spec.planned.plan.channels.map(() => RingBuffer.allocate(spec.ringBytes));
    this.done = this.deploy();
  }

  /** Every thread's metrics now. */
  async metrics(): Promise<ActorMetrics[]> {
    return (await Promise.all(this.threads.map(async (t) => t.endpoint.metrics()).map((m) => m.catch(() => [])))).flat();
  }

  trigger(trigger: CheckpointTrigger): void {
    this.tell((t) => t.triggerCheckpoint(trigger));
  }

  complete(checkpointId: number): void {
    this.tell((t) => t.notifyCheckpointComplete(checkpointId));
  }

  abort(checkpointId: number): void {
    this.tell((t) => t.abortCheckpoint(checkpointId));
  }

  finish(): void {
    this.tell((t) => t.finish());
  }

  /** Asks every actor to stop; threads that do not stop in time are terminated. */
  stop(): void {
    this.stopping = true;
    this.tell((t) => t.cancel());
    this.stopTimer ??= setTimeout(() => void this.pool.destroy(), STOP_GRACE_MS).unref();
  }

  /** Releases the ports and the threads. */
  async shutdown(): Promise<void> {
    clearTimeout(this.stopTimer);
    for (const thread of this.threads) {
      thread.endpoint[Comlink.releaseProxy]();
      for (const port of thread.ports) port.close();
    }
    await this.pool.destroy();
  }

  private tell(call: (endpoint: Comlink.Remote<ThreadEndpoint>) => Promise<unknown>): void {
    // After shutdown the proxies are released and calling one throws at once: a late call is dropped.
    for (const thread of this.threads) void (async () => call(thread.endpoint))().catch(() => undefined);
  }

  private async deploy(): Promise<ActorMetrics[]> {
    const { planned } = this.spec;
    const channelBuffers = this.channelBuffers;
    const doorbells = this.spec.mainThread.doorbells;
    // Shipped data travels in the records' own encoding: a batch of one value.
    const encoder = new BatchEncoder();
    const shipped = planned.nodes.flatMap((n) => (n.source?.shipped === undefined ? [] : [[n.id, encoder.encode([n.source.shipped], null, 1).slice()] as const]));
    const events = this.events;
    const master: MasterEndpoint = {
      reportFailure: (error: SerializedError) => events.failed(deserializeError(error)),
      collect: (collectorId, batch, epoch) => events.collect(collectorId, batch, epoch),
      acknowledgeCheckpoint: (ack) => events.acknowledged(ack),
      declineCheckpoint: (checkpointId, actor, error) => events.declined(checkpointId, actor, deserializeError(error)),
      actorFinished: (actor) => events.actorFinished(actor),
    };
    const metrics: ActorMetrics[] = [];
    const tasks: Promise<void>[] = [];
    for (let thread = 0; thread < planned.plan.threads; thread++) {
      const toMaster = new MessageChannel();
      const toThread = new MessageChannel();
      Comlink.expose(master, toMaster.port1 as unknown as Comlink.Endpoint);
      const endpoint = Comlink.wrap<ThreadEndpoint>(toThread.port2 as unknown as Comlink.Endpoint);
      this.threads.push({ endpoint, ports: [toMaster.port1, toThread.port2] });
      const task: ThreadTask = {
        thread,
        job: this.spec.job,
        jobName: this.spec.jobName,
        settings: this.spec.settings,
        autoWatermarkInterval: this.spec.autoWatermarkInterval,
        objectReuse: this.spec.objectReuse,
        fingerprint: planned.fingerprint,
        channelBuffers,
        doorbells,
        mainThread: this.spec.mainThread.rings,
        shipped,
        checkpointing: this.spec.checkpointing === undefined ? undefined : { mode: this.spec.checkpointing },
        restore: this.spec.restore,
        masterPort: toMaster.port2,
        threadPort: toThread.port1,
        logs: this.spec.logs,
      };
      tasks.push(
        this.pool.run(task, [toMaster.port2, toThread.port1]).then(
          (threadMetrics) => void metrics.push(...threadMetrics),
          (error: unknown) => {
            // A thread the master terminated after a stop did not die of itself.
            if (!this.stopping) events.failed(this.threadDied(thread, error));
          },
        ),
      );
    }
    await Promise.all(tasks);
    return metrics;
  }

  private threadDied(thread: number, error: unknown): StreamError {
    const { plan, job } = this.spec.planned;
    const names = plan.actors
      .filter((a) => a.thread === thread)
      .map((a) => `${job.vertices[a.vertexId]!.name} (${describeSubtask(a.subtask, a.parallelism)})`);
    const reason = error instanceof Error ? error.message : String(error);
    return new StreamError(
      'WORKER_DIED',
      `A worker thread died while running ${names.join(', ')}: ${reason}. ` +
        'Look for process.exit() or unbounded memory use in the operators it ran.',
      { domain: 'user', cause: error },
    );
  }
}
