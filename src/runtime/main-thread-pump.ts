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

  /** Whether the pump may sleep: running, and no endpoint has work (made once: the pump wakes once per batch). */
  private readonly idle = (): boolean => {
    if (!this.running) return false;
    for (const endpoint of this.endpoints) if (endpoint.hasWork()) return false;
    return true;
  };

  private async run(): Promise<void> {
    while (this.running) {
      this.pumpAll();
      await this.bells.sleep(this.actor, this.idle, 0);
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
