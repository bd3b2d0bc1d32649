// The live streams of the dashboard, as server-sent events: `/events` sends the jobs overview at
// once and every sampling interval; `/jobs/:id/events` sends the job's figures at once and after
// each sample, and stays open (quiet) once the job ended, so browsers do not reconnect in a loop.

import type { IncomingMessage, ServerResponse } from 'node:http';
import type { JobMonitor } from './job-monitor.js';
import { SAMPLE_INTERVAL_MS } from './monitored-jobs.js';
import { jobsOverview } from './rest-api.js';

/** A comment line every so often keeps proxies from closing a quiet stream. */
const HEARTBEAT_MS = 15_000;

function open(request: IncomingMessage, response: ServerResponse): (event: string, data: unknown) => void {
  response.writeHead(200, { 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-cache', connection: 'keep-alive' });
  response.write('retry: 2000\n\n');
  const heartbeat = setInterval(() => response.write(': heartbeat\n\n'), HEARTBEAT_MS).unref();
  request.on('close', () => clearInterval(heartbeat));
  return (event, data) => void response.write(`event: ${event}\ndata: ${JSON.stringify(data)}\n\n`);
}

/** `/events`: the overview now and every interval, until the client goes. */
export function streamOverview(request: IncomingMessage, response: ServerResponse): void {
  const send = open(request, response);
  send('overview', jobsOverview());
  const timer = setInterval(() => send('overview', jobsOverview()), SAMPLE_INTERVAL_MS).unref();
  request.on('close', () => clearInterval(timer));
}

/** `/jobs/:id/events`: the job's figures now and after each sample. */
export function streamJob(job: JobMonitor, request: IncomingMessage, response: ServerResponse): void {
  const send = open(request, response);
  send('job', job.event());
  const unsubscribe = job.subscribe((event) => send('job', event));
  request.on('close', unsubscribe);
}
