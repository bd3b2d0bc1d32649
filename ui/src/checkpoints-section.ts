// The checkpoints of a job: its settings, how many completed, failed and are in progress, the
// newest completed one, and the history (newest first).
import { columns, html, table, tableRow } from './dom.js';
import { formatBytes, formatDuration, formatTime } from './format.js';
import type { CheckpointEntry, CheckpointsInfo, JobDetails } from './rest.js';

const HISTORY_COLUMNS = columns(['ID', 'Status', 'Kind', 'Triggered', 'Duration', 'Size', 'Alignment', 'Acknowledged', 'Failure'], ['Status', 'Kind', 'Triggered', 'Failure']);

function checkpointRow(entry: CheckpointEntry, now: number): HTMLTableRowElement {
  const status = entry.status.toLowerCase();
  return tableRow(
    'checkpoint-row',
    HISTORY_COLUMNS,
    [
      String(entry.id),
      html('span', { class: `status status-${status}` }, entry.status),
      entry.savepoint ? 'savepoint' : 'checkpoint',
      formatTime(entry.triggerTime, now),
      formatDuration(entry.durationMs),
      formatBytes(entry.stateBytes),
      formatDuration(entry.alignmentMs),
      `${entry.acknowledged}/${entry.subtasks}`,
      entry.failure ?? '',
    ],
    `checkpoint-${status}`,
  );
}

function settingsText(job: JobDetails): string {
  if (job.checkpointing === null) return 'This job does not checkpoint.';
  return `Every ${formatDuration(job.checkpointing.intervalMs)}, ${job.checkpointing.mode}.`;
}

function latestText(latest: CheckpointEntry | null, now: number): string {
  if (latest === null) return 'none yet';
  return `#${latest.id} at ${formatTime(latest.triggerTime, now)}, ${formatDuration(latest.durationMs)}, ${formatBytes(latest.stateBytes)}`;
}

export class CheckpointsSection {
  readonly element: HTMLElement;
  private readonly settings = html('p', { 'data-testid': 'checkpoint-settings' });
  private readonly counts = html('p', { class: 'counts', 'data-testid': 'checkpoint-counts' });
  private readonly latest = html('p', { 'data-testid': 'checkpoint-latest' });
  private readonly history = table('checkpoint-history', HISTORY_COLUMNS);
  private rendered = '';

  constructor() {
    this.element = html('section', { class: 'panel', 'data-testid': 'checkpoints', 'aria-labelledby': 'checkpoints-title' }, html('h2', { id: 'checkpoints-title' }, 'Checkpoints'), this.settings, this.counts, this.latest, html('div', { class: 'table-scroll' }, this.history.table));
  }

  update(job: JobDetails, checkpoints: CheckpointsInfo): void {
    const rendering = JSON.stringify([job.checkpointing, checkpoints]);
    if (rendering === this.rendered) return;
    this.rendered = rendering;
    const { counts } = checkpoints;
    this.settings.textContent = settingsText(job);
    this.counts.textContent = `${counts.completed} completed · ${counts.failed} failed · ${counts.inProgress} in progress`;
    this.latest.textContent = `Latest completed: ${latestText(checkpoints.latestCompleted, job.now)}`;
    this.history.table.hidden = checkpoints.history.length === 0;
    this.history.body.replaceChildren(...checkpoints.history.map((entry) => checkpointRow(entry, job.now)));
  }
}
