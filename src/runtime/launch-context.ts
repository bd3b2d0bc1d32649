// Process-wide facts about how the job script was launched, shared by every copy of eddy loaded
// in a thread: which script to re-import in workers, the default parallelism (`eddy run -p`), the
// checkpoint to restore from (`eddy run --restore`), and, inside a worker, the job the worker must plan and hand over instead of running it.

import type { PlannedJob, PlanSettings } from '../core/job-plan.js';
import type { WebServer } from './monitor/web-server.js';

/** In a worker: which `execute()` call of the script to capture, and where to hand its plan. */
export interface CaptureRequest {
  /** 1-based ordinal of the `execute()` call to capture; earlier calls resolve at once. */
  readonly targetOrdinal: number;
  seen: number;
  /** The settings the main thread planned the job with: the worker plans it the same way. */
  readonly settings: PlanSettings;
  capture(planned: PlannedJob): void;
}

export interface LaunchContext {
  /** The job script (file URL) that workers import to reach user functions. */
  scriptUrl: string | undefined;
  /** Default parallelism for `getExecutionEnvironment()`, when the launcher set one. */
  defaultParallelism: number | undefined;
  /** The checkpoint or savepoint jobs start from when the launcher named one (`eddy run --restore`). */
  restoreFrom: { readonly path: string; readonly allowNonRestoredState: boolean } | undefined;
  /** The web UI's server the launcher started (`eddy run --ui`): jobs that ask for none show there. */
  webUI: WebServer | undefined;
  /** Number of `execute()` calls made so far in the main thread. */
  executeCount: number;
  /** Set only inside an eddy worker while it imports the job script. */
  capture: CaptureRequest | undefined;
  /** True in an eddy worker thread, where jobs are captured, never executed. */
  inWorker: boolean;
}

const KEY = Symbol.for('eddy.launch-context');

/** The one launch context of this thread (shared across module copies via a global symbol). */
export function launchContext(): LaunchContext {
  const holder = globalThis as unknown as Record<symbol, LaunchContext | undefined>;
  let ctx = holder[KEY];
  if (ctx === undefined) {
    ctx = { scriptUrl: undefined, defaultParallelism: undefined, restoreFrom: undefined, webUI: undefined, executeCount: 0, capture: undefined, inWorker: false };
    holder[KEY] = ctx;
  }
  return ctx;
}
