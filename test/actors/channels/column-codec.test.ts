// Property tests of the column encoding of batches: whatever the records, a batch through
// BatchEncoder -> BatchDecoder arrives exactly as plain msgpack would make it (and records of one
// flat shape also go as columns), with any shape, mixed shapes, fallbacks, and through a ring.

import assert from 'node:assert/strict';
import { Buffer } from 'node:buffer';
import { test } from 'node:test';
import fc from 'fast-check';
import { Packr, Unpackr } from 'msgpackr';
import { BatchDecoder, BatchEncoder } from '../../../src/actors/channels/batch-codec.js';
import { FrameKind } from '../../../src/actors/channels/frame-kinds.js';
import { RingBuffer } from '../../../src/actors/channels/ring-buffer.js';
import { StreamError } from '../../../src/core/errors.js';
import { isWellFormed } from '../../../src/actors/channels/record-shapes.js';
import { MSGPACK_OPTIONS } from '../../../src/core/msgpack-options.js';

const VALUES_IN_COLUMNS = 4;
const RUNS = { numRuns: 300 };

/** What plain msgpack (the channel's encoding before columns) makes of a batch. */
function throughMsgpack(values: unknown[]): unknown[] {
  const packed = new Packr(MSGPACK_OPTIONS).pack(values);
  const copy = Buffer.allocUnsafeSlow(packed.length);
  copy.set(packed);
  return new Unpackr({ ...MSGPACK_OPTIONS, copyBuffers: true }).unpack(copy) as unknown[];
}

function isColumnEncoded(batch: Uint8Array): boolean {
  return (new DataView(batch.buffer, batch.byteOffset).getUint32(4, true) & VALUES_IN_COLUMNS) !== 0;
}

/** Deep equality that also holds plain objects' key order (deepStrictEqual ignores it). */
function assertSameRecords(actual: unknown[], expected: unknown[]): void {
  assert.deepStrictEqual(actual, expected);
  actual.forEach((record, i) => {
    if (typeof record === 'object' && record !== null && !Array.isArray(record)) {
      assert.deepStrictEqual(Object.keys(record), Object.keys(expected[i] as object), `record ${i} keeps its key order`);
    }
  });
}

/**
 * Encodes and decodes `values` with the given (possibly long-lived) encoder and decoder, checks
 * the result against plain msgpack and against a fresh decoder; returns the batch.
 */
function checkRoundTrip(values: unknown[], encoder = new BatchEncoder(), decoder = new BatchDecoder()): Uint8Array {
  const batch = encoder.encode(values, null, values.length).slice();
  const expected = throughMsgpack(values);
  assertSameRecords(decoder.decode(batch).values, expected);
  assertSameRecords(new BatchDecoder().decode(batch).values, expected);
  return batch;
}

/** Characters of every UTF-16 code unit, lone surrogates included. */
const anyUnit = fc.integer({ min: 0, max: 0xffff }).map((code) => String.fromCharCode(code));
const anyString = fc.oneof(
  fc.string(),
  fc.string({ unit: 'grapheme', maxLength: 40 }),
  fc.string({ unit: anyUnit, maxLength: 20 }),
  fc.string({ minLength: 13, maxLength: 80 }),
);
const wellFormedString = fc.oneof(fc.string(), fc.string({ unit: 'grapheme', maxLength: 40 }), fc.string({ minLength: 13, maxLength: 80 }));

/** Key names: odd, unicode, integer-like (which JS orders first), but no `__proto__`. */
const keyName = fc
  .oneof(
    fc.string({ maxLength: 6 }),
    fc.string({ unit: 'grapheme', maxLength: 4 }),
    fc.string({ unit: anyUnit, maxLength: 3 }),
    fc.constantFrom('1', '01', '0', '-1', '1.5', '4294967295', 'a b', '"', '\\', '\u2028', 'constructor', 'key', 'value'),
  )
  .filter((key) => key !== '__proto__');

