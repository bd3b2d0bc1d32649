// Embedding: a module whose default export builds a job (defineJob), and runJob to start it.
// Workers import the same module and call the same builder, so closures over module values work.

import { pathToFileURL } from 'node:url';
import type { PlannedJob, PlanSettings } from '../core/job-plan.js';
import { parseLogLevel, type LogLevel } from '../core/log-levels.js';
import { requireFunction, requirePositiveInteger } from '../core/validate.js';
import type { JobClient } from '../runtime/job-client.js';
import type { WebUIOptions } from '../runtime/monitor/web-ui-options.js';
import { isDefinedJob, type DefinedJob } from '../runtime/job-loader.js';
import { DataStream } from './data-stream.js';
import { StreamExecutionEnvironment } from './environment.js';

/** A job module's default export, made by `defineJob`. */
export interface JobDefinition<A = unknown> extends DefinedJob {
  /** Builds the graph. Returning a stream (of any type) collects it into `result.collected[0]`. */
  build(env: StreamExecutionEnvironment, args: A): void | DataStream<any> | Promise<void | DataStream<any>>;
}

/** Declares a job module: `export default defineJob((env, args) => { ... })`. */
export function defineJob<A = unknown>(build: JobDefinition<A>['build']): JobDefinition<A> {
  requireFunction(build, 'defineJob');
  return {
    kind: 'eddy-job-definition',
    build,
    // In a worker: build the job the main thread runs and plan it the same way.
    async plan(args: unknown, settings: PlanSettings): Promise<PlannedJob> {
      const env = StreamExecutionEnvironment.getExecutionEnvironment();
      await buildDefinedJob(build, env, args as A);
      return env.planInWorker(settings);
    },
  };
}

/** Builds a defined job into `env`; a returned stream is collected. Same in main thread and workers. */
async function buildDefinedJob<A>(build: JobDefinition<A>['build'], env: StreamExecutionEnvironment, args: A): Promise<void> {
  const returned = await build(env, args);
  if (returned instanceof DataStream) env.addCollectSink(returned, undefined);
}

export interface RunJobOptions<A> {
  /** Default parallelism of the job (default: the number of cores). */
  parallelism?: number;
  /** Passed to the builder in the main thread and in every worker; must be structured-cloneable. */
  args?: A;
  jobName?: string;
  /** Serves the dashboard, `/metrics` and the REST API while the job runs: `true` for 127.0.0.1:8081, or where (see `env.enableWebUI`). */
  webUI?: boolean | WebUIOptions;
  /** The level of the job's logs (default: EDDY_LOG_LEVEL, else `'info'`); as env.setLogLevel. */
  logLevel?: LogLevel;
}

/**
 * Starts the job defined by the module at `module`: a file URL (a `URL`, e.g.
 * `new URL('./job.js', import.meta.url)`, or its string) or a file path.
 */
export async function runJob<A = unknown>(module: { readonly href: string } | string, options: RunJobOptions<A> = {}): Promise<JobClient> {
  const url = typeof module !== 'string' ? module.href : module.startsWith('file:') ? module : pathToFileURL(module).href;
  const imported = (await import(url)) as { default?: unknown };
  if (!isDefinedJob(imported.default)) {
    throw new TypeError(`runJob(${url}): the module has no default export made with defineJob(). Add: export default defineJob((env, args) => { ... }).`);
  }
  const definition = imported.default as JobDefinition<A>;
  const env = StreamExecutionEnvironment.getExecutionEnvironment();
  if (options.parallelism !== undefined) env.setParallelism(requirePositiveInteger(options.parallelism, 'runJob({ parallelism })'));
  if (options.webUI !== undefined && options.webUI !== false) env.enableWebUI(options.webUI === true ? undefined : options.webUI);
  if (options.logLevel !== undefined) env.setLogLevel(parseLogLevel(options.logLevel, 'runJob({ logLevel })'));
  await buildDefinedJob(definition.build, env, options.args as A);
  return await env.submitModule(url, options.args, options.jobName ?? 'eddy job');
}
