// The main thread's end of a request source (env.fromRequests): gives each request an id, pushes
// it with its id through the push inlet, and resolves it with the reply that comes back tagged
// with that id: the first value its reply() sink got, or undefined when none did. Requests the job
// can no longer answer (it failed, restarted or ended) reject.

import { StreamError } from '../core/errors.js';
import type { MainThreadEndpoint, MainThreadLink } from './main-thread-link.js';
import { PushInlet } from './push-inlet.js';
import { RingReader } from './ring-reader.js';

interface PendingRequest {
  resolve(value: unknown): void;
  reject(error: Error): void;
}

export class RequestInlet implements MainThreadEndpoint {
  private readonly inlet: PushInlet;
  private readonly pending = new Map<number, PendingRequest>();
  private reader: RingReader | undefined;
  private nextId = 0;

  constructor(
    private readonly nodeId: number,
    private readonly name: string,
    keySelector: ((value: unknown) => unknown) | undefined,
  ) {
    this.inlet = new PushInlet(nodeId, name, keySelector);
  }

  request(value: unknown): Promise<unknown> {
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      try {
        // A full ring delays the request; its reply is what the caller waits for.
        void this.inlet.push(value, id);
      } catch (error) {
        this.pending.delete(id);
        reject(error);
      }
    });
  }

  close(): Promise<void> {
    return this.inlet.close();
  }

  attach(link: MainThreadLink): void {
    this.reader = new RingReader(link, 'replies', this.nodeId);
    this.inlet.attach(link);
  }

  pump(): boolean {
    let did = this.inlet.pump();
    const reader = this.reader;
    if (reader === undefined) return did;
    for (let batch = reader.read(); batch !== null; batch = reader.read()) {
      did = true;
      const { values, timestamps: ids } = batch;
      for (let i = 0; i < values.length; i++) {
        const id = ids![i]!;
        const request = this.pending.get(id);
        if (request === undefined) continue;
        this.pending.delete(id);
        request.resolve(values[i]);
      }
    }
    return did;
  }

  hasWork(): boolean {
    return this.reader?.hasFrames() ?? false;
  }

  /** Requests sent to the deployment that failed get no reply: they reject with its failure. */
  detach(failure: Error | undefined): void {
    this.pump();
    this.reader = undefined;
    this.inlet.detach();
    this.rejectAll(failure ?? this.unanswered());
  }

  end(failure: Error | undefined): void {
    this.inlet.end(failure);
    this.rejectAll(failure ?? this.unanswered());
  }

  private unanswered(): StreamError {
    return new StreamError('JOB_CANCELLED', `"${this.name}": the job ended before it answered this request.`, { domain: 'user' });
  }

  private rejectAll(error: Error): void {
    for (const request of this.pending.values()) request.reject(error);
    this.pending.clear();
  }
}
