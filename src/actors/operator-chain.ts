// The operators of one vertex at one subtask, wired as plain calls: each operator's output goes
// to its chained successors and to the record writers of its network edges, its side outputs to
// the edges that read them. Every call into an operator is tagged with it on failure; the chain
// counts records in and out, and snapshots and restores its operators with their keyed state.

import type { JobVertex, PlannedJob } from '../core/job-plan.js';
import type { AnyOperator, OneInputOperator, Output, ReceivedKeyGroup, TwoInputOperator } from '../core/operator.js';
import { END_OF_INPUT, type CheckpointBarrier } from '../core/stream-element.js';
import type { KeyGroupStateSnapshot } from '../state/keyed-operator-state.js';
import type { KeyedSnapshotTask } from '../state/keyed-snapshot-task.js';
import { attributed, attributedSync, tagged } from './operator-failure.js';
import type { OperatorServices } from './operator-services.js';
import type { Downstream } from './downstream.js';
import type { RecordWriter } from './record-writer.js';

/** The output of one node: main records, side outputs by tag, watermarks to every consumer. */
class NodeOutput implements Output<unknown>, Downstream {
  recordsOut = 0;
  /** The last watermark the node emitted (a source's event time). */
  watermark = Number.NEGATIVE_INFINITY;

  constructor(
    private readonly main: Downstream,
    private readonly sides: ReadonlyMap<string, Downstream>,
    private readonly all: readonly Downstream[],
  ) {}

  collect(value: unknown, timestamp: number): void {
    this.recordsOut++;
    this.main.collect(value, timestamp);
  }

  collectSide(tagId: string, value: unknown, timestamp: number): void {
    const side = this.sides.get(tagId);
    if (side === undefined) return;
    this.recordsOut++;
    side.collect(value, timestamp);
  }

  emitWatermark(watermark: number): void {
    this.watermark = watermark;
    for (const target of this.all) target.emitWatermark(watermark);
  }

  emitWatermarkStatus(idle: boolean): void {
    for (const target of this.all) target.emitWatermarkStatus(idle);
  }
}

class FanOut implements Downstream {
  constructor(private readonly targets: readonly Downstream[]) {}

  collect(value: unknown, timestamp: number): void {
    for (const target of this.targets) target.collect(value, timestamp);
  }

  emitWatermark(watermark: number): void {
    for (const target of this.targets) target.emitWatermark(watermark);
  }

  emitWatermarkStatus(idle: boolean): void {
    for (const target of this.targets) target.emitWatermarkStatus(idle);
  }
}

/** Records nothing reads are dropped (as in Flink). */
const DISCARD: Downstream = { collect() {}, emitWatermark() {}, emitWatermarkStatus() {} };

function combine(targets: readonly Downstream[]): Downstream {
  return targets.length === 0 ? DISCARD : targets.length === 1 ? targets[0]! : new FanOut(targets);
}

/** One operator of the chain: its inputs count records and tag failures. */
class ChainedOperator {
  recordsIn = 0;
  /** The operator's input watermark: its event time. */
  inputWatermark = Number.NEGATIVE_INFINITY;
  readonly inputs: Downstream[];

  constructor(
    readonly nodeId: number,
    readonly uid: string,
    readonly operator: AnyOperator,
    readonly output: NodeOutput,
    readonly services: OperatorServices,
    twoInputs: boolean,
  ) {
    this.inputs = twoInputs
      ? [new TwoInputOperatorInput(this, 1), new TwoInputOperatorInput(this, 2)]
      : [new OperatorInput(this, operator as OneInputOperator<unknown, unknown>)];
  }

  emitWatermark(watermark: number): void {
    this.inputWatermark = watermark;
    let forward: number | null;
    try {
      forward = this.operator.processWatermark(watermark);
    } catch (error) {
      throw tagged(this.nodeId, error);
    }
    if (forward !== null) this.output.emitWatermark(forward);
  }
}

/** What both kinds of operator input share: watermarks go to the operator, status past it. */
abstract class ChainedInput implements Downstream {
  constructor(protected readonly owner: ChainedOperator) {}

  abstract collect(value: unknown, timestamp: number): void;

  emitWatermark(watermark: number): void {
    this.owner.emitWatermark(watermark);
  }

  /** Operators do not see watermark status; it passes through the chain. */
  emitWatermarkStatus(idle: boolean): void {
    this.owner.output.emitWatermarkStatus(idle);
  }
}

/** The input of a one-input operator: a direct call, the per-record hot path. */
class OperatorInput extends ChainedInput {
  constructor(
    owner: ChainedOperator,
    private readonly operator: OneInputOperator<unknown, unknown>,
  ) {
    super(owner);
  }

  collect(value: unknown, timestamp: number): void {
    this.owner.recordsIn++;
    try {
      this.operator.processElement(value, timestamp);
    } catch (error) {
      throw tagged(this.owner.nodeId, error);
    }
  }
}

/** Input 1 or 2 of a two-input operator. */
class TwoInputOperatorInput extends ChainedInput {
  private readonly operator: TwoInputOperator<unknown, unknown, unknown>;

