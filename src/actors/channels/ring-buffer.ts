// The channel between two subtasks: a single-producer single-consumer ring of variable-size
// frames in a SharedArrayBuffer, correct with producer and consumer on one thread or on two.

//  SharedArrayBuffer layout (all words u32, native byte order):
//
//  byte 0               64                  128                          128 + capacity
//  +--------------------+-------------------+------------------------------------+
//  | write position     | read position     | data region: frames                |
//  | (producer writes)  | (consumer writes) |                                    |
//  | 60 bytes unused    | 60 bytes unused   |                                    |
//  +--------------------+-------------------+------------------------------------+
//     cache line 0         cache line 1
//
//  frame (starts 8-byte aligned, never wraps):
//  +--------------------+------------+----------------------+--------------------+
//  | u32 payloadLength  | u32 kind   | payload              | 0..7 bytes padding |
//  +--------------------+------------+----------------------+--------------------+
//
//  Positions are byte counters that only grow, modulo 2^32; a position's offset in the data
//  region is `position & (capacity - 1)`. used = write - read (mod 2^32). When a frame does not
//  fit before the end of the data region, the producer fills the tail with a PAD frame (kind 0)
//  and writes the frame at offset 0; the consumer skips PAD frames. The producer publishes a
//  frame (and any PAD before it) with one Atomics.store of the write position; the consumer
//  frees it with one Atomics.store of the read position.

import { StreamError } from '../../core/errors.js';
import {
  FRAME_HEADER_BYTES,
  FRAME_KIND,
  FRAME_LENGTH,
  RING_HEADER_BYTES,
  RING_READ_POSITION,
  RING_WRITE_POSITION,
} from './slots.js';

/** Kind of the filler frame that pads the end of the data region; never a real frame's kind. */
export const PAD_KIND = 0;

const MIN_CAPACITY = 4096;
const MAX_CAPACITY = 2 ** 30;
const NO_FRAME = -1;

/** A frame read from a ring: `payload` is a view into the ring, valid until `release()`. */
export interface RingFrame {
  readonly kind: number;
  readonly payload: Uint8Array;
}

/**
 * A view of one ring. Each thread builds its own from the shared buffer; one side only produces
 * (`tryWrite`, `tryReserve`/`commit`), the other only consumes (`tryRead`/`release`). One view may
 * do both when producer and consumer share a thread. Methods never block: a producer that finds
 * no room (or a consumer that finds no frame) waits on its doorbell and tries again.
 */
export class RingBuffer {
  /**
   * Allocates a ring with `capacityBytes` of frame data (a power of two, 4096 to 2^30).
   * `startPosition` (a multiple of 8 below 2^32) is where both position counters start; it is
   * for tests, which start near 2^32 to exercise the counters' wraparound after 4 GiB.
   */
  static allocate(capacityBytes: number, startPosition = 0): SharedArrayBuffer {
    if (
      !Number.isInteger(capacityBytes) ||
      capacityBytes < MIN_CAPACITY ||
      capacityBytes > MAX_CAPACITY ||
      (capacityBytes & (capacityBytes - 1)) !== 0
    ) {
      throw new RangeError(
        `Ring capacity must be a power of two from ${MIN_CAPACITY} to ${MAX_CAPACITY} bytes, got ${capacityBytes}.`,
      );
    }
    if (!Number.isInteger(startPosition) || startPosition < 0 || startPosition >= 2 ** 32 || startPosition % 8 !== 0) {
      throw new RangeError(`Ring start position must be a multiple of 8 in [0, 2^32), got ${startPosition}.`);
    }
    const sab = new SharedArrayBuffer(RING_HEADER_BYTES + capacityBytes);
    const control = new Int32Array(sab, 0, RING_HEADER_BYTES / Int32Array.BYTES_PER_ELEMENT);
    control[RING_WRITE_POSITION] = startPosition | 0;
    control[RING_READ_POSITION] = startPosition | 0;
    return sab;
  }

  /** Bytes of the data region. */
  readonly capacity: number;
  private readonly mask: number;
  private readonly control: Int32Array;
  private readonly bytes: Uint8Array;
  private readonly words: Uint32Array;

  // Producer side: its own position, the consumer's as last seen, and the open reservation.
  private writePosition: number;
  private knownReadPosition: number;
  private reservedAt = NO_FRAME;
  private reservedLength = 0;

