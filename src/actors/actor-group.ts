// The actors placed on one worker thread: builds their rings, writers, operator chains and
// source readers from the plan (restoring them from a checkpoint when the job restores), runs
// them side by side, and answers the master's control calls, checkpoints included.

import { describeSubtask, serializeError, StreamError, userFunctionFailed } from '../core/errors.js';
import { lazyLogger, logsAt, type Logger } from '../core/log.js';
import type { MainThreadOutput } from '../core/main-thread-io.js';
import { END_OF_INPUT } from '../core/stream-element.js';
import type { ActorSpec, ExecutionPlan, JobGraph, PlannedJob, StreamNode } from '../core/job-plan.js';
import { ProcessingTimeScheduler } from '../time/processing-time-scheduler.js';
import type { WatermarkStrategy } from '../time/watermark-strategy.js';
import { BatchDecoder, BatchEncoder } from './channels/batch-codec.js';
import { Doorbells } from './channels/doorbell.js';
import { encodeControl } from './channels/control-codec.js';
import { RingBuffer } from './channels/ring-buffer.js';
import { RingMainThreadInput } from './main-thread-input.js';
import { ActorCheckpoints, ThreadCheckpoints } from './actor-checkpoints.js';
import { InputGate, type InputChannel } from './input-gate.js';
import { buildOperatorChain } from './operator-chain.js';
import { OperatorFailure } from './operator-failure.js';
import { createOperatorServices, type ActorServices } from './operator-services.js';
import { Backlog, ChannelWriter, createRecordWriter, type RecordWriter } from './record-writer.js';
import { loadRestoredActor, type RestoredActor } from './restored-state.js';
import { createSourceOutput } from './source-output.js';
import { PendingWork, TaskActor, type ThreadContext } from './task-actor.js';
import { mainThreadRingsOf, type ActorMetrics, type CheckpointTrigger, type MainThreadRings, type MasterEndpoint, type ThreadEndpoint, type ThreadTask } from './thread-task.js';

interface PlacedActor {
  readonly spec: ActorSpec;
  readonly actor: TaskActor;
  readonly gate: InputGate;
  readonly checkpoints: ActorCheckpoints | undefined;
  readonly metrics: () => ActorMetrics;
  /** The actor's log: its operator (the chain's name) and subtask fields; made when first used. */
  readonly log: () => Logger;
}

export class ActorGroup implements ThreadEndpoint, ThreadContext {
  cancelled = false;
  private readonly bells: Doorbells;
  private readonly actors: PlacedActor[];
  private readonly nodes: readonly StreamNode[];
  private readonly job: JobGraph;
  private readonly plan: ExecutionPlan;
  private readonly checkpointFolders = new ThreadCheckpoints();

  private constructor(
    private readonly task: ThreadTask,
    private readonly planned: PlannedJob,
    private readonly master: MasterEndpoint,
    restored: ReadonlyMap<number, RestoredActor>,
  ) {
    this.nodes = planned.nodes;
    this.job = planned.job;
    this.plan = planned.plan;
    this.bells = new Doorbells(task.doorbells);
    const decoder = new BatchDecoder();
    const shipped = new Map(task.shipped.map(([nodeId, bytes]) => [nodeId, decoder.decode(bytes).values[0]]));
    this.actors = this.thread().map((spec) => this.place(spec, shipped, restored.get(spec.index)));
  }

  /** The actors of this thread, built; restored from the checkpoint the task names, if any. */
  static async create(task: ThreadTask, planned: PlannedJob, master: MasterEndpoint): Promise<ActorGroup> {
    const restored = new Map<number, RestoredActor>();
    const restore = task.restore;
    if (restore !== undefined) {
      for (const spec of planned.plan.actors) {
        if (spec.thread !== task.thread) continue;
        const head = planned.nodes[planned.job.vertices[spec.vertexId]!.headNodeId]!;
        const sourceUid = head.kind === 'source' ? planned.uids[head.id] : undefined;
        restored.set(spec.index, await loadRestoredActor(restore.folder, restore.actors[spec.index] ?? [], spec.subtask, spec.parallelism, sourceUid));
      }
    }
    return new ActorGroup(task, planned, master, restored);
  }

  private thread(): ActorSpec[] {
    return this.plan.actors.filter((a) => a.thread === this.task.thread);
  }

