// The dashboard's addresses, in the URL's fragment so that the server serves one page: "" (the job
// list, or the job when there is only one), "#/jobs" (the job list) and "#/jobs/<id>" (a job).

export type Route = { readonly page: 'start' } | { readonly page: 'jobs' } | { readonly page: 'job'; readonly jobId: string };

export function currentRoute(hash: string = location.hash): Route {
  const match = /^#\/jobs(?:\/(.+))?$/.exec(hash);
  if (match === null) return { page: 'start' };
  return match[1] === undefined ? { page: 'jobs' } : { page: 'job', jobId: decodeURIComponent(match[1]) };
}

export function jobHref(jobId: string): string {
  return `#/jobs/${encodeURIComponent(jobId)}`;
}

export const JOBS_HREF = '#/jobs';
