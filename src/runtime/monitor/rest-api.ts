// The REST API's answers, from the monitored jobs: a request's method and path (and query) in,
// a status and a JSON body out. Read-only unless the server's options let visitors cancel jobs
// or take savepoints. Errors are `{ errors: [sentence] }`, as Flink's REST API writes them.

import type { JobMonitor } from './job-monitor.js';
import { monitoredJobs } from './monitored-jobs.js';
import type { JobsOverview } from './rest-types.js';
import type { ResolvedWebUIOptions } from './web-ui-options.js';

export interface RestAnswer {
  readonly status: number;
  readonly body: unknown;
}

const answer = (body: unknown, status = 200): RestAnswer => ({ status, body });
const refused = (status: number, message: string): RestAnswer => ({ status, body: { errors: [message] } });

/** `GET /jobs/overview`: every job of the process, newest first. */
export function jobsOverview(): JobsOverview {
  return { jobs: [...monitoredJobs.all()].reverse().map((job) => job.summary()) };
}

/** What the dashboard needs to know of the server. */
export function serverConfig(options: ResolvedWebUIOptions, version: string): unknown {
  return { version, allowCancel: options.allowCancel, allowSavepoint: options.savepointDir !== undefined, sampleIntervalMs: 1000 };
}

/** Answers `method path`, or undefined when the path is not the REST API's. */
export async function restAnswer(method: string, path: string, query: URLSearchParams, options: ResolvedWebUIOptions, version: string): Promise<RestAnswer | undefined> {
  if (path === '/config') return method === 'GET' ? answer(serverConfig(options, version)) : refused(405, `${method} ${path} is not supported: use GET.`);
  if (path === '/jobs/overview' || path === '/jobs') return method === 'GET' ? answer(jobsOverview()) : refused(405, `${method} ${path} is not supported: use GET.`);
  const match = /^\/jobs\/([^/]+)(\/.*)?$/.exec(path);
  if (match === null) return undefined;
  const job = monitoredJobs.byId(match[1]!);
  if (job === undefined) return refused(404, `There is no job ${match[1]} in this process: GET /jobs/overview lists the jobs.`);
  return jobAnswer(job, method, match[2] ?? '', query, options);
}

async function jobAnswer(job: JobMonitor, method: string, rest: string, query: URLSearchParams, options: ResolvedWebUIOptions): Promise<RestAnswer> {
  if (rest === '' && method === 'PATCH') return cancel(job, query, options);
  if (rest === '/savepoints' && method === 'POST') return savepoint(job, options);
  if (method !== 'GET') return refused(405, `${method} /jobs/:id${rest} is not supported: the API is read-only except PATCH /jobs/:id?mode=cancel and POST /jobs/:id/savepoints.`);
  if (rest === '') return answer(job.details());
  if (rest === '/checkpoints') return answer(job.checkpointsInfo());
  if (rest === '/exceptions') return answer(job.exceptionsInfo());
  const vertex = /^\/vertices\/(\d+)$/.exec(rest);
  if (vertex !== null) {
    const details = job.vertex(Number(vertex[1]));
    return details === undefined ? refused(404, `Job ${job.id} has no vertex ${vertex[1]}: its vertices are 0 to ${job.job.planned.job.vertices.length - 1}.`) : answer(details);
  }
  return refused(404, `Unknown path /jobs/:id${rest}: try /jobs/:id, /jobs/:id/vertices/:vid, /jobs/:id/checkpoints or /jobs/:id/exceptions.`);
}

async function cancel(job: JobMonitor, query: URLSearchParams, options: ResolvedWebUIOptions): Promise<RestAnswer> {
  if (!options.allowCancel) return refused(403, 'Cancelling jobs over the web is off: enable it with enableWebUI({ allowCancel: true }).');
  if (query.get('mode') !== 'cancel') return refused(400, 'PATCH /jobs/:id needs ?mode=cancel.');
  if (job.ended) return refused(409, `Job ${job.id} has ended already.`);
  void job.job.cancel();
  return answer({}, 202);
}

async function savepoint(job: JobMonitor, options: ResolvedWebUIOptions): Promise<RestAnswer> {
  const dir = options.savepointDir;
  if (dir === undefined) return refused(403, "Savepoints over the web are off: enable them with enableWebUI({ savepointDir: './savepoints' }).");
  try {
    return answer({ path: await job.job.triggerSavepoint(dir) });
  } catch (error) {
    return refused(409, (error as Error).message);
  }
}
