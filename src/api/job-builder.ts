// What a stream needs of the job it belongs to: the graph to add its operators to, and the way to
// run the job and collect a stream. The environment implements it; streams hold it, so the stream
// classes do not depend on the environment.

import type { StreamNode } from '../core/job-plan.js';
import type { OneInputOperator } from '../core/operator.js';
import type { NewStreamNode, StreamGraph } from '../graph/stream-graph.js';
import type { MainThreadEndpoint } from '../runtime/main-thread-link.js';

/** A stream that can end in a sink: what the environment adds the collect sink to. */
export interface SinkableStream {
  /** @internal Adds a sink node reading this stream. */
  addSink(type: string, name: string, create: () => OneInputOperator<unknown, never>): void;
}

/** @internal What streams hold of their job; the environment implements it. */
export interface JobBuilder {
  /** Adds a node to the job's graph. */
  addNode(node: NewStreamNode): StreamNode;
  /** The job's graph (refuses changes once the job was executed). */
  graphForRuntime(): StreamGraph;
  /** Ends `stream` with the collect sink, runs the job and resolves with the collected records. */
  executeAndCollect(stream: SinkableStream, jobName: string, limit: number | undefined): Promise<unknown[]>;
  /** Registers the main-thread end of a push or request source or a collectAsync sink. */
  addMainThreadEndpoint(endpoint: MainThreadEndpoint): void;
}