/** Values of every type a record may hold, nested. */
const anyValue = fc.anything({
  key: keyName,
  values: [
    fc.double(),
    fc.integer(),
    fc.constantFrom(Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY, -0, 2 ** 60, 0.1),
    anyString,
    fc.boolean(),
    fc.constant(null),
    fc.constant(undefined),
    fc.bigInt(),
    fc.date({ noInvalidDate: true }),
    fc.uint8Array({ maxLength: 8 }).map((bytes) => Buffer.from(bytes)),
    fc.float64Array({ maxLength: 4 }),
  ],
  maxDepth: 2,
  withMap: true,
  withSet: true,
  // Dates come from the values above, all valid: deepStrictEqual holds no two Invalid Dates equal.
  withTypedArray: true,
  withBigInt: true,
});

/** A column's values: flat values of one type (column-encoded) or anything (msgpack). */
function columnValues(count: number): fc.Arbitrary<unknown[]> {
  const ofOne = <T>(value: fc.Arbitrary<T>): fc.Arbitrary<unknown[]> => fc.array(value, { minLength: count, maxLength: count });
  return fc.oneof(
    ofOne(fc.double()),
    ofOne(fc.integer()),
    ofOne(wellFormedString),
    ofOne(anyString),
    ofOne(fc.boolean()),
    ofOne(anyValue),
  );
}

/** A batch of `count` objects of one shape: random keys, each key's column of random kind. */
const objectBatch = fc
  .tuple(fc.uniqueArray(keyName, { maxLength: 8 }), fc.integer({ min: 1, max: 40 }))
  .chain(([keys, count]) =>
    fc.tuple(...keys.map(() => columnValues(count))).map((columns) =>
      Array.from({ length: count }, (_, i) => Object.fromEntries(keys.map((key, j) => [key, columns[j]![i]]))),
    ),
  );

/** A batch of `count` tuples of one length. */
const tupleBatch = fc
  .tuple(fc.integer({ min: 0, max: 6 }), fc.integer({ min: 1, max: 40 }))
  .chain(([length, count]) =>
    fc
      .tuple(...Array.from({ length }, () => columnValues(count)))
      .map((columns) => Array.from({ length: count }, (_, i) => columns.map((column) => column[i]))),
  );

const scalarBatch = fc.integer({ min: 1, max: 40 }).chain((count) => columnValues(count));

test('batches of one shape arrive exactly as msgpack makes them', () => {
  fc.assert(
    fc.property(fc.oneof(objectBatch, tupleBatch, scalarBatch), (values) => {
      checkRoundTrip(values);
    }),
    RUNS,
  );
});

test('records of one flat shape go as columns and arrive equal, key order kept', () => {
  const flatValue = fc.oneof(fc.double(), fc.integer(), wellFormedString, fc.boolean());
  const flatShape = fc
    .uniqueArray(keyName.filter((key) => key !== 'constructor' && isWellFormed(key)), { minLength: 1, maxLength: 8 })
    .chain((keys) =>
      fc.array(fc.tuple(...keys.map(() => flatValue)), { minLength: 1, maxLength: 30 }).map((rows) => {
        // One type per column: the type of the first row's value.
        const types = rows[0]!.map((value) => typeof value);
        return rows
          .filter((row) => row.every((value, j) => typeof value === types[j]))
          .map((row) => Object.fromEntries(keys.map((key, j) => [key, row[j]])));
      }),
    );
  fc.assert(
    fc.property(flatShape, (values) => {
      const batch = checkRoundTrip(values);
      assert.ok(isColumnEncoded(batch), 'column-encoded');
      // -0 arrives as 0, as through msgpack.
      const expected = values.map((record) =>
        Object.fromEntries(Object.entries(record).map(([key, value]) => [key, Object.is(value, -0) ? 0 : value])),
      );
      assertSameRecords(new BatchDecoder().decode(batch).values, expected);
    }),
    RUNS,
  );
});

test('strings, including lone surrogates and long ones, arrive as msgpack makes them', () => {
  fc.assert(
    fc.property(fc.array(anyString, { minLength: 1, maxLength: 50 }), (strings) => {
      checkRoundTrip(strings);
      checkRoundTrip(strings.map((text, i) => ({ text, i })));
      checkRoundTrip(strings.map((text) => [text, text.length]));
    }),
    RUNS,
  );
});

