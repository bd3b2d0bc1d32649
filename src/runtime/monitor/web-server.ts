// The monitoring server of this process (node:http): the dashboard at `/`, the REST API, its live
// streams, and `GET /metrics` in Prometheus's text format. One server per address, shared by every
// job that asks for it; it does not keep the process alive unless told to (`eddy run --ui`).

import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { Registry } from 'prom-client';
import { StreamError } from '../../core/errors.js';
import { packageVersion } from '../package-version.js';
import { streamJob, streamOverview } from './event-streams.js';
import { monitoredJobs } from './monitored-jobs.js';
import { promClient, registerEddyMetrics } from './prometheus-metrics.js';
import { restAnswer } from './rest-api.js';
import { StaticFiles } from './static-files.js';
import type { ResolvedWebUIOptions } from './web-ui-options.js';

export interface WebServer {
  /** Where it listens: `http://host:port/`. */
  readonly url: string;
  /** Keeps the process alive while the server listens (after the jobs ended too). */
  keepOpen(): void;
  close(): Promise<void>;
}

const servers = new Map<string, Promise<WebServer>>();

/** The server listening on the options' address, started on the first call (port 0: a new one each time). */
export function webServer(options: ResolvedWebUIOptions): Promise<WebServer> {
  const address = `${options.host}:${options.port}`;
  const running = options.port === 0 ? undefined : servers.get(address);
  if (running !== undefined) return running;
  const starting = start(options);
  if (options.port !== 0) {
    servers.set(address, starting);
    starting.catch(() => servers.delete(address));
  }
  return starting;
}

async function start(options: ResolvedWebUIOptions): Promise<WebServer> {
  const { Registry, collectDefaultMetrics } = promClient();
  const registry = new Registry();
  registerEddyMetrics(registry);
  collectDefaultMetrics({ register: registry, prefix: 'eddy_' });
  const files = new StaticFiles();
  const version = packageVersion();
  const server = createServer((request, response) => {
    handle(request, response, options, registry, files, version).catch((error: unknown) => {
      if (!response.headersSent) json(response, 500, { errors: [(error as Error).message] });
      else response.destroy();
    });
  });
  await listen(server, options);
  server.unref();
  const stopWatching = monitoredJobs.watch();
  const { port } = server.address() as { port: number };
  const host = options.host.includes(':') ? `[${options.host}]` : options.host;
  const url = `http://${host}:${port}/`;
  return {
    url,
    keepOpen: () => void server.ref(),
    close: () =>
      new Promise<void>((resolve) => {
        stopWatching();
        servers.delete(`${options.host}:${options.port}`);
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

function listen(server: Server, { host, port }: ResolvedWebUIOptions): Promise<void> {
  return new Promise((resolve, reject) => {
    server.once('error', (error: NodeJS.ErrnoException) => {
      const why =
        error.code === 'EADDRINUSE'
          ? `port ${port} on ${host} is in use (another eddy job or program). Choose another port: enableWebUI({ port: 8082 }) or eddy run --ui --port 8082 (0 picks a free one).`
          : `${error.message}. Check the host and port of enableWebUI({ host, port }).`;
      reject(new StreamError('INVALID_ARGUMENT', `The web UI could not listen on ${host}:${port}: ${why}`, { domain: 'user', cause: error }));
    });
    server.listen(port, host, () => resolve());
  });
}

async function handle(request: IncomingMessage, response: ServerResponse, options: ResolvedWebUIOptions, registry: Registry, files: StaticFiles, version: string): Promise<void> {
  const url = new URL(request.url ?? '/', 'http://localhost');
  const path = url.pathname.length > 1 ? url.pathname.replace(/\/+$/, '') : url.pathname;
  const method = request.method ?? 'GET';
  if (path === '/metrics' && method === 'GET') {
    const text = await registry.metrics();
    response.writeHead(200, { 'content-type': registry.contentType });
    response.end(text);
    return;
  }
  if (path === '/events' && method === 'GET') return streamOverview(request, response);
  const live = /^\/jobs\/([^/]+)\/events$/.exec(path);
  if (live !== null && method === 'GET') {
    const job = monitoredJobs.byId(live[1]!);
    if (job === undefined) return json(response, 404, { errors: [`There is no job ${live[1]} in this process: GET /jobs/overview lists the jobs.`] });
    return streamJob(job, request, response);
  }
  const rest = await restAnswer(method, path, url.searchParams, options, version);
  if (rest !== undefined) return json(response, rest.status, rest.body);
  if (method !== 'GET' && method !== 'HEAD') return json(response, 405, { errors: [`${method} ${path} is not supported.`] });
  const file = await files.get(path);
  if (file === undefined) return json(response, 404, { errors: [`Nothing at ${path}: the dashboard is at /, the REST API under /jobs, metrics at /metrics.`] });
  response.writeHead(200, { 'content-type': file.contentType, 'cache-control': path === '/' ? 'no-cache' : 'max-age=3600' });
  response.end(method === 'HEAD' ? undefined : file.body);
}

function json(response: ServerResponse, status: number, body: unknown): void {
  response.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-cache' });
  response.end(JSON.stringify(body));
}
