// Tests for key hashing, key-group assignment and key validation: pinned hash values, agreement
// with a byte-wise murmur3 reference, distribution, ranges per subtask, and state-key encoding.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { StreamError } from '../../src/core/errors.js';
import { defaultMaxParallelism, keyGroupFor, keyGroupOf, keyGroupRangeForSubtask, keyHash, operatorIndexForKeyGroup, validateKey, type Key } from '../../src/core/key-groups.js';
import { keyOfStateKey, stateKeyOf } from '../../src/state/state-key.js';

/** Straightforward murmur3_x86_32 over bytes, the definition the fast hash must match. */
function murmur3(bytes: Uint8Array, seed: number): number {
  const mix = (k: number): number => Math.imul(((k = Math.imul(k, 0xcc9e2d51)) << 15) | (k >>> 17), 0x1b873593);
  let h = seed | 0;
  const blocks = bytes.length & ~3;
  for (let i = 0; i < blocks; i += 4) {
    h ^= mix(bytes[i]! | (bytes[i + 1]! << 8) | (bytes[i + 2]! << 16) | (bytes[i + 3]! << 24));
    h = (h << 13) | (h >>> 19);
    h = (Math.imul(h, 5) + 0xe6546b64) | 0;
  }
  let tail = 0;
  for (let j = (bytes.length & 3) - 1; j >= 0; j--) tail = (tail << 8) | bytes[blocks + j]!;
  if ((bytes.length & 3) !== 0) h ^= mix(tail);
  h ^= bytes.length;
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

// The seeds of the canonical form (src/core/key-groups.ts): changing them moves every key.
const STRING_SEED = 0x9e3779b9;
const NUMBER_SEED = 0x85ebca77;
const BIGINT_SEED = 0xc2b2ae3d;
const ARRAY_SEED = 0x27d4eb2f;

function words(values: number[]): Uint8Array {
  const bytes = new Uint8Array(values.length * 4);
  const view = new DataView(bytes.buffer);
  values.forEach((v, i) => view.setUint32(i * 4, v >>> 0, true));
  return bytes;
}

function referenceHash(key: Key): number {
  if (typeof key === 'string') return murmur3(new Uint8Array(Buffer.from(key, 'utf16le')), STRING_SEED);
  if (typeof key === 'number') {
    const bytes = new Uint8Array(8);
    const view = new DataView(bytes.buffer);
    if (Number.isNaN(key)) view.setUint32(4, 0x7ff80000, true);
    else view.setFloat64(0, key === 0 ? 0 : key, true);
    return murmur3(bytes, NUMBER_SEED);
  }
  if (typeof key === 'bigint') {
    const out: number[] = [];
    let rest = key;
    do {
      out.push(Number(BigInt.asUintN(32, rest)));
      rest >>= 32n;
    } while (out.length < 2 || rest !== (out[out.length - 1]! >= 0x80000000 ? -1n : 0n));
    return murmur3(words(out), BIGINT_SEED);
  }
  return murmur3(words(key.map((e) => referenceHash(e))), ARRAY_SEED);
}

test('the reference murmur3 matches published vectors', () => {
  const ascii = (s: string): Uint8Array => new Uint8Array(Buffer.from(s, 'latin1'));
  assert.equal(murmur3(ascii(''), 0), 0);
  assert.equal(murmur3(ascii(''), 1), 0x514e28b7);
  assert.equal(murmur3(ascii(''), 0xffffffff), 0x81f16f39);
  assert.equal(murmur3(ascii('test'), 0), 0xba6bd213);
  assert.equal(murmur3(ascii('Hello, world!'), 0), 0xc0363e43);
  assert.equal(murmur3(ascii('The quick brown fox jumps over the lazy dog'), 0), 0x2e4ff723);
});

const SAMPLE_KEYS: Key[] = [
  '', 'a', 'ab', 'abc', 'abcd', 'hello world', 'ünïcödé', '日本語', '\u{1f600}', 'x'.repeat(1001), '\ud800',
  0, 1, -1, 42, 0.5, -123.456, 2 ** 31, 2 ** 53, Number.MAX_VALUE, Number.MIN_VALUE, Infinity, -Infinity, NaN,
  0n, 1n, -1n, 42n, 2n ** 31n, 2n ** 32n, -(2n ** 32n), 2n ** 63n - 1n, -(2n ** 63n), 2n ** 63n, -(2n ** 63n) - 1n,
  2n ** 64n, -(2n ** 64n), 3n ** 100n, -(7n ** 90n),
  ['a'], [1], ['a', 1], [1, 'a'], ['user', 'eu', 7, -0.25],
];

test('keyHash is murmur3 of the canonical bytes of every kind of key', () => {
  for (const key of SAMPLE_KEYS) assert.equal(keyHash(key), referenceHash(key), `key ${String(key)}`);
});

const PINNED_KEYS: Key[] = ['', 'a', 'hello world', 0, 1, -1, 0.5, NaN, 0n, 1n, -1n, 2n ** 64n, ['a', 1], [1, 'a']];
const PINNED_HASHES = [
  0x92ca2f0e, 0xc955b7d5, 0xc8937d91, 0xddc749d2, 0x34aadc6f, 0x16b02a87, 0x937b4f75, 0x7d02518e, 0x8ab4bb7d,
  0x72820076, 0x53566bff, 0xb5cd887b, 0x87e077a5, 0xac63ebdb,
];

test('keyHash values are pinned, so that a change of the hash (which moves state) is noticed', () => {
  assert.deepEqual(PINNED_KEYS.map(keyHash), PINNED_HASHES);
});

test('1, "1", 1n, [1] and ["1"] hash differently; -0 is 0; every NaN is one key; array order matters', () => {
  const hashes = new Set([1, '1', 1n, [1], ['1']].map((k) => keyHash(k as Key)));
  assert.equal(hashes.size, 5);
  assert.equal(keyHash(-0), keyHash(0));
  assert.equal(keyHash([-0, 'a']), keyHash([0, 'a']));
  const otherNaN = new Float64Array(new Uint32Array([1, 0x7ff00000]).buffer)[0]!;
  assert.ok(Number.isNaN(otherNaN));
  assert.equal(keyHash(otherNaN), keyHash(NaN));
  assert.notEqual(keyHash(['a', 1]), keyHash([1, 'a']));
  assert.notEqual(keyHash(['a', 'b']), keyHash(['ab']));
  assert.notEqual(keyHash(2n ** 64n), keyHash(0n));
});

test('10^5 string keys and 10^5 number keys spread over 128 key groups within 30 % of the mean', () => {
  for (const makeKey of [(i: number): Key => `user-${i}`, (i: number): Key => i]) {
    const counts = new Array<number>(128).fill(0);
    for (let i = 0; i < 100_000; i++) counts[keyGroupFor(makeKey(i), 128)]!++;
    const mean = 100_000 / 128;
    for (const count of counts) assert.ok(Math.abs(count - mean) <= 0.3 * mean, `group count ${count}, mean ${mean}`);
  }
});

test('keyGroupFor and keyGroupOf agree and stay in [0, maxParallelism)', () => {
  for (const maxParallelism of [1, 7, 128, 32768]) {
    for (const key of SAMPLE_KEYS) {
      const group = keyGroupFor(key, maxParallelism);
      assert.ok(Number.isInteger(group) && group >= 0 && group < maxParallelism);
      assert.equal(keyGroupOf(key, maxParallelism, 'op'), group);
      assert.equal(group, (keyHash(key) & 0x7fffffff) % maxParallelism);
    }
  }
});

test('defaultMaxParallelism follows Flink', () => {
  const cases: [number, number][] = [[1, 128], [2, 128], [85, 128], [86, 256], [171, 256], [172, 512], [1000, 2048], [21845, 32768], [1e6, 32768], [2 ** 40, 32768]];
  for (const [parallelism, expected] of cases) assert.equal(defaultMaxParallelism(parallelism), expected, `p=${parallelism}`);
});

test('key-group ranges are contiguous, cover every group, and agree with operatorIndexForKeyGroup', () => {
  const checked: [number, number[]][] = [
    [1, [1]], [2, [1, 2]], [3, [1, 2, 3]], [7, range(1, 7)], [128, range(1, 128)], [129, range(1, 129)],
    [1000, range(1, 1000)], [32768, [1, 2, 3, 5, 7, 100, 1000, 4096, 32767, 32768]],
  ];
  for (const [maxParallelism, parallelisms] of checked) {
    for (const parallelism of parallelisms) {
      let next = 0;
      for (let subtask = 0; subtask < parallelism; subtask++) {
        const { start, end } = keyGroupRangeForSubtask(maxParallelism, parallelism, subtask);
        assert.equal(start, next, `maxP=${maxParallelism} p=${parallelism} subtask=${subtask}`);
        assert.ok(end >= start, 'every subtask owns at least one key group when p <= maxP');
        for (let group = start; group <= end; group++) {
          assert.equal(operatorIndexForKeyGroup(maxParallelism, parallelism, group), subtask);
        }
        next = end + 1;
      }
      assert.equal(next, maxParallelism);
    }
  }
  assert.throws(() => keyGroupRangeForSubtask(128, 129, 0), { code: 'INVALID_ARGUMENT' });
  assert.throws(() => keyGroupRangeForSubtask(128, 4, 4), { code: 'INVALID_ARGUMENT' });
});

function range(from: number, to: number): number[] {
  return Array.from({ length: to - from + 1 }, (_, i) => from + i);
}

test('validateKey accepts keys and returns them unchanged', () => {
  for (const key of SAMPLE_KEYS) assert.equal(validateKey(key, 'op'), key);
});

test('invalid keys are rejected with INVALID_KEY and a sentence saying what was returned', () => {
  class Order {
    id = 1;
  }
  const cases: [unknown, string][] = [
    [undefined, 'returned undefined (is the field missing from the record?)'],
    [null, 'returned null'],
    [{ a: 1 }, 'returned an object ({"a":1})'],
    [new Order(), 'returned an object of class Order ({"id":1})'],
    [true, 'returned a boolean (true)'],
    [new Date(0), 'returned a Date ("1970-01-01T00:00:00.000Z"; use date.getTime() for a number)'],
    [[], 'returned an empty array'],
    [[1, [2]], 'returned an array whose element 1 is an array ([2])'],
    [['a', 5n], 'returned an array whose element 1 is a bigint (5n)'],
    [['a', null], 'returned an array whose element 1 is null'],
    [Symbol('s'), 'returned a symbol (Symbol(s))'],
    [() => 1, 'returned a function'],
    [{ big: 1n, text: 'x'.repeat(100) }, `returned an object ({"big":"1n","text":"${'x'.repeat(37)}...)`],
  ];
  for (const [key, says] of cases) {
    for (const attempt of [() => validateKey(key, 'totals'), () => keyGroupOf(key, 128, 'totals')]) {
      assert.throws(attempt, (error: unknown) => {
        assert.ok(error instanceof StreamError);
        assert.equal(error.code, 'INVALID_KEY');
        assert.equal(error.domain, 'user');
        assert.ok(error.message.startsWith(`keyBy(...) in "totals" ${says}; a key must be`), error.message);
        assert.ok(error.message.endsWith('return one field (r => r.id) or a tuple (r => [r.a, r.b])'));
        return true;
      });
    }
  }
});

test('stateKeyOf gives equal composite keys one Map key and never collides across kinds', () => {
  assert.equal(stateKeyOf(['a', 1]), stateKeyOf(['a', 1]));
  assert.equal(stateKeyOf([-0, 'x']), stateKeyOf([0, 'x']));
  const keys: Key[] = [
    'a', 1, 1n, '1', [1], ['1'], ['a', 1], [1, 'a'], '\u0000', '\u0000\u0000', '\u0000[1]', '[1]', [NaN], ['NaN'],
    [Infinity], [-Infinity], ['Infinity'], [0], ['\u0000'], '',
  ];
  const stateKeys = new Set(keys.map(stateKeyOf));
  assert.equal(stateKeys.size, keys.length);
  for (const key of keys) assert.deepEqual(keyOfStateKey(stateKeyOf(key)), key);
  assert.equal(stateKeyOf('plain'), 'plain');
  assert.equal(stateKeyOf(7), 7);
  assert.equal(stateKeyOf(7n), 7n);
});
