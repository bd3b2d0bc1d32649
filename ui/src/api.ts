// How the dashboard talks to the monitoring server: JSON by GET and server-sent event streams, all
// by URLs relative to the page (the server may serve it under any address or path).
import type { JobEvent, JobsOverview, VertexDetails } from './rest.js';

async function getJson<T>(path: string): Promise<T> {
  const response = await fetch(path, { headers: { accept: 'application/json' } });
  if (!response.ok) throw new Error(`GET ${path}: ${response.status} ${response.statusText}`);
  return (await response.json()) as T;
}

function jobPath(jobId: string): string {
  return `jobs/${encodeURIComponent(jobId)}`;
}

export function fetchVertex(jobId: string, vertexId: number): Promise<VertexDetails> {
  return getJson(`${jobPath(jobId)}/vertices/${vertexId}`);
}

/** A job's figures without its live stream: what its event would say. */
export async function fetchJobEvent(jobId: string): Promise<JobEvent> {
  const [job, checkpoints, exceptions] = await Promise.all([getJson<JobEvent['job']>(jobPath(jobId)), getJson<JobEvent['checkpoints']>(`${jobPath(jobId)}/checkpoints`), getJson<JobEvent['exceptions']>(`${jobPath(jobId)}/exceptions`)]);
  return { job, checkpoints, exceptions };
}

export interface StreamHandlers<T> {
  onMessage(message: T): void;
  /** The connection dropped (the browser retries) or was refused for good (`closed`). */
  onError(closed: boolean): void;
}

/** Listens to one named event of a server-sent event stream; returns what stops it. */
function subscribe<T>(path: string, eventName: string, handlers: StreamHandlers<T>): () => void {
  const source = new EventSource(path);
  source.addEventListener(eventName, (event) => handlers.onMessage(JSON.parse((event as MessageEvent<string>).data) as T));
  source.addEventListener('error', () => handlers.onError(source.readyState === EventSource.CLOSED));
  return () => source.close();
}

export function subscribeToOverview(handlers: StreamHandlers<JobsOverview>): () => void {
  return subscribe('events', 'overview', handlers);
}

export function subscribeToJob(jobId: string, handlers: StreamHandlers<JobEvent>): () => void {
  return subscribe(`${jobPath(jobId)}/events`, 'job', handlers);
}
