// The job graph as SVG: a box per vertex (its operators' names, parallelism, live rates, load and
// watermark, coloured by busy and back-pressured shares) and a labelled arrow per edge. The layout
// is made again only when the graph itself changes; each update rewrites texts and colours.
import { setAttribute, setText, svg } from './dom.js';
import { formatPercent, formatRate, formatWatermark } from './format.js';
import { LINE_HEIGHT, MAX_LINE_CHARACTERS, NODE_PADDING, layoutJobGraph } from './graph-layout.js';
import type { NodePlacement } from './graph-layout.js';
import type { JobDetails, VertexSummary } from './rest.js';
import { backPressureOpacity, busyFill, isBackPressured } from './vertex-colour.js';

interface VertexView {
  readonly group: SVGGElement;
  /** The tooltip: the vertex's name and its watermark with the date. */
  readonly title: SVGTitleElement;
  readonly box: SVGRectElement;
  readonly stripes: SVGRectElement;
  readonly rates: SVGTextElement;
  readonly load: SVGTextElement;
  readonly watermark: SVGTextElement;
}

/** What identifies a graph's shape: its vertices, their operators and parallelism, its edges. */
function graphSignature(job: JobDetails): string {
  return JSON.stringify([job.vertices.map((vertex) => [vertex.id, vertex.parallelism, vertex.operators.map((operator) => operator.name)]), job.edges]);
}

function shortened(text: string): string {
  return text.length > MAX_LINE_CHARACTERS ? `${text.slice(0, MAX_LINE_CHARACTERS - 1)}…` : text;
}

function definitions(): SVGDefsElement {
  return svg(
    'defs',
    {},
    svg('pattern', { id: 'backpressure-stripes', width: 8, height: 8, patternUnits: 'userSpaceOnUse', patternTransform: 'rotate(45)' }, svg('rect', { width: 4, height: 8, fill: '#f0a030' })),
    svg('marker', { id: 'edge-arrow', viewBox: '0 0 10 10', refX: 10, refY: 5, markerWidth: 7, markerHeight: 7, orient: 'auto-start-reverse' }, svg('path', { d: 'M 0 0 L 10 5 L 0 10 z', class: 'edge-arrow' })),
  );
}

export class JobGraph {
  readonly element: HTMLElement;
  private readonly canvas: SVGSVGElement;
  private readonly vertexViews = new Map<number, VertexView>();
  private signature = '';
  private selectedVertex: number | null = null;

  constructor(private readonly onSelectVertex: (vertexId: number) => void) {
    this.canvas = svg('svg', { class: 'job-graph', 'data-testid': 'job-graph', role: 'group', 'aria-label': 'Job graph' });
    this.element = document.createElement('div');
    this.element.className = 'graph-scroll';
    this.element.append(this.canvas);
  }

  update(job: JobDetails): void {
    const signature = graphSignature(job);
    if (signature !== this.signature) {
      this.signature = signature;
      this.draw(job);
    }
    for (const vertex of job.vertices) this.updateVertex(vertex, job.now);
  }

  select(vertexId: number | null): void {
    this.selectedVertex = vertexId;
    for (const [id, view] of this.vertexViews) view.group.classList.toggle('selected', id === vertexId);
  }