  // Consumer side: its own position, the producer's as last seen, and the end of the frame read.
  private readPosition: number;
  private knownWritePosition: number;
  private frameEnd = NO_FRAME;

  /** A view of a ring made by `RingBuffer.allocate`, possibly in another thread. */
  /**
   * The ring's position counters now, from any thread (for monitoring): bytes written and read
   * since it was allocated, modulo 2^32, and its data capacity. `written - read` is the fill.
   */
  static positions(sab: SharedArrayBuffer): { readonly written: number; readonly read: number; readonly capacity: number } {
    const control = new Int32Array(sab, 0, RING_HEADER_BYTES / Int32Array.BYTES_PER_ELEMENT);
    return {
      written: Atomics.load(control, RING_WRITE_POSITION) >>> 0,
      read: Atomics.load(control, RING_READ_POSITION) >>> 0,
      capacity: sab.byteLength - RING_HEADER_BYTES,
    };
  }

  constructor(sab: SharedArrayBuffer) {
    const capacity = sab.byteLength - RING_HEADER_BYTES;
    if (capacity < MIN_CAPACITY || capacity > MAX_CAPACITY || (capacity & (capacity - 1)) !== 0) {
      throw new RangeError(`Not a ring buffer: ${sab.byteLength} bytes; use RingBuffer.allocate().`);
    }
    this.capacity = capacity;
    this.mask = capacity - 1;
    this.control = new Int32Array(sab, 0, RING_HEADER_BYTES / Int32Array.BYTES_PER_ELEMENT);
    this.bytes = new Uint8Array(sab, RING_HEADER_BYTES, capacity);
    this.words = new Uint32Array(sab, RING_HEADER_BYTES, capacity / Uint32Array.BYTES_PER_ELEMENT);
    this.writePosition = Atomics.load(this.control, RING_WRITE_POSITION) >>> 0;
    this.readPosition = Atomics.load(this.control, RING_READ_POSITION) >>> 0;
    this.knownReadPosition = this.readPosition;
    this.knownWritePosition = this.writePosition;
  }

  /** Largest payload that always fits, even when it must wrap: half the capacity less a header. */
  get maxPayload(): number {
    return this.capacity / 2 - FRAME_HEADER_BYTES;
  }

  /**
   * Producer: copies `payload` into a frame of `kind` (a non-zero u32) and publishes it. Returns
   * false when there is no room right now (nothing is written; wait and retry). Throws a
   * RangeError when the payload is larger than `maxPayload` and so could never fit.
   */
  tryWrite(kind: number, payload: Uint8Array): boolean {
    const offset = this.reserve(kind, payload.length);
    if (offset === NO_FRAME) return false;
    this.bytes.set(payload, offset);
    this.publish(payload.length);
    return true;
  }

  /**
   * Producer, zero-copy: reserves a frame of `kind` with room for `length` payload bytes and
   * returns a writable view of that room, or null when there is no room right now. Nothing is
   * visible to the consumer until `commit()`; a second `tryReserve` before it replaces the first.
   */
  tryReserve(kind: number, length: number): Uint8Array | null {
    const offset = this.reserve(kind, length);
    return offset === NO_FRAME ? null : this.bytes.subarray(offset, offset + length);
  }

  /**
   * Producer: publishes the frame reserved by `tryReserve`, with `length` payload bytes (at most
   * the reserved length; default: all of it). Release store: the consumer that sees the new write
   * position sees the payload.
   */
  commit(length: number = this.reservedLength): void {
    if (this.reservedAt === NO_FRAME) {
      throw new StreamError('INTERNAL', 'RingBuffer.commit() without a frame reserved by tryReserve().', { domain: 'internal' });
    }
    if (!(length >= 0 && length <= this.reservedLength && Number.isInteger(length))) {
      throw new RangeError(`Cannot commit ${length} bytes of a ${this.reservedLength}-byte reservation.`);
    }
    this.publish(length);
  }