  /** Runs every actor of the thread; a failure is reported at once, then rethrown. */
  async run(): Promise<ActorMetrics[]> {
    await Promise.all(
      this.actors.map(async ({ spec, actor, log }) => {
        if (logsAt('debug')) log().debug('Subtask started');
        try {
          await actor.run();
          if (logsAt('debug')) log().debug('Subtask ended');
        } catch (error) {
          const failure = this.describeFailure(spec, error);
          this.cancel();
          await this.master.reportFailure(serializeError(failure));
        }
      }),
    );
    return this.metrics();
  }

  downstreamHasInput(vertexId: number): boolean {
    for (const { spec, actor } of this.actors) {
      if (spec.vertexId > vertexId && actor.hasReadableInput()) return true;
    }
    return false;
  }

  cancel(): void {
    this.cancelled = true;
    for (const { spec } of this.actors) this.bells.ring(spec.index);
  }

  metrics(): ActorMetrics[] {
    return this.actors.map((a) => a.metrics());
  }

  triggerCheckpoint(trigger: CheckpointTrigger): void {
    this.checkpointFolders.onTrigger(trigger);
    for (const { checkpoints } of this.actors) checkpoints?.requestTrigger(trigger);
  }

  notifyCheckpointComplete(checkpointId: number): void {
    this.checkpointFolders.forget(checkpointId);
    for (const { checkpoints } of this.actors) checkpoints?.requestComplete(checkpointId);
  }

  abortCheckpoint(checkpointId: number): void {
    this.checkpointFolders.forget(checkpointId);
    for (const { gate, checkpoints } of this.actors) {
      gate.abortCheckpoint(checkpointId);
      checkpoints?.abort(checkpointId);
    }
  }

  finish(): void {
    for (const { checkpoints } of this.actors) checkpoints?.requestFinish();
  }

  private describeFailure(spec: ActorSpec, error: unknown): Error {
    const vertex = this.job.vertices[spec.vertexId]!;
    const nodeId = error instanceof OperatorFailure ? error.nodeId : vertex.headNodeId;
    const cause = error instanceof OperatorFailure ? error.cause : error;
    return userFunctionFailed(cause, this.nodes[nodeId]!.name, spec.subtask, spec.parallelism);
  }

  /** The ring of `nodeId`'s subtask in one of the sets of main-thread rings. */
  private mainThreadRing(set: MainThreadRings['inputs'], nodeId: number, spec: ActorSpec): RingBuffer {
    const rings = mainThreadRingsOf(set, nodeId)[spec.subtask];
    if (rings === undefined) throw new StreamError('INTERNAL', `No main-thread ring for node ${nodeId}, subtask ${spec.subtask}`, { domain: 'internal' });
    return new RingBuffer(rings);
  }

  /** For a source fed by the main thread: its input ring, and for requests the ring its replies go back on. */
  private mainThreadInput(head: StreamNode, spec: ActorSpec, encoder: BatchEncoder, backlog: Backlog): RingMainThreadInput | undefined {
    const feed = head.source?.mainThreadFeed;
    if (feed === undefined) return undefined;
    const main = this.task.mainThread;
    const replies = feed === 'requests' ? new ChannelWriter(this.mainThreadRing(main.replies, head.id, spec), this.bells, main.actor, encoder, backlog, head.id) : undefined;
    return new RingMainThreadInput(this.mainThreadRing(main.inputs, head.id, spec), new BatchDecoder(), this.bells, main.actor, replies);
  }

  /** A collectAsync sink's way to the main thread: a channel whose consumer is the main thread. */
  private mainThreadOutput(nodeId: number, spec: ActorSpec, encoder: BatchEncoder, backlog: Backlog): MainThreadOutput {
    const main = this.task.mainThread;
    const writer = new ChannelWriter(this.mainThreadRing(main.outputs, nodeId, spec), this.bells, main.actor, encoder, backlog, nodeId);
    return {
      collect: (value, timestamp) => writer.add(value, timestamp),
      flush: () => writer.flush(),
      end: () => writer.sendControl(encodeControl(END_OF_INPUT)),
    };
  }

