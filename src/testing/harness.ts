// The operator test harness (public): runs the operators a test adds to a stream in-process, at
// one subtask, with a hand-driven processing-time clock. Feed records and watermarks, move time,
// read what came out (main output, side outputs, watermarks). Flink's test harnesses, in one call.

import { buildOperatorChain, type OperatorChain, type OperatorSnapshot } from '../actors/operator-chain.js';
import { OperatorFailure } from '../actors/operator-failure.js';
import { createOperatorServices, type ActorServices, type OperatorServices } from '../actors/operator-services.js';
import type { DataStream } from '../api/data-stream.js';
import { StreamExecutionEnvironment } from '../api/environment.js';
import { AbstractOperator } from '../core/abstract-operator.js';
import { NO_TIMESTAMP } from '../core/operator.js';
import type { OutputTag } from '../core/output-tag.js';
import type { Source } from '../core/source.js';
import type { JobGraph, ResolvedEdge } from '../core/job-plan.js';
import { nodeUid } from '../graph/job-planner.js';
import { ProcessingTimeScheduler } from '../time/processing-time-scheduler.js';

/** A record that came out of the harness, with its timestamp (undefined when it has none). */
export interface HarnessRecord<T> {
  value: T;
  timestamp: number | undefined;
}

export interface HarnessOptions {
  /** Processing time at the start, epoch ms (default 0). */
  processingTime?: number;
  /** Periodic watermark interval seen by the operators, ms (default 200). */
  autoWatermarkInterval?: number;
  /** Key groups (default 128). */
  maxParallelism?: number;
  /** Side outputs to capture, read with `sideOutput(tag)`. */
  sideOutputs?: OutputTag<unknown>[];
  /**
   * Starts the operators from a snapshot taken with `snapshot()` of a harness built the same way
   * (keyed state, timers and the operators' own state), as a job restored from a checkpoint.
   */
  restore?: HarnessSnapshot;
}

/** What `snapshot()` returns: the operators' state as plain data, to restore in a new harness. */
export interface HarnessSnapshot {
  readonly checkpointId: number;
  /** @internal */
  readonly operators: readonly OperatorSnapshot[];
}

/** One thing that came out of the main output, in order: a record or a watermark. */
export type HarnessEvent<T> = { record: HarnessRecord<T> } | { watermark: number };

/** Collects what reaches it: records with timestamps and, for the main output, watermarks. */
class Capture extends AbstractOperator<unknown, never> {
  constructor(
    private readonly records: HarnessRecord<unknown>[],
    private readonly timeline: HarnessEvent<unknown>[] | undefined,
  ) {
    super();
  }

  processElement(value: unknown, timestamp: number): void {
    const record = { value, timestamp: Number.isNaN(timestamp) ? undefined : timestamp };
    this.records.push(record);
    this.timeline?.push({ record });
  }

  override processWatermark(watermark: number): number | null {
    this.timeline?.push({ watermark });
    return watermark;
  }
}

/** The placeholder the test's records enter through; it never runs as a real source. */
const HARNESS_INPUT: Source<unknown> = {
  boundedness: 'continuous-unbounded',
  createReader() {
    throw new Error('The harness input is fed by processElement, not read.');
  },
};

export class OperatorHarness<In, Out> {
  private readonly records: HarnessRecord<Out>[] = [];
  private readonly events: HarnessEvent<unknown>[] = [];
  private readonly sides = new Map<string, HarnessRecord<unknown>[]>();
  private readonly time: ProcessingTimeScheduler;
  private clock: number;
  private chain!: OperatorChain;
  private readonly pending: Promise<void>[] = [];
  /** Each operator's services, by operator name (names may repeat: then several). */
  private readonly services: [name: string, services: OperatorServices][] = [];

  /** @internal Use `createHarness`. */
  constructor(private readonly options: HarnessOptions) {
    this.clock = options.processingTime ?? 0;
    this.time = new ProcessingTimeScheduler(() => this.clock);
  }

  /** @internal Builds and opens the operators. */
  async start(build: (input: DataStream<In>) => DataStream<Out>): Promise<this> {
    const env = StreamExecutionEnvironment.getExecutionEnvironment().setParallelism(1);
    const input = env.addSource(HARNESS_INPUT as Source<In>, 'Harness Input');
    const result = build(input);
    result.addSink('harness-output', 'Harness Output', () => new Capture(this.records as HarnessRecord<unknown>[], this.events));
    for (const tag of this.options.sideOutputs ?? []) {
      const captured: HarnessRecord<unknown>[] = [];
      this.sides.set(tag.id, captured);
      result.getSideOutput(tag).addSink('harness-side-output', `Harness Side Output ${tag.id}`, () => new Capture(captured, undefined));
    }
    const graph = env.graphForRuntime();
    const maxParallelism = this.options.maxParallelism ?? 128;
    const edges: ResolvedEdge[] = graph.nodes.flatMap((target) =>
      target.inputs.map((i) => ({
        sourceNodeId: i.nodeId,
        targetNodeId: target.id,
        kind: 'forward' as const,
        keySelector: i.partitioning?.keySelector,
        chained: true,
        sideOutput: i.sideOutput,
        inputIndex: i.inputIndex ?? 0,
      })),
    );
    const vertex = { id: 0, headNodeId: 0, nodeIds: graph.nodes.map((n) => n.id), parallelism: 1, name: 'harness' };
    const job: JobGraph = { vertices: [vertex], edges, parallelism: graph.nodes.map(() => 1), vertexOf: graph.nodes.map(() => 0), maxParallelism };
    const actor: ActorServices = {
      processingTime: this.time,
      autoWatermarkInterval: this.options.autoWatermarkInterval ?? 200,
      // The harness takes snapshots when the test asks: it behaves as a checkpointing job.
      checkpointing: true,
      sendToMain: () => Promise.reject(new Error('executeAndCollect does not run in a harness: the harness captures the output.')),
      waitFor: (work) => void this.pending.push(work),
    };
    const placement = { subtask: 0, parallelism: 1, maxParallelism, keyGroupRange: { start: 0, end: maxParallelism - 1 } };
    const planned = { nodes: graph.nodes, uids: graph.nodes.map(nodeUid), job };
    this.chain = buildOperatorChain(planned, vertex, new Map(), (nodeId) => {
      const node = graph.node(nodeId);
      const services = createOperatorServices(node, placement, actor);
      this.services.push([node.name, services]);
      return services;
    });
    const restored = this.options.restore;
    if (restored !== undefined) unwrap(() => this.chain.initializeState([{ operators: restored.operators, ownState: true }]));
    await unwrapAsync(() => this.chain.open());
    return this;
  }