  /**
   * Consumer: the oldest unreleased frame, or null when none is published. The payload is a view
   * into the ring, valid until `release()`; calling `tryRead` again before that returns the same
   * frame.
   */
  tryRead(): RingFrame | null {
    let position = this.readPosition;
    if (this.knownWritePosition === position) {
      this.knownWritePosition = Atomics.load(this.control, RING_WRITE_POSITION) >>> 0;
      if (this.knownWritePosition === position) return null;
    }
    let word = (position & this.mask) >> 2;
    let length = this.words[word + FRAME_LENGTH]!;
    let kind = this.words[word + FRAME_KIND]!;
    if (kind === PAD_KIND) {
      // A PAD is published together with the frame after it, at offset 0.
      position = (position + FRAME_HEADER_BYTES + length) >>> 0;
      word = 0;
      length = this.words[FRAME_LENGTH]!;
      kind = this.words[FRAME_KIND]!;
    }
    this.frameEnd = (position + FRAME_HEADER_BYTES + align8(length)) >>> 0;
    const payloadOffset = word * 4 + FRAME_HEADER_BYTES;
    return { kind, payload: this.bytes.subarray(payloadOffset, payloadOffset + length) };
  }

  /** Consumer: frees the frame returned by the last `tryRead` (release store of the read position). */
  release(): void {
    if (this.frameEnd === NO_FRAME) {
      throw new StreamError('INTERNAL', 'RingBuffer.release() without a frame from tryRead().', { domain: 'internal' });
    }
    this.readPosition = this.frameEnd;
    this.frameEnd = NO_FRAME;
    Atomics.store(this.control, RING_READ_POSITION, this.readPosition | 0);
  }

  /** True when no frame is published and unreleased. Either side may ask. */
  isEmpty(): boolean {
    return this.usedBytes() === 0;
  }

  /**
   * Bytes of published, unreleased frames (PAD included). Either side may ask; the other side may
   * change it at once: to the consumer it is a lower bound, to the producer an upper bound.
   */
  usedBytes(): number {
    // Read position first: it never passes the write position loaded after it.
    const read = Atomics.load(this.control, RING_READ_POSITION);
    const write = Atomics.load(this.control, RING_WRITE_POSITION);
    return (write - read) >>> 0;
  }

  /** Reserves a frame (see `tryReserve`); returns the payload's offset in `bytes`, or NO_FRAME. */
  private reserve(kind: number, length: number): number {
    if (kind >>> 0 !== kind || kind === PAD_KIND) {
      throw new RangeError(`Frame kind must be a u32 other than ${PAD_KIND} (PAD), got ${kind}.`);
    }
    if (!(length >= 0 && length <= this.maxPayload && Number.isInteger(length))) {
      throw new RangeError(`Frame payload of ${length} bytes does not fit this ring (at most ${this.maxPayload} bytes).`);
    }
    let start = this.writePosition;
    let offset = start & this.mask;
    const frameBytes = FRAME_HEADER_BYTES + align8(length);
    const tail = this.capacity - offset;
    // Offsets and sizes are multiples of 8, so a tail that is too short still holds a PAD header.
    const wraps = frameBytes > tail;
    if (!this.hasRoom(wraps ? tail + frameBytes : frameBytes)) return NO_FRAME;
    if (wraps) {
      this.writeHeader(offset, tail - FRAME_HEADER_BYTES, PAD_KIND);
      start = (start + tail) >>> 0;
      offset = 0;
    }
    this.writeHeader(offset, length, kind);
    this.reservedAt = start;
    this.reservedLength = length;
    return offset + FRAME_HEADER_BYTES;
  }

  /** Publishes the reserved frame with `length` payload bytes. */
  private publish(length: number): void {
    const start = this.reservedAt;
    this.words[((start & this.mask) >> 2) + FRAME_LENGTH] = length;
    this.writePosition = (start + FRAME_HEADER_BYTES + align8(length)) >>> 0;
    this.reservedAt = NO_FRAME;
    Atomics.store(this.control, RING_WRITE_POSITION, this.writePosition | 0);
  }

  /** True when `bytes` more fit; reloads the consumer's position only when the cached one says no. */
  private hasRoom(bytes: number): boolean {
    if (((this.writePosition - this.knownReadPosition) >>> 0) + bytes <= this.capacity) return true;
    this.knownReadPosition = Atomics.load(this.control, RING_READ_POSITION) >>> 0;
    return ((this.writePosition - this.knownReadPosition) >>> 0) + bytes <= this.capacity;
  }

  private writeHeader(offset: number, length: number, kind: number): void {
    const word = offset >> 2;
    this.words[word + FRAME_LENGTH] = length;
    this.words[word + FRAME_KIND] = kind;
  }
}

/** `n` rounded up to a multiple of 8. */
function align8(n: number): number {
  return (n + 7) & ~7;
}
