// The operator test harness (public): runs the operators a test adds to a stream in-process, as
// one subtask (of parallelism 1 or more), with a hand-driven processing-time clock. Feed records
// and watermarks, move time, read what came out; snapshot and restore, also at another parallelism.

import { buildOperatorChain, type OperatorChain, type OperatorSnapshot } from '../actors/operator-chain.js';
import { OperatorFailure } from '../actors/operator-failure.js';
import { createOperatorServices, type ActorServices, type OperatorServices } from '../actors/operator-services.js';
import type { DataStream } from '../api/data-stream.js';
import { StreamExecutionEnvironment } from '../api/environment.js';
import { AbstractOperator } from '../core/abstract-operator.js';
import { StreamError } from '../core/errors.js';
import { formatKey, keyGroupOf, keyGroupRangeForSubtask, operatorIndexForKeyGroup, type Key } from '../core/key-groups.js';
import { NO_TIMESTAMP } from '../core/operator.js';
import type { OutputTag } from '../core/output-tag.js';
import type { Source } from '../core/source.js';
import type { JobGraph, ResolvedEdge, StreamNode } from '../core/job-plan.js';
import { nodeUid } from '../graph/job-planner.js';
import { decodeKeyGroup } from '../state/keyed-operator-state.js';
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
  /** Key groups (default 128): a whole number from 1 to 32768. */
  maxParallelism?: number;
  /**
   * The parallelism of the run the harness is one subtask of (default 1): a whole number from 1
   * to `maxParallelism`. Above 1, the harness owns only the key groups of its subtask.
   */
  parallelism?: number;
  /**
   * Which subtask of `parallelism` the harness runs (default 0), from 0 to `parallelism - 1`. It
   * owns the key groups `keyGroupRangeForSubtask(maxParallelism, parallelism, subtask)`; a record
   * whose key (at any keyed operator of the build) is in another subtask's key groups fails the
   * `processElement` call that fed it: feed each subtask only the records of the keys it owns, as
   * keyBy does in a job.
   */
  subtask?: number;
  /** Side outputs to capture, read with `sideOutput(tag)`. */
  sideOutputs?: OutputTag<unknown>[];
  /**
   * Starts the operators from what `snapshot()` returned in harnesses built the same way, as a job
   * restored from a checkpoint: one snapshot, or the snapshots of every subtask of a run at another
   * parallelism (of one checkpoint and the same `maxParallelism`). The harness restores the keyed
   * state and timers of the key groups it owns, from whichever snapshot holds them, and the
   * operators' own (non-keyed) state of old subtask `j` when `j % parallelism === subtask`, as the
   * runtime will: scaling up, the new subtasks above the old parallelism start without it; scaling
   * down, an operator whose own state two of those old subtasks hold is refused, since an operator
   * restores one state. A snapshot that the subtask needs (for its key groups, or for its operators'
   * own state) and that the array lacks is refused as well.
   */
  restoreFrom?: HarnessSnapshot | readonly HarnessSnapshot[];
}

/** What `snapshot()` returns: the operators' state as plain data, to restore in a new harness. */
export interface HarnessSnapshot {
  readonly checkpointId: number;
  /** The subtask of the harness that took it. */
  readonly subtask: number;
  /** The parallelism of the harness that took it. */
  readonly parallelism: number;
  /** The key groups of the harness that took it. */
  readonly maxParallelism: number;
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

  private readonly maxParallelism: number;
  private readonly parallelism: number;
  private readonly subtask: number;
  /** The key groups this subtask owns, `end` inclusive. */
  private readonly keyGroupRange: { readonly start: number; readonly end: number };
  /** What to restore, one entry per snapshot (validated against the options). */
  private readonly restoreFrom: readonly HarnessSnapshot[];

