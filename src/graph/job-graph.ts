// StreamGraph -> JobGraph: resolves each node's parallelism and each edge's partitioning, then
// chains operators connected one-to-one with equal parallelism into one vertex (one actor per
// subtask), so that records between them are plain function calls: no encoding, no ring.

import { StreamError } from '../core/errors.js';
import type { JobGraph, ResolvedEdge, StreamNode } from '../core/job-plan.js';
import type { StreamGraph } from './stream-graph.js';

/** Decides every node's parallelism: explicit, inherited from the input, or the default. */
export function resolveParallelism(graph: StreamGraph, defaultParallelism: number): number[] {
  const result: number[] = [];
  for (const node of graph.nodes) {
    let p = node.parallelism;
    if (p === undefined && node.inheritsParallelism && node.inputs.length > 0) {
      p = result[node.inputs[0]!.nodeId];
    }
    if (p === undefined) p = Math.min(defaultParallelism, node.maxParallelism ?? Infinity);
    if (node.maxParallelism !== undefined && p > node.maxParallelism) {
      throw new StreamError(
        'INVALID_GRAPH',
        `"${node.name}" cannot run at parallelism ${p}: it supports at most ${node.maxParallelism}. ` +
          `Remove its setParallelism(${p}) call or set it to ${node.maxParallelism}.`,
      );
    }
    result.push(p);
  }
  return result;
}

function resolveEdges(graph: StreamGraph, parallelism: number[]): Omit<ResolvedEdge, 'chained'>[] {
  const edges: Omit<ResolvedEdge, 'chained'>[] = [];
  for (const target of graph.nodes) {
    for (const input of target.inputs) {
      const source = graph.node(input.nodeId);
      const same = parallelism[source.id] === parallelism[target.id];
      const kind = input.partitioning?.kind ?? (same ? 'forward' : 'rebalance');
      if (kind === 'forward' && !same) {
        throw new StreamError(
          'INVALID_GRAPH',
          `forward() from "${source.name}" (parallelism ${parallelism[source.id]}) to "${target.name}" ` +
            `(parallelism ${parallelism[target.id]}) needs equal parallelism. Give both the same ` +
            'parallelism, or use rebalance() instead of forward().',
        );
      }
      edges.push({
        sourceNodeId: source.id,
        targetNodeId: target.id,
        kind,
        keySelector: input.partitioning?.keySelector,
        sideOutput: input.sideOutput,
        inputIndex: input.inputIndex ?? 0,
      });
    }
  }
  return edges;
}

/** Flink's chaining rule, for the nodes eddy has: one forward input, equal parallelism, not a source. */
function isChainable(target: StreamNode, edge: Omit<ResolvedEdge, 'chained'>): boolean {
  return target.kind !== 'source' && target.inputs.length === 1 && edge.kind === 'forward';
}

/** Builds the JobGraph of a StreamGraph. */
export function buildJobGraph(
  graph: StreamGraph,
  defaultParallelism: number,
  maxParallelism: number,
): JobGraph {
  if (graph.nodes.length === 0) {
    throw new StreamError(
      'INVALID_GRAPH',
      'The job has no operators. Create a source (env.fromElements, env.fromSequence, ...) and a sink (print, sinkTo, executeAndCollect) before executing.',
    );
  }
  const parallelism = resolveParallelism(graph, defaultParallelism);
  for (const node of graph.nodes) {
    if (parallelism[node.id]! > maxParallelism && node.keySelector !== undefined) {
      throw new StreamError(
        'INVALID_GRAPH',
        `"${node.name}" has parallelism ${parallelism[node.id]} but the job's maxParallelism (key groups) is ${maxParallelism}. ` +
          'Raise env.setMaxParallelism() or lower the parallelism.',
      );
    }
  }
  assertEventTimeAvailable(graph);
  const edges = resolveEdges(graph, parallelism).map((e) => ({
    ...e,
    chained: isChainable(graph.node(e.targetNodeId), e),
  }));
  const vertexOf: number[] = [];
  const vertices: { id: number; headNodeId: number; nodeIds: number[]; parallelism: number; name: string }[] = [];
  for (const node of graph.nodes) {
    const chainedIn = edges.find((e) => e.targetNodeId === node.id && e.chained);
    if (chainedIn === undefined) {
      vertexOf[node.id] = vertices.length;
      vertices.push({ id: vertices.length, headNodeId: node.id, nodeIds: [node.id], parallelism: parallelism[node.id]!, name: node.name });
    } else {
      const vertex = vertices[vertexOf[chainedIn.sourceNodeId]!]!;
      vertexOf[node.id] = vertex.id;
      vertex.nodeIds.push(node.id);
      vertex.name += ` -> ${node.name}`;
    }
  }
  return { vertices, edges, parallelism, vertexOf, maxParallelism };
}

/**
 * Refuses an event-time operator (an event-time window) that no watermark reaches: without
 * timestamps and watermarks its windows would never fire.
 */
function assertEventTimeAvailable(graph: StreamGraph): void {
  const hasWatermarks: boolean[] = [];
  for (const node of graph.nodes) {
    const upstream = node.inputs.map((i) => hasWatermarks[i.nodeId]!);
    hasWatermarks[node.id] = node.producesWatermarks === true || (upstream.length > 0 && upstream.every(Boolean));
    if (node.needsEventTime === true && !(upstream.length > 0 && upstream.every(Boolean))) {
      throw new StreamError(
        'INVALID_GRAPH',
        `"${node.name}" uses event time, but its input has no timestamps and watermarks, so its windows would never fire. ` +
          'Assign them first: stream.assignTimestampsAndWatermarks(WatermarkStrategy.forBoundedOutOfOrderness(ms).withTimestampAssigner((e) => e.time)), ' +
          'or read with env.fromSource(source, strategy, name). For windows on arrival time, use the processing-time assigners.',
      );
    }
  }
}
