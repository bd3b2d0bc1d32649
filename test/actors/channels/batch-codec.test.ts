// The batch codec: record batches round-trip every supported type exactly (also straight out of
// a ring), timestamps and key groups survive, unencodable records fail helpfully, malformed batches are internal errors.

import assert from 'node:assert/strict';
import { Buffer } from 'node:buffer';
import { test } from 'node:test';
import { BatchDecoder, BatchEncoder } from '../../../src/actors/channels/batch-codec.js';
import { FrameKind } from '../../../src/actors/channels/frame-kinds.js';
import { RingBuffer } from '../../../src/actors/channels/ring-buffer.js';
import { StreamError } from '../../../src/core/errors.js';

/** One value of every type a record may hold, by name. */
function everyType(): Record<string, unknown> {
  return {
    object: { a: 1, b: 'two' },
    nested: { list: [1, [2, [3, { deep: true }]]], inner: { x: null } },
    string: 'naïve café ✓ 🚀 日本語',
    longString: 'ü'.repeat(300) + 'x'.repeat(300),
    integer: 42,
    negative: -123456789,
    float: 3.141592653589793,
    large: 2 ** 60,
    nan: Number.NaN,
    infinity: Number.POSITIVE_INFINITY,
    minusInfinity: Number.NEGATIVE_INFINITY,
    smallBigint: 5n,
    hugeBigint: 2n ** 70n,
    negativeBigint: -(2n ** 70n),
    smallNegativeBigint: -5n,
    yes: true,
    no: false,
    nothing: null,
    missing: undefined,
    date: new Date(1_700_000_000_123),
    bytes: new Uint8Array([0, 1, 254, 255]),
    buffer: Buffer.from('buffer bytes'),
    map: new Map<unknown, unknown>([['a', 1], [2, { b: [3] }]]),
    set: new Set<unknown>([1, 'two', 3n]),
    int8: new Int8Array([-128, 127]),
    uint8Clamped: new Uint8ClampedArray([0, 255]),
    int16: new Int16Array([-32768, 32767]),
    uint16: new Uint16Array([65535]),
    int32: new Int32Array([-(2 ** 31), 2 ** 31 - 1]),
    uint32: new Uint32Array([2 ** 32 - 1]),
    float32: new Float32Array([1.5, -0.25]),
    float64: new Float64Array([Math.PI, Number.NaN]),
    bigInt64: new BigInt64Array([-(2n ** 63n)]),
    bigUint64: new BigUint64Array([2n ** 64n - 1n]),
    arrayBuffer: new Uint8Array([9, 8, 7]).buffer,
  };
}

function roundTrip(values: unknown[], timestamps: Float64Array | null = null): { values: unknown[]; timestamps: Float64Array | null } {
  return new BatchDecoder().decode(new BatchEncoder().encode(values, timestamps, values.length).slice());
}

test('every supported type round-trips exactly, with its constructor', () => {
  const sent = everyType();
  const [received] = roundTrip([sent]).values as [Record<string, unknown>];
  assert.deepStrictEqual(received, sent);
  for (const [name, value] of Object.entries(sent)) {
    const got = received[name];
    if (typeof value === 'object' && value !== null) {
      assert.equal((got as object).constructor, value.constructor, `${name} keeps its constructor`);
    } else {
      assert.equal(typeof got, typeof value, `${name} keeps its type`);
    }
  }
  assert.ok(!Buffer.isBuffer(received['bytes']), 'a Uint8Array does not come back as a Buffer');
  assert.ok(Buffer.isBuffer(received['buffer']), 'a Buffer comes back as a Buffer');
});

test('a batch decoded straight from a ring shares no memory with it', () => {
  const ring = new RingBuffer(RingBuffer.allocate(1 << 16));
  const sent = [everyType(), everyType()];
  const timestamps = new Float64Array([1, 2]);
  assert.ok(ring.tryWrite(FrameKind.DATA, new BatchEncoder().encode(sent, timestamps, 2)));
  const frame = ring.tryRead()!;
  const batch = new BatchDecoder().decode(frame.payload);
  ring.release();
  // Overwrite the ring's memory: nothing decoded may change.
  for (let written = 0; written < 2 * ring.capacity; written += 1008) {
    assert.ok(ring.tryWrite(FrameKind.DATA, new Uint8Array(1000).fill(0xee)));
    ring.tryRead();
    ring.release();
  }
  assert.deepStrictEqual(batch.values, [everyType(), everyType()]);
  assert.deepStrictEqual(batch.timestamps, new Float64Array([1, 2]));
});

test('batches are self-contained: any decoder decodes any encoder batch', () => {
  const encoder = new BatchEncoder();
  const records = (n: number): unknown[] => Array.from({ length: n }, (_, i) => ({ key: `k${i}`, value: i, tags: { a: i } }));
  encoder.encode(records(10), null, 10);
  const second = encoder.encode(records(20), null, 20).slice();
  assert.deepStrictEqual(new BatchDecoder().decode(second).values, records(20));
  const decoder = new BatchDecoder();
  decoder.decode(new BatchEncoder().encode([{ other: 'shape' }], null, 1));
  assert.deepStrictEqual(decoder.decode(second).values, records(20));
});

