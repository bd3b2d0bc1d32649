// `eddy run`'s view of the jobs its script starts: on a terminal, a progress line redrawn a few
// times a second while a job runs; for every job, a summary line on stderr once it ended.

import type { JobMonitor } from '../runtime/monitor/job-monitor.js';
import { monitoredJobs } from '../runtime/monitor/monitored-jobs.js';
import { progressLine, summaryLine } from './progress-line.js';

/** Where the lines go: a terminal (redrawn) or not (summaries only). */
export interface ProgressOutput {
  readonly isTTY?: boolean;
  readonly columns?: number;
  write(text: string): unknown;
}

const REDRAW_MS = 250;

export class JobProgress {
  private readonly summarised = new Set<JobMonitor>();
  private timer: NodeJS.Timeout | undefined;
  private stopWatching: (() => void) | undefined;
  private frame = 0;
  private drawn = false;

  constructor(
    private readonly out: ProgressOutput,
    /** Whether to draw the progress line (a terminal, and not --no-progress). */
    private readonly draw: boolean,
  ) {}

  start(): void {
    if (this.draw) this.stopWatching = monitoredJobs.watch();
    this.timer = setInterval(() => this.tick(), REDRAW_MS).unref();
  }

  /** Resolves once no job of the process runs (at once when none was started), each summarised. */
  async untilIdle(): Promise<void> {
    while (monitoredJobs.all().some((job) => !job.ended)) await new Promise((resolve) => setTimeout(resolve, REDRAW_MS / 5));
    this.tick();
  }

  stop(): void {
    clearInterval(this.timer);
    this.stopWatching?.();
    this.clear();
  }

  private tick(): void {
    for (const job of monitoredJobs.all()) {
      if (!job.ended || this.summarised.has(job)) continue;
      this.summarised.add(job);
      this.clear();
      const s = job.summary();
      this.out.write(`${summaryLine({ name: s.name, state: s.state, recordsRead: s.recordsRead, recordsReadPerSecond: s.recordsReadPerSecond, recordsExpected: s.recordsExpected, elapsedMs: s.durationMs, checkpoints: job.checkpointsInfo().counts.completed, restarts: s.restarts })}\n`);
    }
    if (!this.draw) return;
    const running = monitoredJobs.all().filter((job) => !job.ended).at(-1);
    if (running === undefined) return;
    const s = running.summary();
    const line = progressLine({ name: s.name, recordsRead: s.recordsRead, recordsReadPerSecond: s.recordsReadPerSecond, recordsExpected: s.recordsExpected, elapsedMs: s.durationMs }, this.out.columns || Number(process.env['COLUMNS']) || 80, this.frame++);
    this.out.write(`\r\x1b[2K${line}`);
    this.drawn = true;
  }

  private clear(): void {
    if (!this.drawn) return;
    this.out.write('\r\x1b[2K');
    this.drawn = false;
  }
}
