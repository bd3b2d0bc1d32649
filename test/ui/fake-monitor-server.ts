// A stand-in for the monitoring server in the dashboard's tests: serves the built dashboard
// (dist/ui/, through the real server's StaticFiles) at / and fixed JSON for the REST API and its two event streams, and lets a test push
// the next live event of a job or end its stream.
import { existsSync } from 'node:fs';
import { createServer } from 'node:http';
import type { ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { JobEvent } from '../../src/runtime/monitor/rest-types.js';
import { StaticFiles } from '../../src/runtime/monitor/static-files.js';
import { overviewOf, vertexDetails } from './dashboard-fixture.js';

export const DASHBOARD_DIR = fileURLToPath(new URL('../../ui/', import.meta.url));

/** The built dashboard's files, served as the real server serves them. */
const files = new StaticFiles();

export interface FakeMonitorServer {
  /** The server's address, ending in "/". */
  readonly url: string;
  /** Sends a job's next event to its open streams (and to later connections). */
  push(event: JobEvent): void;
  /** Sends a job's last event and closes its streams, as the real server does once a job ended. */
  finish(event: JobEvent): void;
  /** The paths requested so far, in order. */
  readonly requests: readonly string[];
  close(): Promise<void>;
}

function sendEvent(response: ServerResponse, name: string, data: unknown): void {
  response.write(`event: ${name}\ndata: ${JSON.stringify(data)}\n\n`);
}

function startEventStream(response: ServerResponse): void {
  response.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache', connection: 'keep-alive' });
}

function sendJson(response: ServerResponse, body: unknown): void {
  response.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(body));
}

function sendNotFound(response: ServerResponse): void {
  response.writeHead(404, { 'content-type': 'text/plain' }).end('not found');
}

function sendDashboardFile(response: ServerResponse, path: string): void {
  void files.get(path).then((file) => {
    if (file === undefined) return sendNotFound(response);
    response.writeHead(200, { 'content-type': file.contentType }).end(file.body);
  });
}

export async function startFakeMonitorServer(initialEvents: readonly JobEvent[]): Promise<FakeMonitorServer> {
  if (!existsSync(join(DASHBOARD_DIR, 'index.html'))) throw new Error(`no built dashboard in ${DASHBOARD_DIR}: run \`npm run build\` (or \`npm run build:ui\`) first`);
  const events = new Map(initialEvents.map((event) => [event.job.id, event]));
  const ended = new Set<string>();
  const jobStreams = new Map<string, Set<ServerResponse>>();
  const requests: string[] = [];

  const server = createServer((request, response) => {
    const path = new URL(request.url ?? '/', 'http://localhost').pathname;
    requests.push(path);
    if (path === '/events') {
      startEventStream(response);
      sendEvent(response, 'overview', overviewOf([...events.values()]));
      return;
    }
    if (path === '/jobs/overview') return sendJson(response, overviewOf([...events.values()]));
    const jobMatch = /^\/jobs\/([^/]+)(\/.*)?$/.exec(path);
    if (jobMatch === null) return sendDashboardFile(response, path);
    const jobId = decodeURIComponent(jobMatch[1]);
    const event = events.get(jobId);
    if (event === undefined) return sendNotFound(response);
    const rest = jobMatch[2] ?? '';
    if (rest === '') return sendJson(response, event.job);
    if (rest === '/checkpoints') return sendJson(response, event.checkpoints);
    if (rest === '/exceptions') return sendJson(response, event.exceptions);
    const vertexMatch = /^\/vertices\/(\d+)$/.exec(rest);
    if (vertexMatch !== null) {
      const vertex = vertexDetails(event.job, Number(vertexMatch[1]));
      return vertex === undefined ? sendNotFound(response) : sendJson(response, vertex);
    }
    if (rest !== '/events') return sendNotFound(response);
    startEventStream(response);
    sendEvent(response, 'job', event);
    if (ended.has(jobId)) return void response.end();
    const streams = jobStreams.get(jobId) ?? new Set<ServerResponse>();
    jobStreams.set(jobId, streams);
    streams.add(response);
    response.on('close', () => streams.delete(response));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;

  function push(event: JobEvent): void {
    events.set(event.job.id, event);
    for (const stream of jobStreams.get(event.job.id) ?? []) sendEvent(stream, 'job', event);
  }

  return {
    url: `http://127.0.0.1:${port}/`,
    requests,
    push,
    finish(event) {
      push(event);
      ended.add(event.job.id);
      for (const stream of jobStreams.get(event.job.id) ?? []) stream.end();
    },
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
