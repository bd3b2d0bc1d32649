// Embedding: a module whose default export builds a job (defineJob), and runJob to start it.
// Workers import the same module and call the same builder, so closures over module values work.

import { pathToFileURL } from 'node:url';
import type { JobClient } from '../runtime/job-master.js';
import { DataStream } from './data-stream.js';
import { isJobDefinition, StreamExecutionEnvironment, type JobDefinition } from './environment.js';
import { requireFunction, requirePositiveInteger } from '../core/validate.js';

/** Declares a job module: `export default defineJob((env, args) => { ... })`. */
export function defineJob<A = unknown>(build: JobDefinition<A>['build']): JobDefinition<A> {
  requireFunction(build, 'defineJob');
  return { kind: 'eddy-job-definition', build };
}

/** Builds a defined job into `env`; a returned stream is collected. Same in main thread and workers. */
export async function buildDefinedJob<A>(definition: JobDefinition<A>, env: StreamExecutionEnvironment, args: A): Promise<void> {
  const returned = await definition.build(env, args);
  if (returned instanceof DataStream) env.addCollectSink(returned, undefined);
}

export interface RunJobOptions<A> {
  /** Default parallelism of the job (default: the number of cores). */
  parallelism?: number;
  /** Passed to the builder in the main thread and in every worker; must be structured-cloneable. */
  args?: A;
  jobName?: string;
}

/** Starts the job defined by the module at `module` (a file URL or path). */
export async function runJob<A = unknown>(module: URL | string, options: RunJobOptions<A> = {}): Promise<JobClient> {
  const url = module instanceof URL ? module.href : module.startsWith('file:') ? module : pathToFileURL(module).href;
  const imported = (await import(url)) as { default?: unknown };
  if (!isJobDefinition(imported.default)) {
    throw new TypeError(`runJob(${url}): the module has no default export made with defineJob(). Add: export default defineJob((env, args) => { ... }).`);
  }
  const env = StreamExecutionEnvironment.getExecutionEnvironment();
  if (options.parallelism !== undefined) env.setParallelism(requirePositiveInteger(options.parallelism, 'runJob({ parallelism })'));
  await buildDefinedJob(imported.default as JobDefinition<A>, env, options.args as A);
  return env.submitModule(url, options.args, options.jobName ?? 'eddy job');
}
