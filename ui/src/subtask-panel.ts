// The panel of one vertex's subtasks: a row per subtask (records, rates, bytes, load, ring fill,
// watermark, late records, state, timers, thread, key groups) and a row per operator at each
// subtask; fetched when opened and again each second while the job runs.
import { fetchVertex } from './api.js';
import { columns, html, table, tableRow } from './dom.js';
import { formatByteRate, formatBytes, formatCount, formatPercent, formatRate, formatWatermark } from './format.js';
import type { SubtaskDetails, VertexDetails } from './rest.js';

const REFRESH_MS = 1000;

const SUBTASK_COLUMNS = columns(
  ['Subtask', 'Thread', 'Records in', 'Records out', 'In/s', 'Out/s', 'Bytes in', 'Bytes out', 'Busy', 'Idle', 'Backpressured', 'Input ring', 'Output ring', 'Watermark', 'Late dropped', 'State keys', 'State size', 'Timers', 'Key groups'],
  ['Watermark'],
);
const OPERATOR_COLUMNS = columns(['Subtask', 'Operator', 'Records in', 'Records out', 'In/s', 'Out/s', 'Watermark', 'Late dropped', 'State keys', 'Timers'], ['Operator', 'Watermark']);

function subtaskRow(subtask: SubtaskDetails, now: number): HTMLTableRowElement {
  return tableRow('subtask-row', SUBTASK_COLUMNS, [
    String(subtask.subtask),
    String(subtask.thread),
    formatCount(subtask.recordsIn),
    formatCount(subtask.recordsOut),
    formatRate(subtask.recordsInPerSecond),
    formatRate(subtask.recordsOutPerSecond),
    `${formatBytes(subtask.bytesIn)} (${formatByteRate(subtask.bytesInPerSecond)})`,
    `${formatBytes(subtask.bytesOut)} (${formatByteRate(subtask.bytesOutPerSecond)})`,
    formatPercent(subtask.busyRatio),
    formatPercent(subtask.idleRatio),
    formatPercent(subtask.backPressuredRatio),
    formatPercent(subtask.inputFill),
    formatPercent(subtask.outputFill),
    formatWatermark(subtask.watermark, subtask.watermarkLagMs, now),
    formatCount(subtask.lateRecordsDropped),
    formatCount(subtask.stateKeys),
    formatBytes(subtask.stateBytes),
    formatCount(subtask.timers),
    `${subtask.keyGroups.start}–${subtask.keyGroups.end}`,
  ]);
}

function operatorRows(subtask: SubtaskDetails, now: number): HTMLTableRowElement[] {
  return subtask.operators.map((operator) =>
    tableRow('operator-row', OPERATOR_COLUMNS, [
      String(subtask.subtask),
      operator.name,
      formatCount(operator.recordsIn),
      formatCount(operator.recordsOut),
      formatRate(operator.recordsInPerSecond),
      formatRate(operator.recordsOutPerSecond),
      formatWatermark(operator.watermark, null, now),
      formatCount(operator.lateRecordsDropped),
      formatCount(operator.stateKeys),
      formatCount(operator.timers),
    ]),
  );
}

export class SubtaskPanel {
  readonly element: HTMLElement;
  private readonly title = html('h2', { id: 'subtasks-title', 'data-testid': 'subtasks-title' });
  private readonly status = html('p', { class: 'status-line', 'data-testid': 'subtasks-status' });
  private readonly subtasks = table('subtask-table', SUBTASK_COLUMNS);
  private readonly operators = table('operator-table', OPERATOR_COLUMNS);
  private timer: ReturnType<typeof setInterval> | null = null;
  private vertexId: number | null = null;

  constructor(
    private readonly jobId: string,
    private readonly onClose: () => void,
  ) {
    const close = html('button', { type: 'button', class: 'close', 'data-testid': 'subtasks-close', 'aria-label': 'Close the subtask panel' }, '×');
    close.addEventListener('click', () => this.onClose());
    this.element = html(
      'section',
      { class: 'panel subtask-panel', 'data-testid': 'subtask-panel', 'aria-labelledby': 'subtasks-title', hidden: true },
      html('div', { class: 'panel-title' }, this.title, close),
      this.status,
      html('div', { class: 'table-scroll' }, this.subtasks.table),
      html('h3', {}, 'Operators'),
      html('div', { class: 'table-scroll' }, this.operators.table),
    );
  }

  /** Shows a vertex's subtasks, refreshed each second while `live`. */
  open(vertexId: number, vertexName: string, live: boolean): void {
    if (this.vertexId !== vertexId) {
      this.vertexId = vertexId;
      this.title.textContent = `Subtasks of ${vertexName}`;
      this.subtasks.body.replaceChildren();
      this.operators.body.replaceChildren();
      this.status.textContent = 'Loading…';
      this.element.hidden = false;
      void this.refresh();
    }
    this.setLive(live);
  }

  close(): void {
    this.vertexId = null;
    this.setLive(false);
    this.element.hidden = true;
  }

  /** Stops refreshing once the job ended (its figures no longer change), after one last fetch. */
  setLive(live: boolean): void {
    if (live && this.timer === null && this.vertexId !== null) this.timer = setInterval(() => void this.refresh(), REFRESH_MS);
    if (!live && this.timer !== null) {
      clearInterval(this.timer);
      this.timer = null;
      void this.refresh();
    }
  }

  private async refresh(): Promise<void> {
    const vertexId = this.vertexId;
    if (vertexId === null) return;
    try {
      const details = await fetchVertex(this.jobId, vertexId);
      if (this.vertexId === vertexId) this.show(details);
    } catch (error) {
      if (this.vertexId === vertexId) this.status.textContent = `Could not load the subtasks: ${error instanceof Error ? error.message : String(error)}`;
    }
  }

  private show(details: VertexDetails): void {
    this.title.textContent = `Subtasks of ${details.name}`;
    this.status.textContent = `parallelism ${details.parallelism} · ${details.operators.length} operator${details.operators.length === 1 ? '' : 's'}`;
    this.subtasks.body.replaceChildren(...details.subtasks.map((subtask) => subtaskRow(subtask, details.now)));
    this.operators.body.replaceChildren(...details.subtasks.flatMap((subtask) => operatorRows(subtask, details.now)));
  }
}