  /** @internal Use `createHarness`. */
  constructor(private readonly options: HarnessOptions) {
    this.clock = options.processingTime ?? 0;
    this.time = new ProcessingTimeScheduler(() => this.clock);
    this.maxParallelism = wholeNumberOption('maxParallelism', options.maxParallelism, 128, 1, 32768);
    this.parallelism = wholeNumberOption('parallelism', options.parallelism, 1, 1, this.maxParallelism);
    this.subtask = wholeNumberOption('subtask', options.subtask, 0, 0, this.parallelism - 1);
    this.keyGroupRange = keyGroupRangeForSubtask(this.maxParallelism, this.parallelism, this.subtask);
    const restoreFrom = options.restoreFrom;
    this.restoreFrom = restoreFrom === undefined ? [] : isSnapshotList(restoreFrom) ? [...restoreFrom] : [restoreFrom];
    if (restoreFrom !== undefined) this.checkRestoreFrom();
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
    const { maxParallelism, parallelism, subtask, keyGroupRange } = this;
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
    const vertex = { id: 0, headNodeId: 0, nodeIds: graph.nodes.map((n) => n.id), parallelism, name: 'harness' };
    const job: JobGraph = { vertices: [vertex], edges, parallelism: graph.nodes.map(() => parallelism), vertexOf: graph.nodes.map(() => 0), maxParallelism };
    const actor: ActorServices = {
      processingTime: this.time,
      autoWatermarkInterval: this.options.autoWatermarkInterval ?? 200,
      // The harness keeps every output record for the test: nothing may change one afterwards.
      objectReuse: false,
      // The harness takes snapshots when the test asks: it behaves as a checkpointing job.
      checkpointing: true,
      sendToMain: () => Promise.reject(new Error('executeAndCollect does not run in a harness: the harness captures the output.')),
      waitFor: (work) => void this.pending.push(work),
      mainThreadOutput: () => {
        throw new Error('collectAsync does not run in a harness: the harness captures the output.');
      },
      reply: () => {
        throw new Error('reply() does not run in a harness: the harness captures the output.');
      },
    };
    const placement = { subtask, parallelism, maxParallelism, keyGroupRange };
    const planned = { nodes: graph.nodes, uids: graph.nodes.map(nodeUid), job };
    this.chain = buildOperatorChain(planned, vertex, new Map(), (nodeId) => {
      const node = graph.node(nodeId);
      const services = createOperatorServices(parallelism === 1 ? node : this.ownedKeysOnly(node), placement, actor);
      this.services.push([node.name, services]);
      return services;
    });
    if (this.restoreFrom.length > 0) {
      // Old subtask j's own state goes to new subtask j % parallelism; keyed state to whoever owns its key groups.
      const parts = this.restoreFrom.map((snapshot) => ({ operators: snapshot.operators, ownState: snapshot.subtask % this.parallelism === this.subtask }));
      unwrap(() => this.chain.initializeState(parts));
    }
    await unwrapAsync(() => this.chain.open());
    return this;
  }

  /**
   * `node` with key selectors that first check that the record's key is one of this subtask's:
   * the runtime's own check (INCONSISTENT_KEY) blames worker threads, which a harness has none of.
   */
  private ownedKeysOnly(node: StreamNode): StreamNode {
    const owned = (selector: ((value: unknown) => unknown) | undefined): ((value: unknown) => unknown) | undefined => {
      if (selector === undefined) return undefined;
      return (value) => {
        const key = selector(value);
        // An invalid key fails here as the operator would fail it (INVALID_KEY, naming it).
        const keyGroup = keyGroupOf(key, this.maxParallelism, node.name);
        const { start, end } = this.keyGroupRange;
        if (keyGroup < start || keyGroup > end) throw this.notOwned(node.name, key as Key, keyGroup);
        return key;
      };
    };
    return { ...node, keySelector: owned(node.keySelector), keySelector2: owned(node.keySelector2) };
  }

  private notOwned(operator: string, key: Key, keyGroup: number): StreamError {
    const { subtask, parallelism, maxParallelism } = this;
    const { start, end } = this.keyGroupRange;
    const owner = operatorIndexForKeyGroup(maxParallelism, parallelism, keyGroup);
    return new StreamError(
      'INVALID_ARGUMENT',
      `The harness runs subtask ${subtask} of ${parallelism} (key groups ${start}..${end} of ${maxParallelism}), but it was fed a record ` +
        `whose key at "${operator}" is ${formatKey(key)}, of key group ${keyGroup}: that key belongs to subtask ${owner}. ` +
        `Feed each harness subtask only the records of the keys it owns, as keyBy does in a job.`,
      { domain: 'user', operator, subtask, parallelism },
    );
  }

