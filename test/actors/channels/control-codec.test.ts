// The control codec: watermarks, watermark statuses, checkpoint barriers and the end of input
// round-trip through their frames; bad values are refused; malformed frames are internal errors.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { decodeControl, encodeControl } from '../../../src/actors/channels/control-codec.js';
import { FrameKind } from '../../../src/actors/channels/frame-kinds.js';
import { StreamError } from '../../../src/core/errors.js';
import type { ControlElement } from '../../../src/core/stream-element.js';

function roundTrip(element: ControlElement): ControlElement {
  const frame = encodeControl(element);
  return decodeControl(frame.kind, frame.payload);
}

test('watermarks round-trip, ±Infinity included; NaN is refused', () => {
  for (const timestamp of [0, -1, 1_700_000_000_000.5, Number.MAX_SAFE_INTEGER, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY]) {
    assert.deepStrictEqual(roundTrip({ kind: 'watermark', timestamp }), { kind: 'watermark', timestamp });
  }
  assert.throws(() => encodeControl({ kind: 'watermark', timestamp: Number.NaN }), RangeError);
});

test('barriers, watermark statuses and the end of input round-trip, each in its own frame kind', () => {
  const barrier = { kind: 'barrier', checkpointId: 7, timestamp: 1_700_000_000_001, unaligned: false } as const;
  assert.deepStrictEqual(roundTrip(barrier), barrier);
  const unaligned = { kind: 'barrier', checkpointId: 2 ** 40, timestamp: 5.5, unaligned: true } as const;
  assert.deepStrictEqual(roundTrip(unaligned), unaligned);
  assert.throws(() => encodeControl({ ...barrier, checkpointId: -1 }), RangeError);
  assert.throws(() => encodeControl({ ...barrier, checkpointId: 1.5 }), RangeError);
  assert.deepStrictEqual(roundTrip({ kind: 'watermark-status', idle: true }), { kind: 'watermark-status', idle: true });
  assert.deepStrictEqual(roundTrip({ kind: 'watermark-status', idle: false }), { kind: 'watermark-status', idle: false });
  assert.deepStrictEqual(roundTrip({ kind: 'end-of-input' }), { kind: 'end-of-input' });
  const kinds = [barrier, { kind: 'watermark', timestamp: 1 }, { kind: 'watermark-status', idle: true }, { kind: 'end-of-input' }] as const;
  assert.deepStrictEqual(
    kinds.map((e) => encodeControl(e).kind),
    [FrameKind.BARRIER, FrameKind.WATERMARK, FrameKind.WATERMARK_STATUS, FrameKind.END_OF_INPUT],
  );
});

test('malformed control frames raise an internal StreamError', () => {
  const internal = (error: unknown): boolean => error instanceof StreamError && error.code === 'INTERNAL';
  assert.throws(() => decodeControl(FrameKind.WATERMARK, new Uint8Array(4)), internal);
  assert.throws(() => decodeControl(FrameKind.BARRIER, new Uint8Array(8)), internal);
  assert.throws(() => decodeControl(FrameKind.WATERMARK_STATUS, new Uint8Array([2, 0, 0, 0])), internal);
  assert.throws(() => decodeControl(FrameKind.END_OF_INPUT, new Uint8Array(1)), internal);
});
