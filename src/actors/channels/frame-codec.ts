// Encodings of what travels on a channel: the frame kinds, record batches (a timestamp column
// plus msgpack of the values), and the fixed binary layouts of the control frames.

import { Buffer } from 'node:buffer';
import { Packr, Unpackr } from 'msgpackr';
import { StreamError } from '../../errors.js';
import { PAD_KIND } from './ring-buffer.js';

/** What a frame on a channel carries; the ring's `kind` field. */
export const FrameKind = {
  PAD: PAD_KIND,
  DATA: 1,
  WATERMARK: 2,
  BARRIER: 3,
  END_OF_INPUT: 4,
  LATENCY_MARKER: 5,
  WATERMARK_STATUS: 6,
} as const;

export type FrameKind = (typeof FrameKind)[keyof typeof FrameKind];

const PACKR_OPTIONS = { useBigIntExtension: true, moreTypes: true } as const;
const BATCH_HEADER_BYTES = 8;
const HAS_TIMESTAMPS = 1;
/** A decoder keeps its scratch buffer up to this size; larger batches get a one-off buffer. */
const MAX_KEPT_SCRATCH = 1 << 20;
const PLAIN_DATA =
  'Records must be plain data: objects, arrays, strings, numbers, bigints, booleans, null, ' +
  'undefined, Date, Map, Set, Uint8Array and other typed arrays.';

// Batch (DATA frame payload):
//
//   offset 0   u32 LE   count: number of records
//   offset 4   u32 LE   flags: bit 0 = has timestamps
//   offset 8   f64 x count, native byte order, only when bit 0 is set: each record's
//              timestamp (ms), NaN = record without timestamp
//   then       msgpack array of `count` values (msgpackr, records extension, no shared
//              structures: every batch decodes on its own)

/**
 * Encodes record batches. Values must be plain data: objects, arrays, strings, numbers, bigints,
 * booleans, null, undefined, Date, Map, Set, Buffer, typed arrays, ArrayBuffer; each arrives with
 * its own type. Class instances arrive as plain objects of their own enumerable properties,
 * without their prototype (as with `structuredClone`); `-0` arrives as `0`. One encoder per thread
 * is enough: it is not re-entrant, and it keeps no state between batches.
 */
export class BatchEncoder {
  private readonly packr = new Packr({
    ...PACKR_OPTIONS,
    // msgpackr would silently write functions as undefined.
    writeFunction: () => {
      throw new TypeError('functions cannot cross threads');
    },
  });
  private out = new Uint8Array(1 << 16);
  private stamps = new Float64Array(this.out.buffer);

  /**
   * Encodes the first `count` values (and timestamps, when not null). Returns a view of the
   * encoder's own buffer, valid until its next `encode`: copy it (`slice()`) to keep it. Throws
   * `StreamError('RECORD_NOT_ENCODABLE')` naming the field that cannot cross threads.
   */
  encode(values: readonly unknown[], timestamps: Float64Array | null, count: number): Uint8Array {
    if (!(count >= 0 && count <= values.length && Number.isInteger(count))) {
      throw new RangeError(`Batch count ${count} must be a whole number of at most ${values.length} (the values given).`);
    }
    if (timestamps !== null && timestamps.length < count) {
      throw new RangeError(`Batch of ${count} records has only ${timestamps.length} timestamps.`);
    }
    const items = count === values.length ? values : values.slice(0, count);
    let packed: Uint8Array;
    try {
      packed = this.packr.pack(items);
    } catch (error) {
      throw notEncodable(items, error);
    }
    const stampBytes = timestamps === null ? 0 : count * Float64Array.BYTES_PER_ELEMENT;
    const valuesAt = BATCH_HEADER_BYTES + stampBytes;
    const total = valuesAt + packed.length;
    if (total > this.out.length) {
      this.out = new Uint8Array(nextPowerOfTwo(total));
      this.stamps = new Float64Array(this.out.buffer);
    }
    const out = this.out;
    writeU32(out, 0, count);
    writeU32(out, 4, timestamps === null ? 0 : HAS_TIMESTAMPS);
    if (timestamps !== null) {
      const first = BATCH_HEADER_BYTES / Float64Array.BYTES_PER_ELEMENT;
      this.stamps.set(timestamps.length === count ? timestamps : timestamps.subarray(0, count), first);
    }
    out.set(packed, valuesAt);
    return out.subarray(0, total);
  }
}

/**
 * Decodes record batches from any `BatchEncoder`. The result shares no memory with `payload`, so
 * the ring frame may be released as soon as `decode` returns. Not re-entrant; one per thread.
 */
export class BatchDecoder {
  private readonly unpackr = new Unpackr({ ...PACKR_OPTIONS, copyBuffers: true });
  // msgpackr's native string decoder rejects SharedArrayBuffers and its JS fallback is 2-4x
  // slower, so the msgpack bytes are copied out of the ring first (measured in
  // bench/micro/channels.bench.ts). A Buffer also makes msgpack `bin` values come back as Buffers.
  private scratch = Buffer.allocUnsafeSlow(1 << 16);