  constructor(
    owner: ChainedOperator,
    private readonly input: 1 | 2,
  ) {
    super(owner);
    this.operator = owner.operator as TwoInputOperator<unknown, unknown, unknown>;
  }

  collect(value: unknown, timestamp: number): void {
    this.owner.recordsIn++;
    try {
      if (this.input === 1) this.operator.processElement1(value, timestamp);
      else this.operator.processElement2(value, timestamp);
    } catch (error) {
      throw tagged(this.owner.nodeId, error);
    }
  }
}

export interface NodeMetrics {
  nodeId: number;
  recordsIn: number;
  recordsOut: number;
  lateRecordsDropped: number;
  /** Keys in the operator's keyed state when the metrics were taken. */
  keyedStateKeys: number;
  /** Records the source reader dropped as unreadable (0 for operators). */
  recordsSkipped: number;
  /** Event-time and processing-time timers waiting to fire. */
  timers: number;
  /** The operator's input watermark, or a source's last emitted one (-Infinity before the first). */
  watermark: number;
  /** The last watermark the node emitted. */
  outputWatermark: number;
}

/** One operator's part of a chain snapshot: its own state and its keyed state per key group. */
export interface OperatorSnapshot {
  /** The operator's uid (explicit, or generated from its place in the graph). */
  readonly uid: string;
  readonly state: unknown;
  readonly keyed: KeyGroupStateSnapshot[] | undefined;
}

/**
 * One operator's part of a chain snapshot as the barrier takes it: its own state, and its keyed
 * state and timers, which the task encodes key group by key group while the actor goes on.
 */
export interface TakenOperatorSnapshot {
  readonly uid: string;
  readonly state: unknown;
  readonly keyed: KeyedSnapshotTask | undefined;
}

/** The operators' snapshots of one old subtask, and whether their own state comes to this subtask. */
export interface RestoredOperators {
  readonly operators: readonly OperatorSnapshot[];
  readonly ownState: boolean;
}

export class OperatorChain {
  /** Where the actor hands records arriving on each input (or from the source reader). */
  readonly inputs: readonly Downstream[];

  constructor(
    readonly headNodeId: number,
    private readonly operators: readonly ChainedOperator[],
    private readonly writers: readonly RecordWriter[],
    private readonly outputs: ReadonlyMap<number, NodeOutput>,
    isSource: boolean,
    /** Where the actor puts the key group each record arrived with, for the head operator. */
    readonly receivedKeyGroup: ReceivedKeyGroup,
  ) {
    this.inputs = isSource ? [outputs.get(headNodeId)!] : operators[0]!.inputs;
  }

  /** A source reader's record for its side output `tagId`. */
  collectSourceSide(tagId: string, value: unknown, timestamp: number): void {
    this.outputs.get(this.headNodeId)!.collectSide(tagId, value, timestamp);
  }

  /** The head's combined input watermark advanced. */
  emitWatermark(watermark: number): void {
    this.inputs[0]!.emitWatermark(watermark);
  }

  /** Every input went idle, or one became active again. */
  emitWatermarkStatus(idle: boolean): void {
    this.inputs[0]!.emitWatermarkStatus(idle);
  }

  /**
   * Restores the operators from snapshots of old subtasks, before `open`: keyed state and timers
   * from every snapshot given (each operator keeps the key groups this subtask owns), each
   * operator's own state from the snapshots marked `ownState` (the old subtasks assigned to this one).
   */
  initializeState(parts: readonly RestoredOperators[]): void {
    for (const op of this.operators) {
      const own: unknown[] = [];
      for (const part of parts) {
        for (const snapshot of part.operators) {
          if (snapshot.uid !== op.uid) continue;
          if (snapshot.keyed !== undefined) op.services.keyedState?.restore(snapshot.keyed);
          if (part.ownState && snapshot.state !== undefined) own.push(snapshot.state);
        }
      }
      attributedSync(op.nodeId, () => op.operator.initializeState(own));
    }
  }

  /** Opens the operators tail first, so each one's successors are ready before it emits. */
  async open(): Promise<void> {
    for (let i = this.operators.length - 1; i >= 0; i--) {
      const op = this.operators[i]!;
      await attributed(op.nodeId, () => op.operator.open(op.services.context, op.output));
    }
  }

  /**
   * The operators' state at checkpoint `checkpointId`, taken between two records: their own
   * state now, their keyed state as tasks that encode it key group by key group.
   */
  async snapshotState(checkpointId: number): Promise<TakenOperatorSnapshot[]> {
    const snapshots: TakenOperatorSnapshot[] = [];
    for (const op of this.operators) {
      const state = await attributed(op.nodeId, () => op.operator.snapshotState(checkpointId));
      snapshots.push({ uid: op.uid, state, keyed: op.services.keyedState?.beginSnapshot() });
    }
    return snapshots;
  }