  private place(spec: ActorSpec, shipped: ReadonlyMap<number, unknown>, restored: RestoredActor | undefined): PlacedActor {
    const vertex = this.job.vertices[spec.vertexId]!;
    const encoder = new BatchEncoder();
    const backlog = new Backlog();
    const pending = new PendingWork();
    const time = new ProcessingTimeScheduler();
    const inputs: InputChannel[] = [];
    for (const channel of this.plan.channels) {
      if (channel.consumerActor !== spec.index) continue;
      const producer = this.plan.actors[channel.producerActor]!;
      inputs.push({
        ring: new RingBuffer(this.task.channelBuffers[channel.index]!),
        producerActor: channel.producerActor,
        inputIndex: this.job.edges[channel.edgeIndex]!.inputIndex,
        producer: `"${this.job.vertices[producer.vertexId]!.name}" (${describeSubtask(producer.subtask, producer.parallelism)})`,
      });
    }
    const writers = new Map<number, RecordWriter>();
    this.job.edges.forEach((edge, edgeIndex) => {
      if (edge.chained || this.job.vertexOf[edge.sourceNodeId] !== vertex.id) return;
      const channels = this.plan.channels
        .filter((c) => c.edgeIndex === edgeIndex && c.producerActor === spec.index)
        .sort((a, b) => a.consumerSubtask - b.consumerSubtask)
        .map((c) => new ChannelWriter(new RingBuffer(this.task.channelBuffers[c.index]!), this.bells, c.consumerActor, encoder, backlog, edge.sourceNodeId));
      const where = this.nodes[edge.targetNodeId]!.name;
      writers.set(edgeIndex, createRecordWriter(edge.kind, channels, spec.subtask, edge.keySelector, this.job.maxParallelism, where));
    });
    const head = this.nodes[vertex.headNodeId]!;
    const mainInput = this.mainThreadInput(head, spec, encoder, backlog);
    const services: ActorServices = {
      processingTime: time,
      autoWatermarkInterval: this.task.autoWatermarkInterval,
      objectReuse: this.task.objectReuse,
      checkpointing: this.task.checkpointing !== undefined,
      sendToMain: async (collectorId, values, timestamps, epoch) => this.master.collect(collectorId, encoder.encode(values, timestamps, values.length).slice(), epoch),
      waitFor: (work) => pending.add(work),
      mainThreadOutput: (nodeId) => this.mainThreadOutput(nodeId, spec, encoder, backlog),
      reply: (value) => mainInput?.reply(value) ?? false,
    };
    const placement = { subtask: spec.subtask, parallelism: spec.parallelism, maxParallelism: this.job.maxParallelism, keyGroupRange: spec.keyGroupRange };
    const chain = buildOperatorChain(this.planned, vertex, writers, (nodeId, received, outputKept) => createOperatorServices(this.nodes[nodeId]!, placement, services, received, outputKept));
    if (restored !== undefined) {
      try {
        chain.initializeState(restored.parts);
      } catch (error) {
        throw this.describeFailure(spec, error);
      }
    }
    const reader = head.source?.createReader({
      subtask: spec.subtask,
      parallelism: spec.parallelism,
      shipped: shipped.get(head.id),
      restoredSplits: restored?.splits,
      allRestoredSplits: restored?.allSplits,
      mainThreadInput: mainInput,
    });
    const output = reader === undefined ? undefined : createSourceOutput(chain, head.sourceWatermarks as WatermarkStrategy<unknown> | undefined, head.source!.watermarksPerSplit === true, time, this.task.autoWatermarkInterval);
    const mode = this.task.checkpointing?.mode;
    const log = lazyLogger({ operator: vertex.name, subtask: spec.subtask });
    const gate = new InputGate(inputs, this.bells, () => time.now(), vertex.name, mode, log);
    const identity = { actor: spec.index, vertexId: spec.vertexId, vertexName: vertex.name, subtask: spec.subtask, parallelism: spec.parallelism };
    const source = reader === undefined ? undefined : { uid: this.planned.uids[head.id]!, nodeId: head.id, reader };
    const checkpoints = mode === undefined ? undefined : new ActorCheckpoints(identity, chain, source, this.checkpointFolders, this.master, () => this.bells.ring(spec.index));
    const onInputEnded = (): void => void this.master.actorFinished(spec.index);
    const actor = new TaskActor(spec.index, chain, gate, reader === undefined ? undefined : { reader, output: output! }, this.bells, backlog, pending, this, spec.vertexId, time, checkpoints, onInputEnded);
    return { spec, actor, gate, checkpoints, log, metrics: () => ({ actor: spec.index, subtask: spec.subtask, nodes: chain.metrics(reader?.recordsSkipped ?? 0), times: actor.times() }) };
  }
}
