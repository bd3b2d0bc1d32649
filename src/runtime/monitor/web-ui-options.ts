// The options of the web UI (`env.enableWebUI`, `runJob(..., { webUI })`, `eddy run --ui`):
// where the server listens and what it lets a visitor do, checked with sentences that say how to fix them.

import { StreamError } from '../../core/errors.js';

/** Where the dashboard, the REST API and `/metrics` are served, and what visitors may do. */
export interface WebUIOptions {
  /** Port to listen on (default 8081, as Flink's; 0 picks a free one). */
  port?: number;
  /** Address to listen on (default 127.0.0.1: this machine only). */
  host?: string;
  /** Lets visitors cancel a job (`PATCH /jobs/:id?mode=cancel`, and a button on the dashboard). Off by default. */
  allowCancel?: boolean;
  /** Lets visitors take a savepoint into this folder (`POST /jobs/:id/savepoints`). Off by default. */
  savepointDir?: string;
}

export interface ResolvedWebUIOptions {
  readonly port: number;
  readonly host: string;
  readonly allowCancel: boolean;
  readonly savepointDir: string | undefined;
}

export const DEFAULT_WEB_UI_PORT = 8081;

/** Checks and completes web UI options; `where` names the call for errors. */
export function resolveWebUIOptions(options: WebUIOptions | undefined, where: string): ResolvedWebUIOptions {
  const fail = (message: string): never => {
    throw new StreamError('INVALID_ARGUMENT', `${where}: ${message}`, { domain: 'user' });
  };
  if (options !== undefined && (typeof options !== 'object' || options === null)) fail(`expected an options object such as { port: 8081 }, got ${String(options)}.`);
  const { port = DEFAULT_WEB_UI_PORT, host = '127.0.0.1', allowCancel = false, savepointDir } = options ?? {};
  if (!Number.isInteger(port) || port < 0 || port > 65535) fail(`port must be a whole number from 0 to 65535 (0: any free port), got ${JSON.stringify(port)}.`);
  if (typeof host !== 'string' || host.length === 0) fail(`host must be an address to listen on, such as '127.0.0.1' or '0.0.0.0', got ${JSON.stringify(host)}.`);
  if (typeof allowCancel !== 'boolean') fail(`allowCancel must be true or false, got ${JSON.stringify(allowCancel)}.`);
  if (savepointDir !== undefined && (typeof savepointDir !== 'string' || savepointDir.length === 0)) fail(`savepointDir must be a folder path, got ${JSON.stringify(savepointDir)}.`);
  return { port, host, allowCancel, savepointDir };
}