  /** Checkpoint `checkpointId` is complete: operators commit what it prepared. */
  async notifyCheckpointComplete(checkpointId: number): Promise<void> {
    for (const op of this.operators) await attributed(op.nodeId, () => op.operator.notifyCheckpointComplete(checkpointId));
  }

  /** Bounded input ended: each operator, head first, emits what it still holds. */
  async endInput(): Promise<void> {
    for (const op of this.operators) await attributed(op.nodeId, () => op.operator.endInput());
  }

  /** The actor drained its input: hand on every partial batch. */
  flushBuffers(): void {
    for (const op of this.operators) {
      try {
        op.operator.flushBuffers();
      } catch (error) {
        throw tagged(op.nodeId, error);
      }
    }
    for (const writer of this.writers) writer.flush();
  }

  /** Sends end of input on every network output, after the records before it. */
  endOutputs(): void {
    for (const writer of this.writers) writer.broadcastControl(END_OF_INPUT);
  }

  /** Sends a checkpoint's barrier on every network output, after the records before it. */
  forwardBarrier(barrier: CheckpointBarrier): void {
    for (const writer of this.writers) writer.broadcastControl(barrier);
  }

  async close(): Promise<void> {
    for (const op of this.operators) await attributed(op.nodeId, () => op.operator.close());
  }

  /** The metrics of every node; `recordsSkipped` is the source reader's count, for a source vertex. */
  metrics(recordsSkipped = 0): NodeMetrics[] {
    const result: NodeMetrics[] = this.operators.map((op) => ({
      nodeId: op.nodeId,
      recordsIn: op.recordsIn,
      recordsOut: op.output.recordsOut,
      lateRecordsDropped: op.services.counters.lateRecordsDropped,
      keyedStateKeys: op.services.keyedState?.backend.numKeys() ?? 0,
      recordsSkipped: 0,
      timers: op.services.keyedState?.timersPending ?? 0,
      watermark: op.inputWatermark,
      outputWatermark: op.output.watermark,
    }));
    if (this.operators[0]?.nodeId !== this.headNodeId) {
      const source = this.outputs.get(this.headNodeId)!;
      result.unshift({ nodeId: this.headNodeId, recordsIn: 0, recordsOut: source.recordsOut, lateRecordsDropped: 0, keyedStateKeys: 0, recordsSkipped, timers: 0, watermark: source.watermark, outputWatermark: source.watermark });
    }
    return result;
  }
}

/**
 * Builds the chain of `vertex` at one subtask. `writers` holds the record writer of every network
 * edge leaving the vertex, by edge index; `servicesOf` gives each operator its context and state,
 * told whether something after the operator keeps the records it emits (for object reuse).
 */
export function buildOperatorChain(
  { nodes, uids, job }: Pick<PlannedJob, 'nodes' | 'uids' | 'job'>,
  vertex: JobVertex,
  writers: ReadonlyMap<number, RecordWriter>,
  servicesOf: (nodeId: number, receivedKeyGroup: ReceivedKeyGroup | undefined, outputKept: boolean) => OperatorServices,
): OperatorChain {
  const receivedKeyGroup: ReceivedKeyGroup = { value: -1 };
  const chained = new Map<number, ChainedOperator>();
  const outputs = new Map<number, NodeOutput>();
  /** Nodes whose emitted records something after them keeps: a writer (until it flushes), or an operator that keeps its input. */
  const outputKept = new Set<number>();
  for (let i = vertex.nodeIds.length - 1; i >= 0; i--) {
    const nodeId = vertex.nodeIds[i]!;
    const main: Downstream[] = [];
    const sides = new Map<string, Downstream[]>();
    job.edges.forEach((edge, index) => {
      if (edge.sourceNodeId !== nodeId) return;
      const next = edge.chained ? chained.get(edge.targetNodeId)! : undefined;
      const target = next === undefined ? writers.get(index)! : next.inputs[edge.inputIndex]!;
      if (next === undefined || next.operator.keepsInputRecords === true || outputKept.has(next.nodeId)) outputKept.add(nodeId);
      if (edge.sideOutput === undefined) main.push(target);
      else sides.set(edge.sideOutput, [...(sides.get(edge.sideOutput) ?? []), target]);
    });
    const all = [...main, ...[...sides.values()].flat()];
    const output = new NodeOutput(combine(main), new Map([...sides].map(([tag, targets]) => [tag, combine(targets)])), all);
    outputs.set(nodeId, output);
    const node = nodes[nodeId]!;
    if (node.createOperator !== undefined) {
      const twoInputs = node.inputs.some((input) => input.inputIndex === 1);
      chained.set(nodeId, new ChainedOperator(nodeId, uids[nodeId]!, node.createOperator(), output, servicesOf(nodeId, nodeId === vertex.headNodeId ? receivedKeyGroup : undefined, outputKept.has(nodeId)), twoInputs));
    }
  }
  const operators = vertex.nodeIds.flatMap((id) => chained.get(id) ?? []);
  const isSource = nodes[vertex.headNodeId]!.kind === 'source';
  return new OperatorChain(vertex.headNodeId, operators, [...writers.values()], outputs, isSource, receivedKeyGroup);
}