  private draw(job: JobDetails): void {
    const placement = layoutJobGraph(job);
    this.vertexViews.clear();
    this.canvas.replaceChildren(definitions());
    setAttribute(this.canvas, 'viewBox', `0 0 ${placement.width} ${placement.height}`);
    setAttribute(this.canvas, 'width', String(placement.width));
    setAttribute(this.canvas, 'height', String(placement.height));
    for (const edge of placement.edges) {
      const path = edge.points.map((point, index) => `${index === 0 ? 'M' : 'L'} ${point.x} ${point.y}`).join(' ');
      this.canvas.append(
        svg(
          'g',
          { class: `edge edge-${edge.edge.partitioning}`, 'data-testid': 'edge', 'data-source': edge.edge.source, 'data-target': edge.edge.target },
          svg('path', { d: path, class: 'edge-line', 'marker-end': 'url(#edge-arrow)' }),
          svg('rect', { class: 'edge-label-box', x: edge.labelX - edge.labelWidth / 2, y: edge.labelY - LINE_HEIGHT / 2 - 2, width: edge.labelWidth, height: LINE_HEIGHT + 4, rx: 3 }),
          svg('text', { class: 'edge-label', 'data-testid': 'edge-label', x: edge.labelX, y: edge.labelY, 'text-anchor': 'middle', 'dominant-baseline': 'central' }, edge.label),
        ),
      );
    }
    for (const node of placement.nodes) this.drawVertex(node);
    this.select(this.selectedVertex);
  }

  private drawVertex(node: NodePlacement): void {
    const { vertex, width, height } = node;
    const line = (index: number): number => NODE_PADDING + LINE_HEIGHT * (index + 1) - 4;
    const metricText = (index: number, className: string): SVGTextElement => svg('text', { class: className, 'data-testid': className, x: NODE_PADDING, y: line(vertex.operators.length + index) + 6 });
    const box = svg('rect', { class: 'vertex-box', width, height, rx: 6 });
    const stripes = svg('rect', { class: 'vertex-stripes', width, height, rx: 6, fill: 'url(#backpressure-stripes)' });
    const rates = metricText(1, 'vertex-rates');
    const load = metricText(2, 'vertex-load');
    const watermark = metricText(3, 'vertex-watermark');
    const title = svg('title', {}, vertex.name);
    const group = svg(
      'g',
      { class: 'vertex', 'data-testid': 'vertex', 'data-vertex-id': vertex.id, transform: `translate(${node.x} ${node.y})`, tabindex: 0, role: 'button' },
      title,
      box,
      stripes,
      ...vertex.operators.map((operator, index) => svg('text', { class: `operator-name operator-${operator.kind}`, 'data-testid': 'operator-name', x: NODE_PADDING, y: line(index) }, shortened(operator.name))),
      svg('line', { class: 'vertex-rule', x1: NODE_PADDING, x2: width - NODE_PADDING, y1: line(vertex.operators.length - 1) + 7, y2: line(vertex.operators.length - 1) + 7 }),
      svg('text', { class: 'vertex-parallelism', 'data-testid': 'vertex-parallelism', x: NODE_PADDING, y: line(vertex.operators.length) + 6 }, `parallelism ${vertex.parallelism}`),
      rates,
      load,
      watermark,
    );
    group.addEventListener('click', () => this.onSelectVertex(vertex.id));
    group.addEventListener('keydown', (event) => {
      if (event.key !== 'Enter' && event.key !== ' ') return;
      event.preventDefault();
      this.onSelectVertex(vertex.id);
    });
    this.canvas.append(group);
    this.vertexViews.set(vertex.id, { group, title, box, stripes, rates, load, watermark });
  }

  private updateVertex(vertex: VertexSummary, now: number): void {
    const view = this.vertexViews.get(vertex.id);
    if (view === undefined) return;
    const { metrics } = vertex;
    setText(view.rates, `in ${formatRate(metrics.recordsInPerSecond)} · out ${formatRate(metrics.recordsOutPerSecond)}`);
    setText(view.load, `busy ${formatPercent(metrics.busyRatio)} · backpressured ${formatPercent(metrics.backPressuredRatio)}`);
    setText(view.watermark, `watermark ${formatWatermark(metrics.watermark, metrics.watermarkLagMs, now, true)}`);
    setText(view.title, `${vertex.name}\nwatermark ${formatWatermark(metrics.watermark, metrics.watermarkLagMs, now)}`);
    setAttribute(view.box, 'fill', busyFill(metrics));
    setAttribute(view.stripes, 'opacity', String(backPressureOpacity(metrics)));
    view.group.classList.toggle('backpressured', isBackPressured(metrics));
  }
}
