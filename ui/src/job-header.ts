// The top bar's part for one job: its name, state, uptime, restarts, records read and their rate,
// and how far it is when its sources know how many records they will emit.
import { html, setAttribute, setText } from './dom.js';
import { formatCount, formatDuration, formatPercent, formatRate } from './format.js';
import type { JobSummary } from './rest.js';

function figure(label: string, testId: string): { element: HTMLElement; value: HTMLElement } {
  const value = html('span', { class: 'figure-value', 'data-testid': testId });
  return { element: html('span', { class: 'figure' }, html('span', { class: 'figure-label' }, label), value), value };
}

/** A state badge; its class (`state-running`, ...) gives its colour. */
export function stateBadge(state: JobSummary['state'], testId: string): HTMLElement {
  return html('span', { class: `state state-${state.toLowerCase()}`, 'data-testid': testId }, state);
}

export class JobHeader {
  readonly element: HTMLElement;
  private readonly name = html('h1', { class: 'job-name', 'data-testid': 'job-name' });
  private readonly state = stateBadge('RUNNING', 'job-state');
  private readonly uptime = figure('uptime', 'job-uptime');
  private readonly restarts = figure('restarts', 'job-restarts');
  private readonly records = figure('records read', 'job-records');
  private readonly rate = figure('rate', 'job-rate');
  private readonly progress = figure('progress', 'job-progress');
  private readonly progressBar = html('progress', { max: 1, value: 0, 'aria-label': 'progress' });

  constructor() {
    this.progress.element.append(this.progressBar);
    this.element = html('div', { class: 'job-summary' }, this.name, this.state, html('div', { class: 'figures' }, this.uptime.element, this.restarts.element, this.records.element, this.rate.element, this.progress.element));
  }

  update(job: JobSummary): void {
    setText(this.name, job.name);
    setText(this.state, job.state);
    setAttribute(this.state, 'class', `state state-${job.state.toLowerCase()}`);
    setText(this.uptime.value, formatDuration(job.durationMs));
    setText(this.restarts.value, String(job.restarts));
    setText(this.records.value, formatCount(job.recordsRead));
    setText(this.rate.value, formatRate(job.recordsReadPerSecond));
    this.progress.element.hidden = job.recordsExpected === null;
    if (job.recordsExpected !== null) {
      const done = job.recordsExpected === 0 ? 1 : Math.min(1, job.recordsRead / job.recordsExpected);
      setText(this.progress.value, formatPercent(done));
      this.progressBar.value = done;
    }
  }
}
