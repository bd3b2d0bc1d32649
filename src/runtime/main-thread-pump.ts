// Runs the main-thread ends of one deployment's rings: whenever the main thread's doorbell rings
// (a subtask wrote records or replies, or freed room for pushes) it lets every endpoint read and
// write what it can, then sleeps on the doorbell again, without blocking the event loop.

import type { Doorbells } from '../actors/channels/doorbell.js';
import type { MainThreadEndpoint } from './main-thread-link.js';

export class MainThreadPump {
  readonly done: Promise<void>;
  private running = true;

  constructor(
    private readonly bells: Doorbells,
    /** The main thread's doorbell. */
    private readonly actor: number,
    private readonly endpoints: readonly MainThreadEndpoint[],
    /** An endpoint failed (a record it could not decode): the job fails with it. */
    private readonly failed: (error: Error) => void,
  ) {
    this.done = this.run();
  }

  wake(): void {
    this.bells.ring(this.actor);
  }

  /** Stops after the current round. */
  stop(): void {
    this.running = false;
    this.wake();
  }

  private async run(): Promise<void> {
    while (this.running) {
      this.pumpAll();
      await this.bells.sleep(this.actor, () => this.running && !this.endpoints.some((e) => e.hasWork()), 0);
    }
  }

  private pumpAll(): void {
    for (let again = true; again; ) {
      again = false;
      for (const endpoint of this.endpoints) {
        try {
          if (endpoint.pump()) again = true;
        } catch (error) {
          this.failed(error instanceof Error ? error : new Error(String(error)));
        }
      }
    }
  }
}
