// One job's page: header, graph, subtask panel, checkpoints and exceptions, re-rendered in place
// from each event of the job's live stream. When the job ended the stream stops and the page
// keeps its last figures; a stream the server refuses falls back to one read of the REST API.
import { fetchJobEvent, subscribeToJob } from './api.js';
import { html } from './dom.js';
import { CheckpointsSection } from './checkpoints-section.js';
import { ExceptionsSection } from './exceptions-section.js';
import { JobGraph } from './job-graph.js';
import { JobHeader } from './job-header.js';
import type { JobEvent, JobState } from './rest.js';
import { JOBS_HREF } from './routes.js';
import { SubtaskPanel } from './subtask-panel.js';
import type { View } from './view.js';

const ENDED: ReadonlySet<JobState> = new Set(['FINISHED', 'FAILED', 'CANCELED']);

function legend(): HTMLElement {
  const swatch = (className: string, label: string): HTMLElement => html('span', { class: 'legend-item' }, html('span', { class: `swatch ${className}` }), label);
  return html('p', { class: 'legend' }, swatch('swatch-idle', 'idle'), swatch('swatch-busy', 'busy'), swatch('swatch-backpressured', 'backpressured'), html('span', { class: 'hint' }, 'Click a vertex for its subtasks.'));
}

export function jobView(jobId: string, container: HTMLElement, headerSlot: HTMLElement): View {
  const header = new JobHeader();
  const status = html('p', { class: 'status-line', 'data-testid': 'job-status' }, 'Connecting…');
  const checkpoints = new CheckpointsSection();
  const exceptions = new ExceptionsSection();
  let latest: JobEvent | null = null;
  let ended = false;

  const panel = new SubtaskPanel(jobId, () => select(null));
  const graph = new JobGraph((vertexId) => select(vertexId));
  function select(vertexId: number | null): void {
    graph.select(vertexId);
    const vertex = latest?.job.vertices.find((candidate) => candidate.id === vertexId);
    if (vertex === undefined) panel.close();
    else panel.open(vertex.id, vertex.name, !ended);
  }

  headerSlot.replaceChildren(header.element);
  container.replaceChildren(
    html('p', { class: 'back' }, html('a', { href: JOBS_HREF, 'data-testid': 'all-jobs' }, '← All jobs')),
    status,
    html('section', { class: 'panel graph-panel', 'aria-label': 'Job graph' }, graph.element, legend()),
    panel.element,
    checkpoints.element,
    exceptions.element,
  );

  function render(event: JobEvent): void {
    latest = event;
    ended = ENDED.has(event.job.state);
    header.update(event.job);
    graph.update(event.job);
    checkpoints.update(event.job, event.checkpoints);
    exceptions.update(event.exceptions, event.job.now);
    panel.setLive(!ended);
    status.textContent = ended ? `The job ended: ${event.job.state}.` : '';
    status.hidden = !ended;
    document.title = `${event.job.name} · eddy`;
  }

  async function readOnce(): Promise<void> {
    try {
      render(await fetchJobEvent(jobId));
    } catch (error) {
      status.hidden = false;
      status.textContent = `Could not load the job: ${error instanceof Error ? error.message : String(error)}`;
    }
  }
  const stopStream = subscribeToJob(jobId, {
    onMessage(event) {
      render(event);
      if (ended) stopStream();
    },
    onError(closed) {
      if (ended) return;
      if (closed) {
        void readOnce();
        return;
      }
      status.hidden = false;
      status.textContent = 'Connection lost; reconnecting…';
    },
  });

  return {
    close() {
      stopStream();
      panel.close();
    },
  };
}
