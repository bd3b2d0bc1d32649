// The kinds of frame a channel carries (the ring's `kind` field), and the error for a frame that
// does not decode, which only a bug in eddy can produce.

import { StreamError } from '../../core/errors.js';
import { PAD_KIND } from './ring-buffer.js';

/** What a frame on a channel carries. */
export const FrameKind = {
  PAD: PAD_KIND,
  DATA: 1,
  WATERMARK: 2,
  BARRIER: 3,
  END_OF_INPUT: 4,
  WATERMARK_STATUS: 6,
} as const;

export type FrameKind = (typeof FrameKind)[keyof typeof FrameKind];

/** The kinds of the frames that carry a control element (all but DATA and PAD). */
export type ControlFrameKind = typeof FrameKind.WATERMARK | typeof FrameKind.BARRIER | typeof FrameKind.END_OF_INPUT | typeof FrameKind.WATERMARK_STATUS;

export function malformedFrame(detail: string): StreamError {
  return new StreamError('INTERNAL', `Malformed channel frame: ${detail}.`, { domain: 'internal' });
}
