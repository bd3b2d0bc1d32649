// The fixed binary layouts of the control frames (watermark, watermark status, checkpoint
// barrier, end of input): a control element in, a frame kind and payload out, and back.

import { assertNever } from '../../core/errors.js';
import { END_OF_INPUT, type CheckpointBarrier, type ControlElement } from '../../core/stream-element.js';
import { FrameKind, malformedFrame, type ControlFrameKind } from './frame-kinds.js';

// Watermark (WATERMARK frame payload):  offset 0  f64 LE  watermark in ms (may be ±Infinity)
const WATERMARK_BYTES = 8;

// Watermark status (WATERMARK_STATUS frame payload):  offset 0  u32 LE  0 = active, 1 = idle
const WATERMARK_STATUS_BYTES = 4;

// Barrier (BARRIER frame payload):
//
//   offset 0   f64 LE   checkpointId (a whole number)
//   offset 8   f64 LE   timestamp: when the checkpoint was triggered, ms since the epoch
//   offset 16  u32 LE   flags: bit 0 = unaligned checkpoint
//   offset 20  u32      zero
const BARRIER_BYTES = 24;
const UNALIGNED = 1;

// End of input (END_OF_INPUT frame payload): empty.
const NO_PAYLOAD = new Uint8Array(0);

/** A control element as a frame: its kind and payload. */
export interface ControlFrame {
  readonly kind: ControlFrameKind;
  readonly payload: Uint8Array;
}

/** Encodes a control element. Throws a RangeError for a NaN watermark or a bad checkpoint id. */
export function encodeControl(element: ControlElement): ControlFrame {
  switch (element.kind) {
    case 'watermark': {
      if (Number.isNaN(element.timestamp)) throw new RangeError('A watermark must be a number of ms or ±Infinity, got NaN.');
      const payload = new Uint8Array(WATERMARK_BYTES);
      view(payload).setFloat64(0, element.timestamp, true);
      return { kind: FrameKind.WATERMARK, payload };
    }
    case 'watermark-status': {
      const payload = new Uint8Array(WATERMARK_STATUS_BYTES);
      view(payload).setUint32(0, element.idle ? 1 : 0, true);
      return { kind: FrameKind.WATERMARK_STATUS, payload };
    }
    case 'barrier':
      return { kind: FrameKind.BARRIER, payload: encodeBarrier(element) };
    case 'end-of-input':
      return { kind: FrameKind.END_OF_INPUT, payload: NO_PAYLOAD };
    default:
      return assertNever(element);
  }
}

/** Decodes the payload of a control frame of `kind`. */
export function decodeControl(kind: ControlFrameKind, payload: Uint8Array): ControlElement {
  switch (kind) {
    case FrameKind.WATERMARK:
      return { kind: 'watermark', timestamp: checked(payload, WATERMARK_BYTES, 'watermark').getFloat64(0, true) };
    case FrameKind.WATERMARK_STATUS: {
      const code = checked(payload, WATERMARK_STATUS_BYTES, 'watermark status').getUint32(0, true);
      if (code > 1) throw malformedFrame(`watermark status ${code}`);
      return { kind: 'watermark-status', idle: code === 1 };
    }
    case FrameKind.BARRIER: {
      const data = checked(payload, BARRIER_BYTES, 'barrier');
      return {
        kind: 'barrier',
        checkpointId: data.getFloat64(0, true),
        timestamp: data.getFloat64(8, true),
        unaligned: (data.getUint32(16, true) & UNALIGNED) !== 0,
      };
    }
    case FrameKind.END_OF_INPUT:
      checked(payload, 0, 'end of input');
      return END_OF_INPUT;
    default:
      return assertNever(kind);
  }
}

function encodeBarrier(barrier: CheckpointBarrier): Uint8Array {
  if (!Number.isSafeInteger(barrier.checkpointId) || barrier.checkpointId < 0) {
    throw new RangeError(`A checkpoint id must be a whole number >= 0, got ${barrier.checkpointId}.`);
  }
  const payload = new Uint8Array(BARRIER_BYTES);
  const data = view(payload);
  data.setFloat64(0, barrier.checkpointId, true);
  data.setFloat64(8, barrier.timestamp, true);
  data.setUint32(16, barrier.unaligned ? UNALIGNED : 0, true);
  return payload;
}

function view(bytes: Uint8Array): DataView {
  return new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}

function checked(payload: Uint8Array, bytes: number, what: string): DataView {
  if (payload.length !== bytes) throw malformedFrame(`a ${what} of ${payload.length} bytes, expected ${bytes}`);
  return view(payload);
}
