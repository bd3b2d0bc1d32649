// Reads the frames a job's subtasks write to the main thread (collectAsync records, replies):
// decodes each batch, frees the frame, and rings the producing subtask once its ring is at most
// half full, so a subtask blocked on a full ring goes on.

import { BatchDecoder } from '../actors/channels/batch-codec.js';
import type { Doorbells } from '../actors/channels/doorbell.js';
import { FrameKind } from '../actors/channels/frame-kinds.js';
import { releaseFrame } from '../actors/channels/release-frame.js';
import type { RingBuffer } from '../actors/channels/ring-buffer.js';
import { StreamError } from '../core/errors.js';
import type { MainThreadLink } from './main-thread-link.js';
import { actorsOfNode, ringsOf } from './main-thread-rings.js';

export class RingReader {
  private readonly decoder = new BatchDecoder();
  private readonly rings: RingBuffer[];
  private readonly actors: number[];
  private readonly bells: Doorbells;
  private next = 0;

  constructor(link: MainThreadLink, set: 'replies' | 'outputs', nodeId: number) {
    this.rings = ringsOf(link.rings[set], nodeId);
    this.actors = actorsOfNode(link.planned, nodeId);
    this.bells = link.bells;
  }

  /** Whether a frame waits on any ring. */
  hasFrames(): boolean {
    for (const ring of this.rings) if (!ring.isEmpty()) return true;
    return false;
  }

  /**
   * The next batch, reading the rings round robin; null when none waits. An end-of-input frame (a
   * sink subtask ended) carries nothing: it is freed and skipped.
   */
  read(): { values: unknown[]; timestamps: Float64Array | null } | null {
    const count = this.rings.length;
    for (let tried = 0; tried < count; tried++) {
      const subtask = this.next;
      this.next = subtask + 1 === count ? 0 : subtask + 1;
      const ring = this.rings[subtask]!;
      const frame = ring.tryRead();
      if (frame === null) continue;
      const batch = frame.kind === FrameKind.DATA ? this.decoder.decode(frame.payload) : null;
      if (batch === null && frame.kind !== FrameKind.END_OF_INPUT) {
        throw new StreamError('INTERNAL', `Unexpected frame kind ${frame.kind} on a ring to the main thread`, { domain: 'internal' });
      }
      releaseFrame(ring, this.bells, this.actors[subtask]!);
      if (batch !== null) return batch;
      tried = -1;
    }
    return null;
  }
}
