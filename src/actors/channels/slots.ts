// Named indexes of every slot of the channels' SharedArrayBuffers: the ring header, the frame
// header inside the ring's data region, and the doorbell cells. No other file hard-codes these.

/** Bytes of one cache line: slots written by different threads live on different lines. */
export const CACHE_LINE_BYTES = 64;

/** Bytes before a ring's data region: one cache line per position counter. */
export const RING_HEADER_BYTES = 2 * CACHE_LINE_BYTES;

/** Int32 slot of the ring header holding the write position (written by the producer only). */
export const RING_WRITE_POSITION = 0;

/** Int32 slot of the ring header holding the read position (written by the consumer only). */
export const RING_READ_POSITION = CACHE_LINE_BYTES / Int32Array.BYTES_PER_ELEMENT;

/** Bytes of a frame header; frames start, and are padded to, multiples of this. */
export const FRAME_HEADER_BYTES = 8;

/** Uint32 slot of a frame header, relative to the frame's first word: the payload length. */
export const FRAME_LENGTH = 0;

/** Uint32 slot of a frame header, relative to the frame's first word: the frame kind. */
export const FRAME_KIND = 1;

/** Int32 slot of an actor's doorbell cell: the sequence, incremented by every ring. */
export const DOORBELL_SEQUENCE = 0;

/** Int32 slot of an actor's doorbell cell: 1 while the actor waits in `Atomics.waitAsync`. */
export const DOORBELL_SLEEPING = 1;

/** Int32 slots per actor in the doorbell buffer: one cache line, so actors never share a line. */
export const DOORBELL_STRIDE = CACHE_LINE_BYTES / Int32Array.BYTES_PER_ELEMENT;
