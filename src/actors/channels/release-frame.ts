// How a consumer frees a frame it read: every reader of a ring (an actor's input gate, a source
// fed by the main thread, the main thread reading results) frees frames the same way.

import type { Doorbells } from './doorbell.js';
import type { RingBuffer } from './ring-buffer.js';

/**
 * Frees the frame just read from `ring`. The producer is rung only once the ring is at most half
 * full: a producer blocked on a full ring then wakes to room for many frames, not one (a
 * cross-thread wake-up costs far more than a frame; measured hundreds of µs under load).
 */
export function releaseFrame(ring: RingBuffer, bells: Doorbells, producerActor: number): void {
  ring.release();
  if (ring.usedBytes() <= ring.capacity >>> 1) bells.ring(producerActor);
}