  /** Feeds one record, with its event timestamp when it has one. */
  processElement(value: In, timestamp?: number): void {
    unwrap(() => this.chain.inputs[0]!.collect(value, timestamp ?? NO_TIMESTAMP));
  }

  /** Feeds a watermark: everything it fires comes out before this returns. */
  processWatermark(watermark: number): void {
    unwrap(() => this.chain.emitWatermark(watermark));
  }

  /** Moves processing time to `ms` and fires every processing-time callback due by then. */
  setProcessingTime(ms: number): void {
    this.clock = ms;
    unwrap(() => this.time.fireDue());
  }

  /** Records of the main output so far, in order. */
  output(): HarnessRecord<Out>[] {
    return [...this.records];
  }

  /** Values of the main output so far, in order. */
  values(): Out[] {
    return this.records.map((r) => r.value);
  }

  /** Records of side output `tag` (listed in `options.sideOutputs`). */
  sideOutput<X>(tag: OutputTag<X>): HarnessRecord<X>[] {
    const side = this.sides.get(tag.id);
    if (side === undefined) throw new Error(`Side output "${tag.id}" is not captured: list its tag in createHarness(..., { sideOutputs: [tag] }).`);
    return [...side] as HarnessRecord<X>[];
  }

  /** Watermarks that came out of the operators. */
  watermarks(): number[] {
    return this.events.flatMap((e) => ('watermark' in e ? [e.watermark] : []));
  }

  /** Records and watermarks of the main output, interleaved as they came out. */
  timeline(): HarnessEvent<Out>[] {
    return [...this.events] as HarnessEvent<Out>[];
  }

  /** Records the operators dropped as late so far, over all of them (or the one named `operator`). */
  lateRecordsDropped(operator?: string): number {
    return this.sum(operator, (s) => s.counters.lateRecordsDropped);
  }

  /** Keys that the keyed operators (or the one named `operator`) hold state for now. */
  keyedStateKeys(operator?: string): number {
    return this.sum(operator, (s) => s.keyedState?.backend.numKeys() ?? 0);
  }

  /**
   * The operators' state now, as at a checkpoint barrier: keyed state and timers per key group
   * and each operator's own state. `createHarness(build, { restore: snapshot })` continues from it.
   */
  async snapshot(checkpointId = 1): Promise<HarnessSnapshot> {
    return { checkpointId, operators: await unwrapAsync(() => this.chain.snapshotState(checkpointId)) };
  }

  /** Tells the operators that checkpoint `checkpointId` completed (sinks commit what it prepared). */
  async notifyCheckpointComplete(checkpointId: number): Promise<void> {
    await unwrapAsync(() => this.chain.notifyCheckpointComplete(checkpointId));
  }

  /** Forgets the output so far (to assert on what comes next). */
  clearOutput(): void {
    this.records.length = 0;
    this.events.length = 0;
    for (const side of this.sides.values()) side.length = 0;
  }

  /** Ends the input: a watermark of +infinity, then every operator's endInput. */
  async endInput(): Promise<void> {
    this.processWatermark(Number.POSITIVE_INFINITY);
    await unwrapAsync(() => this.chain.endInput());
    await Promise.all(this.pending);
  }

  async close(): Promise<void> {
    await Promise.all(this.pending);
    await unwrapAsync(() => this.chain.close());
  }

  private sum(operator: string | undefined, of: (services: OperatorServices) => number): number {
    let total = 0;
    for (const [name, services] of this.services) if (operator === undefined || name === operator) total += of(services);
    return total;
  }
}

/** The harness throws the user's own error, not the runtime's tag of which operator raised it. */
function unwrap<T>(work: () => T): T {
  try {
    return work();
  } catch (error) {
    throw error instanceof OperatorFailure ? error.cause : error;
  }
}

async function unwrapAsync<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    throw error instanceof OperatorFailure ? error.cause : error;
  }
}

/**
 * Runs the operators that `build` adds to a stream, in-process, at one subtask:
 *
 * ```ts
 * const h = await createHarness((s: DataStream<Reading>) => s.keyBy((r) => r.id).window(TumblingEventTimeWindows.of(1000)).sum('v'));
 * h.processElement({ id: 'a', v: 1 }, 10); h.processWatermark(999);
 * assert.deepEqual(h.values(), [...]);
 * ```
 * keyBy and other partitionings only set the key: every record reaches the one subtask.
 */
export async function createHarness<In, Out>(build: (input: DataStream<In>) => DataStream<Out>, options: HarnessOptions = {}): Promise<OperatorHarness<In, Out>> {
  return new OperatorHarness<In, Out>(options).start(build);
}

