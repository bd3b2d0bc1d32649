// The logical dataflow the API records: one node per operator the user called, with the
// partitioning of each input edge. Pure data plus the user's functions; no threads, no I/O.

import { StreamError } from '../core/errors.js';
import type { AnyOperator } from '../core/operator.js';
import type { Source } from '../core/source.js';

/** How records travel along an edge. `undefined` on an input means "forward if possible, else rebalance". */
export type PartitionKind = 'forward' | 'rebalance' | 'hash' | 'broadcast';

export interface Partitioning {
  readonly kind: PartitionKind;
  /** For `hash`: the user's key selector. */
  readonly keySelector?: (value: unknown) => unknown;
}

/** One input edge of a node. */
export interface StreamInput {
  readonly nodeId: number;
  readonly partitioning: Partitioning | undefined;
  /** Reads the upstream node's side output with this tag id instead of its main output. */
  readonly sideOutput?: string;
  /** Which input of a two-input operator the edge feeds (0 = first, 1 = second). */
  readonly inputIndex?: 0 | 1;
}

export type StreamNodeKind = 'source' | 'operator' | 'sink';

export interface StreamNode {
  readonly id: number;
  readonly kind: StreamNodeKind;
  /** What the node does, for the fingerprint and errors ("map", "keyed-reduce", ...). */
  readonly type: string;
  name: string;
  uid: string | undefined;
  /** Parallelism set with `setParallelism`, or undefined for the environment's default. */
  parallelism: number | undefined;
  /** Highest parallelism the node supports (1 for a collection source). */
  readonly maxParallelism: number | undefined;
  /** For nodes that take their input's parallelism (Flink's timestamp assigner). */
  readonly inheritsParallelism: boolean;
  readonly inputs: readonly StreamInput[];
  /** The key selector of a keyed operator (after `keyBy`), used for its state. */
  readonly keySelector: ((value: unknown) => unknown) | undefined;
  /** The second input's key selector, for a keyed two-input operator. */
  readonly keySelector2?: ((value: unknown) => unknown) | undefined;
  readonly source: Source<unknown> | undefined;
  readonly createOperator: (() => AnyOperator) | undefined;
  /** For operators that need event time (event-time windows): refused when no input has watermarks. */
  readonly needsEventTime?: boolean;
  /** For nodes that assign timestamps and watermarks (fromSource with a strategy, the assigner). */
  readonly producesWatermarks?: boolean;
}

export type NewStreamNode = Omit<StreamNode, 'id'>;

/** The nodes of one job, in the order the user created them (which is a topological order). */
export class StreamGraph {
  readonly nodes: StreamNode[] = [];
  private executed = false;

  add(node: NewStreamNode): StreamNode {
    this.assertOpen();
    const full: StreamNode = { ...node, id: this.nodes.length };
    this.nodes.push(full);
    return full;
  }

  node(id: number): StreamNode {
    const node = this.nodes[id];
    if (node === undefined) throw new StreamError('INTERNAL', `No stream node ${id}`, { domain: 'internal' });
    return node;
  }

  /**
   * The node's uid: the one given with `uid()`, else one generated from the node's kind and its
   * place in the graph, which stays the same while the job is built the same way.
   */
  uidOf(id: number): string {
    const node = this.node(id);
    return node.uid ?? `${node.type}#${id}`;
  }

  /** Nodes that read from `id`. */
  consumersOf(id: number): StreamNode[] {
    return this.nodes.filter((n) => n.inputs.some((i) => i.nodeId === id));
  }

  /** Freezes the graph: it was handed to the runtime. */
  markExecuted(): void {
    this.executed = true;
  }

  get isExecuted(): boolean {
    return this.executed;
  }

  assertOpen(): void {
    if (this.executed) {
      throw new StreamError(
        'JOB_ALREADY_EXECUTED',
        'This stream belongs to a job that was already executed, so it can no longer be changed. ' +
          'Build the next job from a new environment: StreamExecutionEnvironment.getExecutionEnvironment().',
      );
    }
  }

  /**
   * A description of the graph's shape, equal for two runs of the same job script. A worker
   * compares its own with the main thread's to catch scripts that build a different job per run.
   */
  fingerprint(): string {
    return this.nodes
      .map((n) => {
        const inputs = n.inputs.map((i) => `${i.nodeId}:${i.partitioning?.kind ?? 'default'}:${i.sideOutput ?? ''}:${i.inputIndex ?? 0}`).join(',');
        return `${n.id}:${n.type}:${n.name}:${n.parallelism ?? '-'}[${inputs}]`;
      })
      .join(' ');
  }
}
