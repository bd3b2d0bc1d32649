// How actors sleep and wake: one doorbell cell per actor in a SharedArrayBuffer. Whoever changes
// something an actor waits for (a frame published, room freed, a cancel) rings its doorbell.

import { DOORBELL_SEQUENCE, DOORBELL_SLEEPING, DOORBELL_STRIDE } from './slots.js';

type WaitAsyncResult =
  | { async: false; value: 'not-equal' | 'timed-out' }
  | { async: true; value: Promise<'ok' | 'timed-out'> };

/** `Atomics.waitAsync` (Node >= 16), typed here because the project's TypeScript lib is ES2023. */
const waitAsync = (
  Atomics as unknown as { waitAsync(cells: Int32Array, index: number, value: number, timeoutMs?: number): WaitAsyncResult }
).waitAsync;

/** A pending `Atomics.waitAsync` does not keep Node's event loop alive; this timer does. */
const KEEP_ALIVE_MS = 2 ** 31 - 1;

/**
 * One timer per thread keeps it alive while any of its actors sleeps: referenced by the first
 * sleeper, unreferenced by the last. Toggling it costs nothing, where a timer per sleep allocated
 * and scheduled one on every wake-up (garbage on the per-record path at low rates).
 */
class KeepAlive {
  private timer: NodeJS.Timeout | undefined;
  private sleepers = 0;

  hold(): void {
    this.timer ??= setInterval(noop, KEEP_ALIVE_MS).unref();
    if (this.sleepers++ === 0) this.timer.ref();
  }

  release(): void {
    if (--this.sleepers === 0) this.timer!.unref();
  }
}

const keepAlive = new KeepAlive();
/** Atomic loads of the sequence between two reads of the clock while spinning. */
const SPIN_BATCH = 64;

function noop(): void {}

/**
 * The doorbells of every actor of a job, one cell of `[sequence, sleeping]` per actor, each on
 * its own cache line (see slots.ts). Each thread builds its own view of the shared buffer.
 *
 * Protocol. A waker first makes its change visible (publishes a frame, releases one, sets a
 * cancel flag), then calls `ring(actor)`. The actor calls `sleep(actor, stillIdle, ...)`, where
 * `stillIdle` re-checks everything it waits for; `sleep` returns after a ring, or at once if
 * `stillIdle()` says there is work. Wake-ups may be spurious: callers loop.
 */
export class Doorbells {
  /** Allocates the doorbells of `actorCount` actors, all quiet. */
  static allocate(actorCount: number): SharedArrayBuffer {
    if (!Number.isInteger(actorCount) || actorCount < 1) {
      throw new RangeError(`Doorbells need a whole number of actors of at least 1, got ${actorCount}.`);
    }
    return new SharedArrayBuffer(actorCount * DOORBELL_STRIDE * Int32Array.BYTES_PER_ELEMENT);
  }

  /** Number of actors with a doorbell. */
  readonly actorCount: number;
  private readonly cells: Int32Array;

  /** A view of doorbells made by `Doorbells.allocate`, possibly in another thread. */
  constructor(sab: SharedArrayBuffer) {
    const cellBytes = DOORBELL_STRIDE * Int32Array.BYTES_PER_ELEMENT;
    if (sab.byteLength === 0 || sab.byteLength % cellBytes !== 0) {
      throw new RangeError(`Not a doorbell buffer: ${sab.byteLength} bytes; use Doorbells.allocate().`);
    }
    this.cells = new Int32Array(sab);
    this.actorCount = sab.byteLength / cellBytes;
  }

  /**
   * Wakes `actor` if it is in `sleep`. Call it after the change the actor waits for is visible: a
   * ring before `sleep` starts is not remembered, the sleeper's `stillIdle()` sees the change
   * instead. Costs one atomic add, plus a notify only when the actor sleeps.
   */
  ring(actor: number): void {
    const cell = this.cell(actor);
    Atomics.add(this.cells, cell + DOORBELL_SEQUENCE, 1);
    if (Atomics.load(this.cells, cell + DOORBELL_SLEEPING) !== 0) {
      Atomics.notify(this.cells, cell + DOORBELL_SEQUENCE);
    }
  }

  /**
   * Waits until `actor`'s doorbell rings, `timeoutMs` passes, or `stillIdle()` returns false.
   * Spins up to `spinMicros` µs first (a hand-off in under a microsecond, where a thread wake-up
   * costs ~25 µs), then yields the thread in `Atomics.waitAsync`, so actors sharing a thread keep
   * running. Only the actor itself may sleep on its doorbell, one `sleep` at a time.
   *
   * No wake-up is lost: the sequence is loaded before `stillIdle()` is checked, and a waker rings
   * (increments the sequence) after its change is visible. So either `stillIdle()` sees the change,
   * or the increment comes after the load and `waitAsync(sequence, loaded)` sees a different value
   * and returns at once; or the increment comes after `waitAsync` started waiting, and then also
   * after `sleeping` was set (all Atomics are sequentially consistent), so the waker's load of
   * `sleeping` sees 1 and it notifies.
   */
  async sleep(actor: number, stillIdle: () => boolean, spinMicros: number, timeoutMs?: number): Promise<void> {
    const cell = this.cell(actor);
    const cells = this.cells;
    const sequence = cell + DOORBELL_SEQUENCE;
    const seen = Atomics.load(cells, sequence);
    if (spinMicros > 0) {
      if (!stillIdle()) return;
      const deadline = performance.now() + spinMicros / 1000;
      do {
        for (let i = 0; i < SPIN_BATCH; i++) if (Atomics.load(cells, sequence) !== seen) return;
      } while (performance.now() < deadline);
    }
    const sleeping = cell + DOORBELL_SLEEPING;
    Atomics.store(cells, sleeping, 1);
    try {
      if (!stillIdle()) return;
      const wait = waitAsync(cells, sequence, seen, timeoutMs);
      if (!wait.async) return;
      keepAlive.hold();
      try {
        await wait.value;
      } finally {
        keepAlive.release();
      }
    } finally {
      Atomics.store(cells, sleeping, 0);
    }
  }

  private cell(actor: number): number {
    if (!(actor >= 0 && actor < this.actorCount && Number.isInteger(actor))) {
      throw new RangeError(`No doorbell for actor ${actor}: there are ${this.actorCount}.`);
    }
    return actor * DOORBELL_STRIDE;
  }
}
