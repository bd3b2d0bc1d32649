// The planned job, as the runtime runs it: the nodes the API recorded (with the user's functions),
// the job graph (chained vertices and resolved edges) and the execution plan (actors, channels,
// threads, key groups). graph/ makes it from what the user built; runtime/ and actors/ run it.

import type { AnyOperator } from './operator.js';
import type { Source } from './source.js';

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
  /**
   * For a source read with `env.fromSource`: its watermark strategy, run in the source (per split
   * for a source with `watermarksPerSplit`). Typed loosely: core does not know the time layer.
   */
  readonly sourceWatermarks?: unknown;
  /** Checks the job's settings before it runs (a sink that needs checkpointing); throws to refuse it. */
  readonly checkJob?: (settings: JobSettings) => void;
  readonly createOperator: (() => AnyOperator) | undefined;
  /** For operators that need event time (event-time windows): refused when no input has watermarks. */
  readonly needsEventTime?: boolean;
  /** For nodes that assign timestamps and watermarks (fromSource with a strategy, the assigner). */
  readonly producesWatermarks?: boolean;
}

/** What a node may check of the job before it runs. */
export interface JobSettings {
  /** The checkpoint interval, or undefined when the job does not checkpoint. */
  readonly checkpointIntervalMs: number | undefined;
  /** How long a restart waits before the job runs again (0 when the job does not restart). */
  readonly restartDelayMs: number;
}

/** An edge after resolution: its partitioning is decided. */
export interface ResolvedEdge {
  readonly sourceNodeId: number;
  readonly targetNodeId: number;
  readonly kind: PartitionKind;
  readonly keySelector: ((value: unknown) => unknown) | undefined;
  /** Whether the two nodes run in one actor (a chained call) or across a channel. */
  readonly chained: boolean;
  /** The side output of the source node this edge reads, or undefined for its main output. */
  readonly sideOutput: string | undefined;
  /** Which input of the target the edge feeds. */
  readonly inputIndex: 0 | 1;
}

/** Operators that run together in one actor per subtask. */
export interface JobVertex {
  readonly id: number;
  /** The node that reads from the network (or the source). */
  readonly headNodeId: number;
  /** Every node of the chain, head first, in topological order. */
  readonly nodeIds: readonly number[];
  readonly parallelism: number;
  /** Name for logs: the chained operator names joined by " -> ". */
  readonly name: string;
}

export interface JobGraph {
  readonly vertices: readonly JobVertex[];
  readonly edges: readonly ResolvedEdge[];
  /** Parallelism of every stream node, by node id. */
  readonly parallelism: readonly number[];
  /** Vertex of every stream node, by node id. */
  readonly vertexOf: readonly number[];
  readonly maxParallelism: number;
}

export interface ActorSpec {
  readonly index: number;
  readonly vertexId: number;
  readonly subtask: number;
  readonly parallelism: number;
  /** Worker thread (0-based) that runs the actor. */
  readonly thread: number;
  readonly keyGroupRange: { readonly start: number; readonly end: number };
}

export interface ChannelSpec {
  readonly index: number;
  /** Index into `JobGraph.edges`. */
  readonly edgeIndex: number;
  readonly producerActor: number;
  readonly consumerActor: number;
  readonly consumerSubtask: number;
}

export interface ExecutionPlan {
  readonly actors: readonly ActorSpec[];
  readonly channels: readonly ChannelSpec[];
  readonly threads: number;
}

/** How a worker reaches the job's user functions. */
export type JobSource =
  /** Re-import the job script and capture the graph of its `ordinal`-th `execute()` call. */
  | { readonly kind: 'script'; readonly url: string; readonly ordinal: number }
  /** Import a `defineJob` module and build its graph with `args`. */
  | { readonly kind: 'module'; readonly url: string; readonly args: unknown };

/** The settings a job is planned with; the main thread resolves them and sends them to every worker. */
export interface PlanSettings {
  /** Parallelism of operators that set none. */
  readonly defaultParallelism: number;
  /** Key groups; `undefined`: derived from the highest parallelism, as Flink does. */
  readonly maxParallelism: number | undefined;
  /** Worker threads at most. */
  readonly maxThreads: number;
}

/** Everything the runtime needs to deploy and run a job. */
export interface PlannedJob {
  /** The stream nodes, by id. */
  readonly nodes: readonly StreamNode[];
  /** The uid of every node (`uid()`, or generated from its place in the graph), by id. */
  readonly uids: readonly string[];
  readonly job: JobGraph;
  readonly plan: ExecutionPlan;
  /**
   * One line per node describing the graph's shape: equal for two runs of the same job script. A
   * worker compares its own with the main thread's to catch scripts that build another job per run.
   */
  readonly fingerprint: readonly string[];
}
