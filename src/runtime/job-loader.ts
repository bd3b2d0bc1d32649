// In a worker: runs the job script (or defineJob module) again to reach the user's functions,
// and captures the graph it builds instead of executing it.

import { StreamError } from '../core/errors.js';
import type { StreamGraph } from '../graph/stream-graph.js';
import { launchContext } from './launch-context.js';
import type { JobSource } from '../actors/thread-task.js';
import { isJobDefinition, StreamExecutionEnvironment } from '../api/environment.js';
import { buildDefinedJob } from '../api/job.js';

/** TypeScript jobs need tsx's loader in the worker too (Node 20 does not pass hooks to workers). */
async function registerTypeScript(url: string): Promise<void> {
  if (!/\.(c|m)?tsx?$/.test(new URL(url).pathname)) return;
  const tsx = await import('tsx/esm/api');
  tsx.register();
}

/** Imports the job and returns the graph its `ordinal`-th `execute()` call would have run. */
export async function loadJobGraph(job: JobSource, defaultParallelism: number): Promise<StreamGraph> {
  await registerTypeScript(job.url);
  const ctx = launchContext();
  ctx.scriptUrl = job.url;
  ctx.defaultParallelism = defaultParallelism;
  ctx.inWorker = true;
  if (job.kind === 'module') {
    const module = (await import(job.url)) as { default?: unknown };
    if (!isJobDefinition(module.default)) {
      throw new StreamError('INVALID_ARGUMENT', `${job.url} has no default export made with defineJob(): export default defineJob((env, args) => { ... }).`);
    }
    const env = StreamExecutionEnvironment.getExecutionEnvironment();
    await buildDefinedJob(module.default, env, job.args);
    return env.graphForRuntime();
  }
  const captured = new Promise<StreamGraph>((resolve) => {
    ctx.capture = { targetOrdinal: job.ordinal, seen: 0, capture: (graph) => resolve(graph) };
  });
  const finished = import(job.url).then(() => {
    throw new StreamError(
      'GRAPH_MISMATCH',
      `The job script ${job.url} finished in a worker without reaching execute() call number ${job.ordinal}. ` +
        'Build the job the same way on every run: do not branch on isMainThread, random values or the time.',
    );
  });
  return Promise.race([captured, finished]);
}
