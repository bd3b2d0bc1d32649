// What `eddy run` shows of a job: the progress line redrawn on a terminal while it runs (a bar
// against the records its sources will emit where they know, else the count and rate), and the
// one-line summary when it ended. Pure functions of the job's figures, so they are tested alone.

import type { JobState } from '../runtime/monitor/rest-types.js';

export interface ProgressFigures {
  readonly name: string;
  readonly recordsRead: number;
  readonly recordsReadPerSecond: number;
  readonly recordsExpected: number | null;
  readonly elapsedMs: number;
}

export interface SummaryFigures extends ProgressFigures {
  readonly state: JobState;
  readonly checkpoints: number;
  readonly restarts: number;
}

const SPINNER = '⠋⠙⠹⠸⠼⠴⠦⠧⠇⠏';
const BAR_WIDTH = 24;

/** 1234 -> "1.23 k", 4500000 -> "4.50 M": three figures, a unit prefix. */
export function compactNumber(n: number): string {
  const units = ['', ' k', ' M', ' G', ' T'];
  let value = n;
  let unit = 0;
  while (Math.abs(value) >= 1000 && unit < units.length - 1) {
    value /= 1000;
    unit++;
  }
  if (unit === 0) return String(Math.round(value));
  return `${value >= 100 ? value.toFixed(0) : value >= 10 ? value.toFixed(1) : value.toFixed(2)}${units[unit]}`;
}

/** 65000 -> "1:05", 3725000 -> "1:02:05". */
export function clock(ms: number): string {
  const total = Math.max(0, Math.round(ms / 1000));
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  const s = String(total % 60).padStart(2, '0');
  return h > 0 ? `${h}:${String(m).padStart(2, '0')}:${s}` : `${m}:${s}`;
}

/** The progress line, at most `columns` wide; `frame` turns the spinner. */
export function progressLine(f: ProgressFigures, columns: number, frame: number): string {
  const rate = `${compactNumber(f.recordsReadPerSecond)}/s`;
  const elapsed = `${clock(f.elapsedMs)} elapsed`;
  let line: string;
  if (f.recordsExpected !== null && f.recordsExpected > 0) {
    const share = Math.min(1, f.recordsRead / f.recordsExpected);
    const filled = Math.round(share * BAR_WIDTH);
    const bar = `[${'█'.repeat(filled)}${'░'.repeat(BAR_WIDTH - filled)}]`;
    const left = f.recordsExpected - f.recordsRead;
    const eta = f.recordsReadPerSecond > 0 && left > 0 ? `ETA ${clock((left / f.recordsReadPerSecond) * 1000)}` : 'ETA --:--';
    line = `${f.name} ${bar} ${Math.floor(share * 100)}% ${compactNumber(f.recordsRead)}/${compactNumber(f.recordsExpected)} records · ${rate} · ${elapsed} · ${eta}`;
  } else {
    line = `${f.name} ${SPINNER[frame % SPINNER.length]} ${compactNumber(f.recordsRead)} records · ${rate} · ${elapsed}`;
  }
  return line.length <= columns ? line : `${line.slice(0, Math.max(0, columns - 1))}…`;
}

const ENDINGS: Record<JobState, string> = { FINISHED: 'finished', FAILED: 'failed', CANCELED: 'was cancelled', RUNNING: 'is running', RESTARTING: 'is restarting' };

/** The line printed when a job ended. */
export function summaryLine(f: SummaryFigures): string {
  const seconds = f.elapsedMs / 1000;
  const rate = seconds > 0 ? f.recordsRead / seconds : 0;
  const plural = (n: number, word: string): string => `${n} ${word}${n === 1 ? '' : 's'}`;
  return (
    `eddy: job "${f.name}" ${ENDINGS[f.state]} after ${seconds < 10 ? seconds.toFixed(2) : seconds.toFixed(1)} s: ` +
    `${f.recordsRead.toLocaleString('en-US')} records read (${compactNumber(rate)} records/s), ${plural(f.checkpoints, 'checkpoint')}, ${plural(f.restarts, 'restart')}.`
  );
}
