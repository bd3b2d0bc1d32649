// The encoding of record batches on a channel (DATA frames): a timestamp column, the key groups
// the sender hashed the records to (on keyed edges), and the values, column by column when the
// records have one shape, else as msgpack; with errors that name what in a record cannot cross
// threads.

import { Buffer } from 'node:buffer';
import { Packr, Unpackr } from 'msgpackr';
import { StreamError } from '../../core/errors.js';
import { MSGPACK_OPTIONS } from '../../core/msgpack-options.js';
import { ColumnDecoder, ColumnEncoder } from './column-codec.js';
import { malformedFrame } from './frame-kinds.js';

const BATCH_HEADER_BYTES = 8;
const HAS_TIMESTAMPS = 1;
const HAS_KEY_GROUPS = 2;
const VALUES_IN_COLUMNS = 4;
/** A decoder keeps its scratch buffer up to this size; larger batches get a one-off buffer. */
const MAX_KEPT_SCRATCH = 1 << 20;
const PLAIN_DATA =
  'Records must be plain data: objects, arrays, strings, numbers, bigints, booleans, null, ' +
  'undefined, Date, Map, Set, Uint8Array and other typed arrays.';

// Batch (DATA frame payload):
//
//   offset 0   u32 LE   count: number of records
//   offset 4   u32 LE   flags: bit 0 = has timestamps, bit 1 = has key groups, bit 2 = values in columns
//   offset 8   f64 x count, native byte order, only when bit 0 is set: each record's
//              timestamp (ms), NaN = record without timestamp
//   then       u16 x count, native byte order, padded to a multiple of 8 bytes, only when bit 1
//              is set: the key group of each record, as the sender computed it (a keyed edge),
//              so that the keyed consumer does not hash the key again
//   then       the `count` values (8-byte aligned): when bit 2 is set, column-encoded (see
//              column-codec.ts: records of one shape, self-described); else a msgpack array
//              (msgpackr, records extension, no shared structures: every batch decodes on its own)

/**
 * Encodes record batches. Values must be plain data: objects, arrays, strings, numbers, bigints,
 * booleans, null, undefined, Date, Map, Set, Buffer, typed arrays, ArrayBuffer; each arrives with
 * its own type. Class instances arrive as plain objects of their own enumerable properties,
 * without their prototype (as with `structuredClone`); `-0` arrives as `0`. One encoder per thread
 * is enough: it is not re-entrant. Between batches it keeps only what it learned of record shapes,
 * never anything a decoder would need.
 */
export class BatchEncoder {
  private readonly packr = new Packr({
    ...MSGPACK_OPTIONS,
    // msgpackr would silently write functions as undefined.
    writeFunction: () => {
      throw new TypeError('functions cannot cross threads');
    },
  });
  private readonly columns = new ColumnEncoder(this.packr);
  private out = new Uint8Array(1 << 16);
  private stamps = new Float64Array(this.out.buffer);

  /**
   * Encodes the first `count` values (and timestamps, when not null). Returns a view of the
   * encoder's own buffer, valid until its next `encode`: copy it (`slice()`) to keep it. Throws
   * `StreamError('RECORD_NOT_ENCODABLE')` naming the field that cannot cross threads.
   */
  encode(values: readonly unknown[], timestamps: Float64Array | null, count: number, keyGroups: Uint16Array | null = null): Uint8Array {
    if (!(count >= 0 && count <= values.length && Number.isInteger(count))) {
      throw new RangeError(`Batch count ${count} must be a whole number of at most ${values.length} (the values given).`);
    }
    if (timestamps !== null && timestamps.length < count) {
      throw new RangeError(`Batch of ${count} records has only ${timestamps.length} timestamps.`);
    }
    if (keyGroups !== null && keyGroups.length < count) {
      throw new RangeError(`Batch of ${count} records has only ${keyGroups.length} key groups.`);
    }
    const items = count === values.length ? values : values.slice(0, count);
    let packed: Uint8Array;
    let flags = (timestamps === null ? 0 : HAS_TIMESTAMPS) | (keyGroups === null ? 0 : HAS_KEY_GROUPS);
    try {
      const columns = this.columns.encode(items);
      if (columns === null) {
        packed = this.packr.pack(items);
      } else {
        packed = columns;
        flags |= VALUES_IN_COLUMNS;
      }
    } catch (error) {
      throw notEncodable(items, error);
    }
    const stampBytes = timestamps === null ? 0 : count * Float64Array.BYTES_PER_ELEMENT;
    const groupsAt = BATCH_HEADER_BYTES + stampBytes;
    const valuesAt = groupsAt + (keyGroups === null ? 0 : keyGroupBytes(count));
    const total = valuesAt + packed.length;
    if (total > this.out.length) {
      this.out = new Uint8Array(nextPowerOfTwo(total));
      this.stamps = new Float64Array(this.out.buffer);
    }
    const out = this.out;
    writeU32(out, 0, count);
    writeU32(out, 4, flags);
    if (timestamps !== null) {
      const first = BATCH_HEADER_BYTES / Float64Array.BYTES_PER_ELEMENT;
      this.stamps.set(timestamps.length === count ? timestamps : timestamps.subarray(0, count), first);
    }
    if (keyGroups !== null) new Uint16Array(out.buffer, groupsAt, count).set(keyGroups.length === count ? keyGroups : keyGroups.subarray(0, count));
    out.set(packed, valuesAt);
    return out.subarray(0, total);
  }
}