  /** The snapshots of `restoreFrom` fit this subtask: one checkpoint and key groups, and none missing. */
  private checkRestoreFrom(): void {
    const snapshots = this.restoreFrom;
    if (snapshots.length === 0) throw new RangeError('createHarness: restoreFrom is an empty array: give it a snapshot, or the snapshots of every subtask of a run.');
    const first = snapshots[0]!;
    const bySubtask = new Map<number, HarnessSnapshot>();
    for (const snapshot of snapshots) {
      if (typeof snapshot !== 'object' || snapshot === null || !Array.isArray(snapshot.operators)) {
        throw new RangeError('createHarness: restoreFrom holds something that is not a snapshot: give it what snapshot() returned.');
      }
      if (snapshot.checkpointId !== first.checkpointId) {
        throw new RangeError(
          `createHarness: restoreFrom holds snapshots of checkpoints ${first.checkpointId} and ${snapshot.checkpointId}: give it the snapshots of one checkpoint.`,
        );
      }
      if (snapshot.maxParallelism !== this.maxParallelism) {
        throw new RangeError(
          `createHarness: restoreFrom holds a snapshot taken at maxParallelism ${snapshot.maxParallelism}, but this harness has ${this.maxParallelism}: ` +
            'key groups cannot change on a restore, so give both harnesses the same maxParallelism.',
        );
      }
      if (snapshot.parallelism !== first.parallelism) {
        throw new RangeError(
          `createHarness: restoreFrom holds snapshots taken at parallelism ${first.parallelism} and ${snapshot.parallelism}: give it the snapshots of one run.`,
        );
      }
      if (bySubtask.has(snapshot.subtask)) {
        throw new RangeError(`createHarness: restoreFrom holds two snapshots of subtask ${snapshot.subtask} of ${snapshot.parallelism}: give it each subtask's once.`);
      }
      bySubtask.set(snapshot.subtask, snapshot);
    }
    const { start, end } = this.keyGroupRange;
    for (let old = 0; old < first.parallelism; old++) {
      if (bySubtask.has(old)) continue;
      const range = keyGroupRangeForSubtask(this.maxParallelism, first.parallelism, old);
      const overlaps = range.start <= end && range.end >= start;
      if (overlaps || old % this.parallelism === this.subtask) {
        throw new RangeError(
          `createHarness: restoreFrom lacks the snapshot of subtask ${old} of ${first.parallelism}, which holds ` +
            (overlaps ? `key groups ${Math.max(start, range.start)}..${Math.min(end, range.end)} that subtask ${this.subtask} of ${this.parallelism} owns` : `the operators' own state of subtask ${this.subtask} of ${this.parallelism}`) +
            ': give it the snapshots of every subtask of the run.',
        );
      }
    }
  }

  /**
   * Feeds one record, with its event timestamp when it has one. At a parallelism above 1, a record
   * whose key belongs to another subtask fails with a `StreamError` (`INVALID_ARGUMENT`) naming it.
   */
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
   * and each operator's own state. `createHarness(build, { restoreFrom: snapshot })` continues
   * from it; the snapshots of all the subtasks of a run restore at another parallelism.
   */
  async snapshot(checkpointId = 1): Promise<HarnessSnapshot> {
    const taken = await unwrapAsync(() => this.chain.snapshotState(checkpointId));
    const operators = taken.map((op) => ({ uid: op.uid, state: op.state, keyed: op.keyed?.finish().map(decodeKeyGroup) }));
    return { checkpointId, subtask: this.subtask, parallelism: this.parallelism, maxParallelism: this.maxParallelism, operators };
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

/** A whole-number option from `min` to `max`, or its default when left out. */
function wholeNumberOption(name: string, value: number | undefined, fallback: number, min: number, max: number): number {
  if (value === undefined) return fallback;
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new RangeError(`createHarness: ${name} must be a whole number from ${min} to ${max}, got ${String(value)}.`);
  }
  return value;
}

function isSnapshotList(value: HarnessSnapshot | readonly HarnessSnapshot[]): value is readonly HarnessSnapshot[] {
  return Array.isArray(value);
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
 * Runs the operators that `build` adds to a stream, in-process, as one subtask:
 *
 * ```ts
 * const h = await createHarness((s: DataStream<Reading>) => s.keyBy((r) => r.id).window(TumblingEventTimeWindows.of(1000)).sum('v'));
 * h.processElement({ id: 'a', v: 1 }, 10); h.processWatermark(999);
 * assert.deepEqual(h.values(), [...]);
 * ```
 * keyBy and other partitionings only set the key: every record fed reaches the one subtask. At
 * `parallelism` above 1 the harness is subtask `subtask` of that parallelism and owns only its
 * key groups: feed it the records of its keys (others fail), and watermarks as to every subtask.
 * `restoreFrom` takes the snapshots of every subtask of a run at another parallelism.
 */
export async function createHarness<In, Out>(build: (input: DataStream<In>) => DataStream<Out>, options: HarnessOptions = {}): Promise<OperatorHarness<In, Out>> {
  return new OperatorHarness<In, Out>(options).start(build);
}