test('batches of mixed shapes, and any records, arrive as msgpack makes them', () => {
  const mixed = fc.tuple(objectBatch, objectBatch, tupleBatch).chain(([a, b, c]) => fc.shuffledSubarray([...a, ...b, ...c]));
  // The same keys in another order per record: other shapes.
  const reordered = fc.uniqueArray(keyName, { minLength: 2, maxLength: 6 }).chain((keys) =>
    fc.array(
      fc.shuffledSubarray(keys, { minLength: keys.length }).map((order) => Object.fromEntries(order.map((key, j) => [key, j]))),
      { minLength: 2, maxLength: 20 },
    ),
  );
  fc.assert(
    fc.property(fc.oneof(mixed, reordered, fc.array(anyValue, { minLength: 1, maxLength: 20 })), (values) => {
      checkRoundTrip(values);
    }),
    RUNS,
  );
});

test('one encoder and decoder across batches of changing shapes: each batch decodes on its own', () => {
  fc.assert(
    fc.property(fc.array(fc.oneof(objectBatch, tupleBatch, scalarBatch), { minLength: 1, maxLength: 8 }), (batches) => {
      const encoder = new BatchEncoder();
      const decoder = new BatchDecoder();
      for (const values of batches) checkRoundTrip(values, encoder, decoder);
    }),
    { numRuns: 100 },
  );
});

test('records a column must not take fall back to msgpack and arrive as it makes them', () => {
  class Point {
    constructor(
      readonly x: number,
      readonly y: number,
    ) {}
  }
  const nullPrototype = Object.assign(Object.create(null) as object, { x: 1, y: 2 });
  const withGetter = { x: 1, get y(): number { return 2; } };
  const withSymbol = { x: 1, y: 2, [Symbol('s')]: 3 };
  const withProtoKey = JSON.parse('{"x": 1, "__proto__": 2}') as object;
  const cases: unknown[][] = [
    [{ x: 1, y: 2 }, { y: 2, x: 1 }],
    [{ x: 1, y: 2 }, { x: 1, y: 2, z: 3 }],
    [{ x: 1, y: 2 }, { x: 1 }],
    [{ x: 1, y: 2 }, { x: 1, z: 2 }],
    [{ x: 1, y: 2 }, new Point(1, 2)],
    [new Point(1, 2), new Point(3, 4)],
    [{ x: 1, y: 2 }, nullPrototype],
    [nullPrototype, nullPrototype],
    [{ x: 1, y: 2 }, withGetter],
    [withSymbol, withSymbol],
    [withProtoKey, withProtoKey],
    [{ constructor: 1, x: 2 }, { constructor: 3, x: 4 }],
    [{ 0: 1, 1: 2 }, [1, 2]],
    [{ 0: 1, 1: 2 }, new Uint8Array([1, 2])],
    [{ x: 1 }, new Map([['x', 1]])],
    [[1, 2], [1, 2, 3]],
    [[1, 2], { 0: 1, 1: 2 }],
    [1, 'a'],
    [1, { x: 1 }],
    [{ x: 1 }, null],
    [{ x: 1, y: 'a' }, { x: 'b', y: 2 }],
    [{ x: new Date(5), y: 1n }, { x: new Date(6), y: 2n }],
    [{}, {}],
    [[], []],
    [Array.from({ length: 300 }, (_, i) => i), Array.from({ length: 300 }, (_, i) => -i)],
    [Object.fromEntries(Array.from({ length: 300 }, (_, i) => [`k${i}`, i]))],
  ];
  const encoder = new BatchEncoder();
  const decoder = new BatchDecoder();
  for (const values of cases) {
    checkRoundTrip(values);
    checkRoundTrip(values, encoder, decoder);
  }
  assert.ok(!isColumnEncoded(new BatchEncoder().encode([new Point(1, 2), new Point(3, 4)], null, 2)), 'class instances go as msgpack');
  assert.ok(!isColumnEncoded(new BatchEncoder().encode([nullPrototype, nullPrototype], null, 2)), 'null prototypes go as msgpack');
  assert.ok(isColumnEncoded(new BatchEncoder().encode([{ x: 1, y: 2 }, { x: 3, y: 4 }], null, 2)), 'plain objects go as columns');
  const wide = [Array.from({ length: 300 }, (_, i) => i)];
  assert.ok(!isColumnEncoded(new BatchEncoder().encode(wide, null, 1)), 'records wider than MAX_COLUMNS go as msgpack');
});