  /** Decodes a DATA payload (a view into a ring, or any bytes from `BatchEncoder.encode`). */
  decode(payload: Uint8Array): { values: unknown[]; timestamps: Float64Array | null } {
    if (payload.length < BATCH_HEADER_BYTES) throw malformed(`${payload.length} bytes`);
    const count = readU32(payload, 0);
    const hasTimestamps = (readU32(payload, 4) & HAS_TIMESTAMPS) !== 0;
    const valuesAt = BATCH_HEADER_BYTES + (hasTimestamps ? count * Float64Array.BYTES_PER_ELEMENT : 0);
    const length = payload.length - valuesAt;
    if (length < 1) throw malformed(`${payload.length} bytes for ${count} records`);
    let timestamps: Float64Array | null = null;
    if (hasTimestamps) {
      timestamps = new Float64Array(count);
      new Uint8Array(timestamps.buffer).set(payload.subarray(BATCH_HEADER_BYTES, valuesAt));
    }
    let source = this.scratch;
    if (length > source.length) {
      source = Buffer.allocUnsafeSlow(nextPowerOfTwo(length));
      if (source.length <= MAX_KEPT_SCRATCH) this.scratch = source;
    }
    source.set(payload.subarray(valuesAt));
    let values: unknown;
    try {
      values = this.unpackr.unpack(source, { end: length });
    } catch (error) {
      throw malformed(error instanceof Error ? error.message : String(error));
    }
    if (!Array.isArray(values) || values.length !== count) throw malformed(`expected ${count} records`);
    return { values, timestamps };
  }
}

// Watermark (WATERMARK frame payload):  offset 0  f64 LE  watermark in ms (may be ±Infinity)

const WATERMARK_BYTES = 8;

/** Encodes a watermark: any timestamp in ms, or ±Infinity (end of input is +Infinity). */
export function encodeWatermark(watermark: number): Uint8Array {
  if (Number.isNaN(watermark)) throw new RangeError('A watermark must be a number of ms or ±Infinity, got NaN.');
  const bytes = new Uint8Array(WATERMARK_BYTES);
  view(bytes).setFloat64(0, watermark, true);
  return bytes;
}

/** Decodes a WATERMARK payload. */
export function decodeWatermark(payload: Uint8Array): number {
  return checked(payload, WATERMARK_BYTES, 'watermark').getFloat64(0, true);
}

// Barrier (BARRIER frame payload):
//
//   offset 0   f64 LE   checkpointId (a whole number)
//   offset 8   f64 LE   timestamp: when the checkpoint was triggered, ms since the epoch
//   offset 16  u32 LE   flags: bit 0 = unaligned checkpoint
//   offset 20  u32      zero

const BARRIER_BYTES = 24;
const UNALIGNED = 1;

/** A checkpoint barrier, as carried on a channel. */
export interface Barrier {
  readonly checkpointId: number;
  readonly timestamp: number;
  readonly unaligned: boolean;
}

/** Encodes a checkpoint barrier (`unaligned` defaults to false). */
export function encodeBarrier(barrier: { checkpointId: number; timestamp: number; unaligned?: boolean }): Uint8Array {
  if (!Number.isSafeInteger(barrier.checkpointId) || barrier.checkpointId < 0) {
    throw new RangeError(`A checkpoint id must be a whole number >= 0, got ${barrier.checkpointId}.`);
  }
  const bytes = new Uint8Array(BARRIER_BYTES);
  const data = view(bytes);
  data.setFloat64(0, barrier.checkpointId, true);
  data.setFloat64(8, barrier.timestamp, true);
  data.setUint32(16, barrier.unaligned === true ? UNALIGNED : 0, true);
  return bytes;
}

/** Decodes a BARRIER payload. */
export function decodeBarrier(payload: Uint8Array): Barrier {
  const data = checked(payload, BARRIER_BYTES, 'barrier');
  return {
    checkpointId: data.getFloat64(0, true),
    timestamp: data.getFloat64(8, true),
    unaligned: (data.getUint32(16, true) & UNALIGNED) !== 0,
  };
}

// Latency marker (LATENCY_MARKER frame payload):
//
//   offset 0   f64 LE   markedTime: when the source emitted it, ms
//   offset 8   u32 LE   sourceOperator: node id of the source
//   offset 12  u32 LE   sourceSubtask

const LATENCY_MARKER_BYTES = 16;

/** A latency marker: emitted by a source, timed by every operator it passes. */
export interface LatencyMarker {
  readonly markedTime: number;
  readonly sourceOperator: number;
  readonly sourceSubtask: number;
}

/** Encodes a latency marker; operator and subtask are u32. */
export function encodeLatencyMarker(marker: LatencyMarker): Uint8Array {
  for (const field of ['sourceOperator', 'sourceSubtask'] as const) {
    if (marker[field] >>> 0 !== marker[field]) throw new RangeError(`${field} must be a u32, got ${marker[field]}.`);
  }
  const bytes = new Uint8Array(LATENCY_MARKER_BYTES);
  const data = view(bytes);
  data.setFloat64(0, marker.markedTime, true);
  data.setUint32(8, marker.sourceOperator, true);
  data.setUint32(12, marker.sourceSubtask, true);
  return bytes;
}

