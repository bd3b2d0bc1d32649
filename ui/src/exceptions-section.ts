// A job's failures, newest first: when, where (operator and subtask), the error's name and
// message, whether the job restarted after it, and its stack to unfold.
import { html } from './dom.js';
import { formatTime } from './format.js';
import type { ExceptionEntry, ExceptionsInfo } from './rest.js';

function placeText(entry: ExceptionEntry): string {
  if (entry.operator === null) return 'the job';
  return entry.subtask === null ? entry.operator : `${entry.operator} (subtask ${entry.subtask})`;
}

/** What tells entries apart across updates, to keep the unfolded ones open. */
function entryKey(entry: ExceptionEntry): string {
  return JSON.stringify([entry.timestamp, entry.name, entry.message, entry.operator, entry.subtask]);
}

function exceptionItem(entry: ExceptionEntry, now: number, open: boolean): HTMLElement {
  const summary = html(
    'summary',
    {},
    html('time', { datetime: new Date(entry.timestamp).toISOString() }, formatTime(entry.timestamp, now)),
    html('span', { class: 'exception-place', 'data-testid': 'exception-place' }, placeText(entry)),
    html('span', { class: 'exception-message', 'data-testid': 'exception-message' }, `${entry.name}: ${entry.message}`),
    html('span', { class: entry.restarted ? 'restarted' : 'ended' }, entry.restarted ? 'restarted' : 'job ended'),
  );
  return html('li', { 'data-testid': 'exception', 'data-key': entryKey(entry) }, html('details', { open }, summary, html('pre', { class: 'stack' }, entry.stack ?? 'no stack')));
}

export class ExceptionsSection {
  readonly element: HTMLElement;
  private readonly list = html('ol', { class: 'exceptions', 'data-testid': 'exception-list' });
  private readonly empty = html('p', {}, 'No exceptions.');
  private rendered = '';

  constructor() {
    this.element = html('section', { class: 'panel', 'data-testid': 'exceptions', 'aria-labelledby': 'exceptions-title' }, html('h2', { id: 'exceptions-title' }, 'Exceptions'), this.empty, this.list);
  }

  /** Rebuilds the list only when the entries changed; the stacks unfolded stay open. */
  update(exceptions: ExceptionsInfo, now: number): void {
    const rendering = JSON.stringify(exceptions.entries);
    if (rendering === this.rendered) return;
    this.rendered = rendering;
    const unfolded = new Set([...this.list.querySelectorAll('li:has(> details[open])')].map((item) => item.getAttribute('data-key')));
    this.empty.hidden = exceptions.entries.length > 0;
    this.list.replaceChildren(...exceptions.entries.map((entry) => exceptionItem(entry, now, unfolded.has(entryKey(entry)))));
  }
}