test('an encoder learns each batch anew: a new shape, or flat kinds after msgpack ones, go as columns', () => {
  const encoder = new BatchEncoder();
  const decoder = new BatchDecoder();
  const sequence: [unknown[], boolean][] = [
    [[1, 2, 3], true],
    [[{ a: 1, b: 'x' }, { a: 2, b: 'y' }], true],
    [[{ a: null, b: null }], false],
    [[{ a: 1, b: 'x' }], true],
    [[{ a: 'x', b: 1 }], true],
    [[{ a: 1, b: 'x' }, { a: 'x', b: 1 }], false],
    [[{ a: 1, b: 'x' }, { a: 2, b: 1 }], true],
    [[{ a: {}, b: [] }], false],
    [[['t', 1]], true],
    [[{ a: 1, b: 'x' }], true],
    [[[{}, null]], false],
    [[[1, 'x']], true],
    [['s'], true],
  ];
  for (const [values, asColumns] of sequence) {
    const batch = checkRoundTrip(values, encoder, decoder);
    assert.equal(isColumnEncoded(batch), asColumns, `${JSON.stringify(values)} as columns: ${asColumns}`);
  }
});

test('a function or a symbol in a column fails with the field named, also after column batches', () => {
  const encoder = new BatchEncoder();
  encoder.encode([{ id: 1, onEvent: 2 }], null, 1);
  const notEncodable = (pattern: RegExp) => (error: unknown) =>
    error instanceof StreamError && error.code === 'RECORD_NOT_ENCODABLE' && pattern.test(error.message);
  function handler(): void {}
  assert.throws(() => encoder.encode([{ id: 1, onEvent: 2 }, { id: 2, onEvent: handler }], null, 2), notEncodable(/record\.onEvent is a function \(handler\)/));
  assert.throws(() => encoder.encode([{ id: 1, onEvent: handler }], null, 1), notEncodable(/record\.onEvent is a function/));
  assert.throws(() => encoder.encode([[1, Symbol('s')]], null, 1), notEncodable(/record\[1\] is a symbol/));
  assert.throws(() => encoder.encode([1, Symbol('t')], null, 2), notEncodable(/record is a symbol/));
  assert.deepStrictEqual(new BatchDecoder().decode(encoder.encode([{ id: 1, onEvent: 2 }], null, 1)).values, [{ id: 1, onEvent: 2 }]);
});

test('column batches decoded straight from a ring share no memory with it', () => {
  fc.assert(
    fc.property(fc.oneof(objectBatch, tupleBatch, scalarBatch), (values) => {
      const ring = new RingBuffer(RingBuffer.allocate(1 << 16));
      const timestamps = Float64Array.from(values, (_, i) => 1_700_000_000_000 + i);
      const expected = throughMsgpack(values);
      const batch = new BatchEncoder().encode(values, timestamps, values.length);
      fc.pre(batch.length < 1 << 14);
      assert.ok(ring.tryWrite(FrameKind.DATA, batch));
      const frame = ring.tryRead()!;
      assert.ok(frame.payload.buffer instanceof SharedArrayBuffer);
      const decoded = new BatchDecoder().decode(frame.payload);
      ring.release();
      for (let written = 0; written < 2 * ring.capacity; written += 1008) {
        assert.ok(ring.tryWrite(FrameKind.DATA, new Uint8Array(1000).fill(0xee)));
        ring.tryRead();
        ring.release();
      }
      assertSameRecords(decoded.values, expected);
      assert.deepStrictEqual(decoded.timestamps, timestamps);
    }),
    { numRuns: 100 },
  );
});

test('batches of the benchmark record types go as columns and arrive equal', () => {
  const bids = Array.from({ length: 300 }, (_, i) => ({
    auction: 1000 + (i % 97),
    bidder: 2000 + i,
    price: 100.5 + i,
    channel: ['Google', 'Facebook', 'Baidu', 'Apple'][i % 4]!,
    url: `https://www.nexmark.com/item.htm?query=1&channel_id=${i}`,
    dateTime: 1_700_000_000_000 + i,
    extra: i % 2 === 0 ? '' : 'ünïcödé ✓ 🚀',
  }));
  const tuples = bids.map((bid) => [bid.url, bid.price]);
  for (const values of [bids, tuples, bids.map((bid) => bid.price), bids.map((bid) => bid.extra)]) {
    const batch = checkRoundTrip(values);
    assert.ok(isColumnEncoded(batch));
    assertSameRecords(new BatchDecoder().decode(batch).values, values);
  }
});