test('timestamps: present, absent, NaN for records without one, and only the first count', () => {
  assert.equal(roundTrip([1, 2]).timestamps, null);
  const stamps = new Float64Array([10, Number.NaN, -5.5, 1e15]);
  const batch = roundTrip(['a', 'b', 'c', 'd'], stamps);
  assert.deepStrictEqual(batch.timestamps, stamps);
  const encoder = new BatchEncoder();
  const partial = new BatchDecoder().decode(encoder.encode(['a', 'b', 'c'], new Float64Array([1, 2, 3, 4]), 2));
  assert.deepStrictEqual(partial, { values: ['a', 'b'], timestamps: new Float64Array([1, 2]), keyGroups: null });
  assert.throws(() => encoder.encode(['a'], new Float64Array(0), 1), RangeError);
  assert.throws(() => encoder.encode(['a'], null, 2), RangeError);
});

test('an empty batch round-trips', () => {
  assert.deepStrictEqual(roundTrip([]), { values: [], timestamps: null, keyGroups: null });
  assert.deepStrictEqual(roundTrip([], new Float64Array(0)), { values: [], timestamps: new Float64Array(0), keyGroups: null });
});

test('key groups travel with their records, with or without timestamps, for any count', () => {
  const encoder = new BatchEncoder();
  const decoder = new BatchDecoder();
  for (const count of [1, 2, 3, 4, 5, 7, 8, 9, 1024]) {
    const values = Array.from({ length: count }, (_, i) => ({ key: `k${i}`, n: i }));
    const groups = Uint16Array.from({ length: count }, (_, i) => (i * 7919) % 32768);
    const stamps = Float64Array.from({ length: count }, (_, i) => i * 1.5);
    assert.deepStrictEqual(decoder.decode(encoder.encode(values, null, count, groups).slice()), { values, timestamps: null, keyGroups: groups });
    assert.deepStrictEqual(decoder.decode(encoder.encode(values, stamps, count, groups).slice()), { values, timestamps: stamps, keyGroups: groups });
  }
  const partial = decoder.decode(encoder.encode(['a', 'b', 'c'], null, 2, new Uint16Array([4, 5, 6])));
  assert.deepStrictEqual(partial.keyGroups, new Uint16Array([4, 5]));
  assert.throws(() => encoder.encode(['a', 'b'], null, 2, new Uint16Array(1)), /only 1 key groups/);
});

test('class instances arrive as plain objects of their own fields; -0 arrives as 0', () => {
  class Point {
    constructor(
      readonly x: number,
      readonly y: number,
    ) {}
    length(): number {
      return Math.hypot(this.x, this.y);
    }
  }
  const [point, zero] = roundTrip([new Point(3, 4), -0]).values;
  assert.deepStrictEqual(point, { x: 3, y: 4 });
  assert.equal(Object.getPrototypeOf(point), Object.prototype);
  assert.ok(Object.is(zero, 0));
});

function notEncodable(pattern: RegExp): (error: unknown) => boolean {
  return (error) => {
    assert.ok(error instanceof StreamError);
    assert.equal(error.code, 'RECORD_NOT_ENCODABLE');
    assert.equal(error.domain, 'user');
    assert.match(error.message, pattern);
    assert.match(error.message, /Records must be plain data/);
    return true;
  };
}

test('records holding functions, symbols or cycles fail with a message naming the field', () => {
  const encoder = new BatchEncoder();
  const handler = (): void => {};
  assert.throws(() => encoder.encode([1, { a: { onEvent: handler } }], null, 2), notEncodable(/record\.a\.onEvent is a function \(handler\): functions cannot cross threads/));
  assert.throws(() => encoder.encode([() => 1], null, 1), notEncodable(/record is a function/));
  assert.throws(() => encoder.encode([{ list: [1, Symbol('s')] }], null, 1), notEncodable(/record\.list\[1\] is a symbol \(Symbol\(s\)\)/));
  assert.throws(() => encoder.encode([new Map([['k', Symbol.iterator]])], null, 1), notEncodable(/record\.get\(k\) is a symbol/));
  const cyclic: Record<string, unknown> = { name: 'loop' };
  cyclic['self'] = cyclic;
  assert.throws(() => encoder.encode([cyclic], null, 1), notEncodable(/record\.self refers back to an object that contains it/));
  assert.deepStrictEqual(new BatchDecoder().decode(encoder.encode([{ ok: 1 }], null, 1)).values, [{ ok: 1 }], 'the encoder still works');
});

test('malformed batches raise an internal StreamError', () => {
  const internal = (error: unknown): boolean => error instanceof StreamError && error.code === 'INTERNAL';
  assert.throws(() => new BatchDecoder().decode(new Uint8Array(3)), internal);
  const batch = new BatchEncoder().encode([1, 2, 3], null, 3).slice();
  batch[0] = 4;
  assert.throws(() => new BatchDecoder().decode(batch), internal);
});
