// In a worker: runs the job script (or defineJob module) again to reach the user's functions, and
// takes the plan of the job it builds instead of executing it; checks it is the main thread's job.

import { StreamError } from '../core/errors.js';
import type { JobSource, PlannedJob, PlanSettings } from '../core/job-plan.js';
import { launchContext } from './launch-context.js';
import { enableTypeScriptJobs, isTypeScript } from './typescript-jobs.js';

/** A `defineJob` module's default export, as the runtime loads it (the API adds `build`). */
export interface DefinedJob {
  readonly kind: 'eddy-job-definition';
  /** @internal Builds the job with `args` and plans it with `settings`, as the main thread did. */
  plan(args: unknown, settings: PlanSettings): Promise<PlannedJob>;
}

export function isDefinedJob(value: unknown): value is DefinedJob {
  return typeof value === 'object' && value !== null && (value as DefinedJob).kind === 'eddy-job-definition';
}

/** Imports the job and returns the plan of the job its `ordinal`-th `execute()` call would have run. */
export async function loadPlannedJob(job: JobSource, settings: PlanSettings): Promise<PlannedJob> {
  // Node 20 does not pass the main thread's loader hooks to workers: each makes its own choice.
  if (isTypeScript(job.url)) await enableTypeScriptJobs();
  const ctx = launchContext();
  ctx.scriptUrl = job.url;
  ctx.defaultParallelism = settings.defaultParallelism;
  ctx.inWorker = true;
  if (job.kind === 'module') {
    const module = (await import(job.url)) as { default?: unknown };
    if (!isDefinedJob(module.default)) {
      throw new StreamError('INVALID_ARGUMENT', `${job.url} has no default export made with defineJob(): export default defineJob((env, args) => { ... }).`);
    }
    return module.default.plan(job.args, settings);
  }
  const captured = new Promise<PlannedJob>((resolve) => {
    ctx.capture = { targetOrdinal: job.ordinal, seen: 0, settings, capture: resolve };
  });
  const finished = import(job.url).then(() => {
    throw new StreamError(
      'GRAPH_MISMATCH',
      `The job script ${job.url} finished in a worker thread without reaching execute() call number ${job.ordinal}, which the main thread ran. ` +
        `${SAME_JOB_EVERY_RUN}`,
    );
  });
  return Promise.race([captured, finished]);
}

const SAME_JOB_EVERY_RUN =
  'Every worker runs the job script again, so it must build the same job every time: compute values that change between runs ' +
  '(random numbers, the clock, environment variables, isMainThread) in the main thread and pass them in as defineJob args or through env.fromElements(...).';

/** Throws GRAPH_MISMATCH, saying where the worker's graph differs, unless both graphs are the same. */
export function checkSameGraph(main: readonly string[], worker: readonly string[]): void {
  const length = Math.max(main.length, worker.length);
  for (let i = 0; i < length; i++) {
    if (main[i] === worker[i]) continue;
    const difference =
      main[i] === undefined
        ? `the worker built ${worker.length} operators, the main thread ${main.length}: the first extra one is ${worker[i]}`
        : worker[i] === undefined
          ? `the worker built ${worker.length} operators, the main thread ${main.length}: the first missing one is ${main[i]}`
          : `the main thread has ${main[i]} where the worker has ${worker[i]}`;
    throw new StreamError('GRAPH_MISMATCH', `The job script built a different job in a worker thread than in the main thread: ${difference}. ${SAME_JOB_EVERY_RUN}`);
  }
}
