// The operators of one vertex at one subtask, wired as plain calls: each operator's output goes
// to its chained successors and to the record writers of its network edges. Failures are tagged
// with the operator that raised them, so the job's error can name it.

import type { JobGraph, JobVertex } from '../graph/job-graph.js';
import type { StreamGraph } from '../graph/stream-graph.js';
import type { OneInputOperator, OperatorContext, Output } from '../operators/operator.js';
import type { RecordWriter } from './record-writer.js';

/** An error raised by the operator of stream node `nodeId`. */
export class OperatorFailure {
  constructor(
    readonly nodeId: number,
    readonly cause: unknown,
  ) {}
}

/** Runs `work`, tagging a failure with `nodeId` unless an inner operator already did. */
export async function attributed<T>(nodeId: number, work: () => T | Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    throw error instanceof OperatorFailure ? error : new OperatorFailure(nodeId, error);
  }
}

/** The entry into one chained operator: counts records and tags failures. */
class OperatorInput implements Output<unknown> {
  recordsIn = 0;

  constructor(
    readonly nodeId: number,
    readonly operator: OneInputOperator<unknown, unknown>,
    readonly output: Output<unknown>,
  ) {}

  collect(value: unknown, timestamp: number): void {
    this.recordsIn++;
    try {
      this.operator.processElement(value, timestamp);
    } catch (error) {
      throw error instanceof OperatorFailure ? error : new OperatorFailure(this.nodeId, error);
    }
  }

  emitWatermark(watermark: number): void {
    let forward: number | null;
    try {
      forward = this.operator.processWatermark(watermark);
    } catch (error) {
      throw error instanceof OperatorFailure ? error : new OperatorFailure(this.nodeId, error);
    }
    if (forward !== null) this.output.emitWatermark(forward);
  }
}

class FanOut implements Output<unknown> {
  constructor(private readonly targets: readonly Output<unknown>[]) {}

  collect(value: unknown, timestamp: number): void {
    for (const target of this.targets) target.collect(value, timestamp);
  }

  emitWatermark(watermark: number): void {
    for (const target of this.targets) target.emitWatermark(watermark);
  }
}

/** Output of an operator nothing reads from: its records are dropped (as in Flink). */
const DISCARD: Output<unknown> = { collect() {}, emitWatermark() {} };

/** Counts what a source emits before handing it to the chain. */
class SourceOutput implements Output<unknown> {
  recordsOut = 0;

  constructor(private readonly target: Output<unknown>) {}

  collect(value: unknown, timestamp: number): void {
    this.recordsOut++;
    this.target.collect(value, timestamp);
  }

  emitWatermark(watermark: number): void {
    this.target.emitWatermark(watermark);
  }
}

export interface NodeMetrics {
  nodeId: number;
  recordsIn: number;
  recordsOut: number;
}

export class OperatorChain {
  /** Where the actor hands records arriving from the network (or from the source reader). */
  readonly input: Output<unknown>;
  private readonly sourceOutput: SourceOutput | undefined;

  constructor(
    readonly headNodeId: number,
    private readonly operators: readonly OperatorInput[],
    private readonly writers: readonly RecordWriter[],
    private readonly contexts: ReadonlyMap<number, OperatorContext>,
    headOutput: Output<unknown>,
    isSource: boolean,
  ) {
    this.sourceOutput = isSource ? new SourceOutput(headOutput) : undefined;
    this.input = this.sourceOutput ?? operators[0]!;
  }

  /** Opens the operators tail first, so each one's successors are ready before it emits. */
  async open(): Promise<void> {
    for (let i = this.operators.length - 1; i >= 0; i--) {
      const op = this.operators[i]!;
      await attributed(op.nodeId, () => op.operator.open(this.contexts.get(op.nodeId)!, op.output));
    }
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
        throw error instanceof OperatorFailure ? error : new OperatorFailure(op.nodeId, error);
      }
    }
    for (const writer of this.writers) writer.flush();
  }

  /** Sends a control frame (end of input) on every network output. */
  broadcastControl(kind: number, payload: Uint8Array): void {
    for (const writer of this.writers) writer.broadcastControl(kind, payload);
  }

  async close(): Promise<void> {
    for (const op of this.operators) await attributed(op.nodeId, () => op.operator.close());
  }

  metrics(): NodeMetrics[] {
    const result: NodeMetrics[] = this.operators.map((op) => ({ nodeId: op.nodeId, recordsIn: op.recordsIn, recordsOut: 0 }));
    if (this.sourceOutput !== undefined) result.unshift({ nodeId: this.headNodeId, recordsIn: 0, recordsOut: this.sourceOutput.recordsOut });
    return result;
  }
}

/**
 * Builds the chain of `vertex` at one subtask. `writers` holds the record writer of every network
 * edge leaving the vertex, by edge index; `contextOf` gives each operator its context.
 */
export function buildOperatorChain(
  graph: StreamGraph,
  job: JobGraph,
  vertex: JobVertex,
  writers: ReadonlyMap<number, RecordWriter>,
  contextOf: (nodeId: number) => OperatorContext,
): OperatorChain {
  const inputs = new Map<number, OperatorInput>();
  const outputs = new Map<number, Output<unknown>>();
  for (let i = vertex.nodeIds.length - 1; i >= 0; i--) {
    const nodeId = vertex.nodeIds[i]!;
    const targets: Output<unknown>[] = [];
    job.edges.forEach((edge, index) => {
      if (edge.sourceNodeId !== nodeId) return;
      targets.push(edge.chained ? inputs.get(edge.targetNodeId)! : writers.get(index)!);
    });
    const output = targets.length === 0 ? DISCARD : targets.length === 1 ? targets[0]! : new FanOut(targets);
    outputs.set(nodeId, output);
    const node = graph.node(nodeId);
    if (node.createOperator !== undefined) inputs.set(nodeId, new OperatorInput(nodeId, node.createOperator(), output));
  }
  const operators = vertex.nodeIds.flatMap((id) => inputs.get(id) ?? []);
  const contexts = new Map(operators.map((op) => [op.nodeId, contextOf(op.nodeId)]));
  const isSource = graph.node(vertex.headNodeId).kind === 'source';
  return new OperatorChain(vertex.headNodeId, operators, [...writers.values()], contexts, outputs.get(vertex.headNodeId)!, isSource);
}