/** Decodes a LATENCY_MARKER payload. */
export function decodeLatencyMarker(payload: Uint8Array): LatencyMarker {
  const data = checked(payload, LATENCY_MARKER_BYTES, 'latency marker');
  return { markedTime: data.getFloat64(0, true), sourceOperator: data.getUint32(8, true), sourceSubtask: data.getUint32(12, true) };
}

// Watermark status (WATERMARK_STATUS frame payload):  offset 0  u32 LE  0 = active, 1 = idle

const WATERMARK_STATUS_BYTES = 4;

/** Whether a channel's watermark counts: an idle channel is ignored by the minimum. */
export type WatermarkStatus = 'idle' | 'active';

/** Encodes a watermark status. */
export function encodeWatermarkStatus(status: WatermarkStatus): Uint8Array {
  const bytes = new Uint8Array(WATERMARK_STATUS_BYTES);
  view(bytes).setUint32(0, status === 'idle' ? 1 : 0, true);
  return bytes;
}

/** Decodes a WATERMARK_STATUS payload. */
export function decodeWatermarkStatus(payload: Uint8Array): WatermarkStatus {
  const code = checked(payload, WATERMARK_STATUS_BYTES, 'watermark status').getUint32(0, true);
  if (code > 1) throw malformed(`watermark status ${code}`);
  return code === 1 ? 'idle' : 'active';
}

function view(bytes: Uint8Array): DataView {
  return new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}

function checked(payload: Uint8Array, bytes: number, what: string): DataView {
  if (payload.length !== bytes) throw malformed(`a ${what} of ${payload.length} bytes, expected ${bytes}`);
  return view(payload);
}

function malformed(detail: string): StreamError {
  return new StreamError('INTERNAL', `Malformed channel frame: ${detail}.`, { domain: 'internal' });
}

function readU32(bytes: Uint8Array, at: number): number {
  return (bytes[at]! | (bytes[at + 1]! << 8) | (bytes[at + 2]! << 16) | (bytes[at + 3]! << 24)) >>> 0;
}

function writeU32(bytes: Uint8Array, at: number, value: number): void {
  bytes[at] = value;
  bytes[at + 1] = value >>> 8;
  bytes[at + 2] = value >>> 16;
  bytes[at + 3] = value >>> 24;
}

function nextPowerOfTwo(n: number): number {
  return 2 ** Math.ceil(Math.log2(n));
}

/** The error for a batch msgpackr could not encode, naming the first field that is not data. */
function notEncodable(values: readonly unknown[], cause: unknown): StreamError {
  let problem: string | null = null;
  try {
    for (let i = 0; i < values.length && problem === null; i++) problem = findProblem(values[i], 'record', new Set());
  } catch {
    // The record is nested too deeply even to inspect; the generic message below says so.
  }
  const reason = cause instanceof Error ? cause.message : String(cause);
  const message =
    problem ?? `A record could not be encoded to cross threads (${reason}); is it nested too deeply? ${PLAIN_DATA}`;
  return new StreamError('RECORD_NOT_ENCODABLE', message, { domain: 'user', cause });
}

/** Where in `value` lies something that cannot cross threads, as a sentence; null if nowhere. */
function findProblem(value: unknown, path: string, ancestors: Set<object>): string | null {
  if (typeof value === 'function') {
    return (
      `${path} is a function${value.name === '' ? '' : ` (${value.name})`}: functions cannot cross threads. ` +
      `Keep functions in your operators and send only data. ${PLAIN_DATA}`
    );
  }
  if (typeof value === 'symbol') {
    return `${path} is a symbol (${String(value)}): symbols cannot cross threads; use a string instead. ${PLAIN_DATA}`;
  }
  if (typeof value !== 'object' || value === null || ArrayBuffer.isView(value) || value instanceof Date) return null;
  if (ancestors.has(value)) {
    return `${path} refers back to an object that contains it: records must not contain cycles; send ids instead of references. ${PLAIN_DATA}`;
  }
  ancestors.add(value);
  let problem: string | null = null;
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length && problem === null; i++) problem = findProblem(value[i], `${path}[${i}]`, ancestors);
  } else if (value instanceof Map) {
    for (const [key, entry] of value) {
      problem ??= findProblem(key, `a key of ${path}`, ancestors) ?? findProblem(entry, `${path}.get(${String(key)})`, ancestors);
    }
  } else if (value instanceof Set) {
    for (const entry of value) problem ??= findProblem(entry, `an element of ${path}`, ancestors);
  } else {
    for (const [key, entry] of Object.entries(value)) {
      const at = /^[A-Za-z_$][\w$]*$/.test(key) ? `${path}.${key}` : `${path}[${JSON.stringify(key)}]`;
      problem ??= findProblem(entry, at, ancestors);
    }
  }
  ancestors.delete(value);
  return problem;
}
