// The list of the process's jobs, live from the overview stream; a click opens a job, and the start
// page opens the job at once while the process runs exactly one.
import { subscribeToOverview } from './api.js';
import { columns, html, table, tableRow } from './dom.js';
import { formatCount, formatDuration, formatRate, formatTime } from './format.js';
import { stateBadge } from './job-header.js';
import type { JobSummary, JobsOverview } from './rest.js';
import { jobHref } from './routes.js';
import type { View } from './view.js';

const JOB_COLUMNS = columns(['Job', 'State', 'Started', 'Duration', 'Vertices / subtasks', 'Records read', 'Rate', 'Restarts'], ['Job', 'State', 'Started']);

function jobRow(job: JobSummary): HTMLTableRowElement {
  return tableRow('job-row', JOB_COLUMNS, [
    html('a', { href: jobHref(job.id), 'data-testid': 'job-link' }, job.name),
    stateBadge(job.state, 'job-row-state'),
    formatTime(job.startTime),
    formatDuration(job.durationMs),
    `${job.vertexCount} / ${job.subtaskCount}`,
    formatCount(job.recordsRead),
    formatRate(job.recordsReadPerSecond),
    String(job.restarts),
  ]);
}

export function overviewView(container: HTMLElement, header: HTMLElement, openSoleJob: boolean): View {
  const jobs = table('job-list', JOB_COLUMNS);
  const status = html('p', { class: 'status-line', 'data-testid': 'overview-status' }, 'Connecting…');
  header.replaceChildren(html('h1', { class: 'job-name' }, 'Jobs'));
  container.replaceChildren(html('section', { class: 'panel', 'aria-label': 'Jobs' }, status, html('div', { class: 'table-scroll' }, jobs.table)));
  const stop = subscribeToOverview({
    onMessage(overview: JobsOverview) {
      if (openSoleJob && overview.jobs.length === 1) {
        location.replace(jobHref(overview.jobs[0].id));
        return;
      }
      status.textContent = overview.jobs.length === 0 ? 'No jobs in this process yet.' : `${overview.jobs.length} job${overview.jobs.length === 1 ? '' : 's'}`;
      jobs.body.replaceChildren(...overview.jobs.map(jobRow));
    },
    onError(closed) {
      status.textContent = closed ? 'The monitoring server refused the job list.' : 'Connection lost; reconnecting…';
    },
  });
  return { close: stop };
}
