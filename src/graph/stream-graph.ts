// The logical dataflow the API records: one node per operator the user called, with the
// partitioning of each input edge. Pure data plus the user's functions; no threads, no I/O.

import { StreamError } from '../core/errors.js';
import type { StreamInput, StreamNode } from '../core/job-plan.js';

export type NewStreamNode = Omit<StreamNode, 'id'>;

/** The fields every operator node reading `inputs` starts from; the caller adds its operator. */
export function operatorNode(type: string, name: string, inputs: readonly StreamInput[], keySelector: ((value: unknown) => unknown) | undefined) {
  return {
    kind: 'operator' as const,
    type,
    name,
    uid: undefined,
    parallelism: undefined,
    maxParallelism: undefined,
    inheritsParallelism: false,
    inputs,
    keySelector,
    source: undefined,
    createOperator: undefined,
  };
}

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
   * The graph's shape, one line per node: equal for two runs of the same job script. A worker
   * compares its own with the main thread's to catch scripts that build a different job per run.
   */
  fingerprint(): string[] {
    return this.nodes.map((n) => {
      const inputs = n.inputs.map((i) => {
        const how = [i.partitioning?.kind, i.sideOutput === undefined ? undefined : `side output "${i.sideOutput}"`, i.inputIndex === 1 ? 'second input' : undefined];
        const details = how.filter((d) => d !== undefined).join(', ');
        return `#${i.nodeId}${details === '' ? '' : ` (${details})`}`;
      });
      const parallelism = n.parallelism === undefined ? '' : ` at parallelism ${n.parallelism}`;
      return `#${n.id} ${n.type} "${n.name}"${parallelism}${inputs.length === 0 ? '' : ` reading ${inputs.join(' and ')}`}`;
    });
  }
}
