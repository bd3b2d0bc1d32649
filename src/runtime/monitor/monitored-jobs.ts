// The jobs of this process that monitoring shows, running ones and the last that ended, and the
// one sampling clock: while anything watches (the web server, a Prometheus registry, a progress
// bar), every running job is sampled once per interval; while nothing does, nothing is sampled.
// Shared by every copy of eddy loaded in the process (as the launch context is): `eddy run` may
// be one copy (a global install, or the package's own command) and the job's `eddy` another.

import type { JobMonitor } from './job-monitor.js';

/** How often running jobs are sampled while watched, ms: the rates' interval. */
export const SAMPLE_INTERVAL_MS = 1000;

/** Ended jobs kept for the dashboard and the REST API. */
const ENDED_KEPT = 20;

class MonitoredJobs {
  private readonly jobs: JobMonitor[] = [];
  private watchers = 0;
  private timer: NodeJS.Timeout | undefined;

  /** A job started: it is shown (and sampled while watched) until ENDED_KEPT later jobs ended. */
  add(job: JobMonitor): void {
    this.jobs.push(job);
    const ended = this.jobs.filter((j) => j.ended);
    for (const old of ended.slice(0, Math.max(0, ended.length - ENDED_KEPT))) this.jobs.splice(this.jobs.indexOf(old), 1);
    if (this.watchers > 0) void job.sample();
  }

  /** Every job shown, oldest first. */
  all(): readonly JobMonitor[] {
    return this.jobs;
  }

  byId(id: string): JobMonitor | undefined {
    return this.jobs.find((j) => j.id === id);
  }

  /** Starts sampling (if nothing watched before); returns the way to stop watching. */
  watch(): () => void {
    if (this.watchers++ === 0) {
      this.timer = setInterval(() => this.sampleRunning(), SAMPLE_INTERVAL_MS).unref();
      this.sampleRunning();
    }
    let watching = true;
    return () => {
      if (!watching) return;
      watching = false;
      if (--this.watchers === 0) clearInterval(this.timer);
    };
  }

  private sampleRunning(): void {
    for (const job of this.jobs) if (!job.ended) void job.sample().catch(() => undefined);
  }
}

const KEY = Symbol.for('eddy.monitored-jobs');
const holder = globalThis as unknown as Record<symbol, MonitoredJobs | undefined>;

/** The process's monitored jobs. */
export const monitoredJobs: MonitoredJobs = (holder[KEY] ??= new MonitoredJobs());