/**
 * Decodes record batches from any `BatchEncoder`. The result shares no memory with `payload`, so
 * the ring frame may be released as soon as `decode` returns. Not re-entrant; one per thread.
 */
export class BatchDecoder {
  private readonly unpackr = new Unpackr({ ...MSGPACK_OPTIONS, copyBuffers: true });
  private readonly columns = new ColumnDecoder(this.unpackr);
  // msgpackr's native string decoder rejects SharedArrayBuffers and its JS fallback is 2-4x
  // slower, so the values are copied out of the ring first (measured in
  // bench/micro/channels.bench.ts). A Buffer also makes msgpack `bin` values come back as Buffers,
  // and lets the column decoder read strings with Buffer's decoders. allocUnsafeSlow: not pooled,
  // so at offset 0 of its memory, which keeps the columns 8-byte aligned.
  private scratch = Buffer.allocUnsafeSlow(1 << 16);

  /** Decodes a DATA payload (a view into a ring, or any bytes from `BatchEncoder.encode`). */
  decode(payload: Uint8Array): DecodedBatch {
    if (payload.length < BATCH_HEADER_BYTES) throw malformedFrame(`${payload.length} bytes`);
    const count = readU32(payload, 0);
    const flags = readU32(payload, 4);
    const hasTimestamps = (flags & HAS_TIMESTAMPS) !== 0;
    const groupsAt = BATCH_HEADER_BYTES + (hasTimestamps ? count * Float64Array.BYTES_PER_ELEMENT : 0);
    const valuesAt = groupsAt + ((flags & HAS_KEY_GROUPS) !== 0 ? keyGroupBytes(count) : 0);
    const length = payload.length - valuesAt;
    if (length < 1) throw malformedFrame(`${payload.length} bytes for ${count} records`);
    let timestamps: Float64Array | null = null;
    if (hasTimestamps) {
      timestamps = new Float64Array(count);
      new Uint8Array(timestamps.buffer).set(payload.subarray(BATCH_HEADER_BYTES, groupsAt));
    }
    let keyGroups: Uint16Array | null = null;
    if ((flags & HAS_KEY_GROUPS) !== 0) {
      keyGroups = new Uint16Array(count);
      new Uint8Array(keyGroups.buffer).set(payload.subarray(groupsAt, groupsAt + count * Uint16Array.BYTES_PER_ELEMENT));
    }
    let source = this.scratch;
    if (length > source.length) {
      source = Buffer.allocUnsafeSlow(nextPowerOfTwo(length));
      if (source.length <= MAX_KEPT_SCRATCH) this.scratch = source;
    }
    source.set(payload.subarray(valuesAt));
    let values: unknown;
    try {
      values =
        (flags & VALUES_IN_COLUMNS) !== 0 ? this.columns.decode(source, length, count) : this.unpackr.unpack(source, { end: length });
    } catch (error) {
      if (error instanceof StreamError) throw error;
      throw malformedFrame(error instanceof Error ? error.message : String(error));
    }
    if (!Array.isArray(values) || values.length !== count) throw malformedFrame(`expected ${count} records`);
    return { values, timestamps, keyGroups };
  }
}

/** A decoded batch: its records, their timestamps and the key groups their sender hashed them to, when sent. */
export interface DecodedBatch {
  readonly values: unknown[];
  readonly timestamps: Float64Array | null;
  readonly keyGroups: Uint16Array | null;
}

/** Bytes of a batch's key-group column: two per record, padded so that the next column starts 8-aligned. */
function keyGroupBytes(count: number): number {
  return Math.ceil((count * Uint16Array.BYTES_PER_ELEMENT) / 8) * 8;
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

/**
 * Throws `StreamError('RECORD_NOT_ENCODABLE')`, naming the field, when `value` holds something
 * that cannot cross threads (a function, a symbol, a cycle): for records taken from a caller
 * (a push from the main thread), refused one by one before they join a batch.
 */
export function assertEncodable(value: unknown): void {
  if (typeof value !== 'object' && typeof value !== 'function' && typeof value !== 'symbol') return;
  const problem = findProblem(value, 'record', new Set());
  if (problem !== null) throw new StreamError('RECORD_NOT_ENCODABLE', problem, { domain: 'user' });
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
