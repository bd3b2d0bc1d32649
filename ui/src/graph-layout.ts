// Places a job's vertices and edges left to right with dagre: each vertex's box from its operator
// names, each edge's route and the spot for its label.
import { Graph, layout } from '@dagrejs/dagre';
import type { EdgeLabel, GraphLabel, NodeLabel } from '@dagrejs/dagre';
import type { JobDetails, VertexEdge, VertexSummary } from './rest.js';

export const LINE_HEIGHT = 17;
export const NODE_PADDING = 10;
/** Lines under the operator names: parallelism, rates, load, watermark. */
export const METRIC_LINES = 4;
const CHARACTER_WIDTH = 7.2;
const MIN_NODE_WIDTH = 250;
export const MAX_NODE_WIDTH = 380;

export interface NodePlacement {
  readonly vertex: VertexSummary;
  /** Top-left corner and size. */
  readonly x: number;
  readonly y: number;
  readonly width: number;
  readonly height: number;
}

export interface EdgePlacement {
  readonly edge: VertexEdge;
  readonly label: string;
  readonly points: readonly { readonly x: number; readonly y: number }[];
  /** The label's centre. */
  readonly labelX: number;
  readonly labelY: number;
  readonly labelWidth: number;
}

export interface GraphPlacement {
  readonly width: number;
  readonly height: number;
  readonly nodes: readonly NodePlacement[];
  readonly edges: readonly EdgePlacement[];
}

/** The characters that fit on a line of a node. */
export const MAX_LINE_CHARACTERS = Math.floor((MAX_NODE_WIDTH - 2 * NODE_PADDING) / CHARACTER_WIDTH);

/** "HASH", "FORWARD · side output late", "REBALANCE · input 2". */
export function edgeLabel(edge: VertexEdge): string {
  const parts = [edge.partitioning.toUpperCase()];
  if (edge.sideOutput !== null) parts.push(`side output ${edge.sideOutput}`);
  if (edge.inputIndex > 0) parts.push(`input ${edge.inputIndex + 1}`);
  return parts.join(' · ');
}

function textWidth(text: string): number {
  return Math.min(text.length, MAX_LINE_CHARACTERS) * CHARACTER_WIDTH;
}

function nodeSize(vertex: VertexSummary): { width: number; height: number } {
  const widest = Math.max(...vertex.operators.map((operator) => textWidth(operator.name)), 0);
  const width = Math.min(MAX_NODE_WIDTH, Math.max(MIN_NODE_WIDTH, widest + 2 * NODE_PADDING));
  const lines = Math.max(1, vertex.operators.length) + METRIC_LINES;
  return { width, height: lines * LINE_HEIGHT + 2 * NODE_PADDING + 6 };
}

export function layoutJobGraph(job: JobDetails): GraphPlacement {
  const graph = new Graph<GraphLabel, NodeLabel, EdgeLabel>({ multigraph: true });
  graph.setGraph({ rankdir: 'LR', nodesep: 28, edgesep: 16, ranksep: 70, marginx: 12, marginy: 12 });
  for (const vertex of job.vertices) graph.setNode(String(vertex.id), nodeSize(vertex));
  job.edges.forEach((edge, index) => {
    graph.setEdge(String(edge.source), String(edge.target), { width: textWidth(edgeLabel(edge)) + 12, height: LINE_HEIGHT + 4, labelpos: 'c' }, String(index));
  });
  layout(graph);
  const nodes = job.vertices.map((vertex) => {
    const placed = graph.node(String(vertex.id));
    return { vertex, x: (placed.x ?? 0) - placed.width / 2, y: (placed.y ?? 0) - placed.height / 2, width: placed.width, height: placed.height };
  });
  const edges = job.edges.map((edge, index) => {
    const placed = graph.edge(String(edge.source), String(edge.target), String(index));
    const label = edgeLabel(edge);
    return { edge, label, points: placed.points ?? [], labelX: placed.x ?? 0, labelY: placed.y ?? 0, labelWidth: textWidth(label) + 12 };
  });
  const size = graph.graph();
  const finite = (value: number | undefined): number => (value !== undefined && Number.isFinite(value) ? value : 0);
  return { width: finite(size.width), height: finite(size.height), nodes, edges };
}
