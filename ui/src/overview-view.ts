// The list of the process's jobs, live from the overview stream; a click opens a job, and a start
// page whose process runs exactly one job opens that job at once.
import { subscribeToOverview } from './api.js';
import { html, table } from './dom.js';
import { formatCount, formatDuration, formatRate, formatTime } from './format.js';
import { stateBadge } from './job-header.js';
import type { JobSummary, JobsOverview } from './rest.js';
import { jobHref } from './routes.js';
import type { View } from './view.js';

function jobRow(job: JobSummary): HTMLTableRowElement {
  return html(
    'tr',
    { 'data-testid': 'job-row' },
    html('td', {}, html('a', { href: jobHref(job.id), 'data-testid': 'job-link' }, job.name)),
    html('td', {}, stateBadge(job.state, 'job-row-state')),
    html('td', {}, formatTime(job.startTime)),
    html('td', { class: 'num' }, formatDuration(job.durationMs)),
    html('td', { class: 'num' }, `${job.vertexCount} / ${job.subtaskCount}`),
    html('td', { class: 'num' }, formatCount(job.recordsRead)),
    html('td', { class: 'num' }, formatRate(job.recordsReadPerSecond)),
    html('td', { class: 'num' }, String(job.restarts)),
  );
}

export function overviewView(container: HTMLElement, header: HTMLElement, openSoleJob: boolean): View {
  const jobs = table('job-list', ['Job', 'State', 'Started', 'Duration', 'Vertices / subtasks', 'Records read', 'Rate', 'Restarts'], 3);
  const status = html('p', { class: 'status-line', 'data-testid': 'overview-status' }, 'Connecting…');
  header.replaceChildren(html('h1', { class: 'job-name' }, 'Jobs'));
  container.replaceChildren(html('section', { class: 'panel', 'aria-label': 'Jobs' }, status, html('div', { class: 'table-scroll' }, jobs.table)));
  let first = true;
  const stop = subscribeToOverview({
    onMessage(overview: JobsOverview) {
      if (first && openSoleJob && overview.jobs.length === 1) {
        location.replace(jobHref(overview.jobs[0].id));
        return;
      }
      first = false;
      status.textContent = overview.jobs.length === 0 ? 'No jobs in this process yet.' : `${overview.jobs.length} job${overview.jobs.length === 1 ? '' : 's'}`;
      jobs.body.replaceChildren(...overview.jobs.map(jobRow));
    },
    onError(closed) {
      status.textContent = closed ? 'The monitoring server refused the job list.' : 'Connection lost; reconnecting…';
    },
  });
  return { close: stop };
}
