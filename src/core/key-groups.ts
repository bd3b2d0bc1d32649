// Keys and key groups: validating what a key selector returns, hashing a key to one of
// `maxParallelism` key groups, and the contiguous key-group range each subtask owns (Flink's
// KeyGroupRangeAssignment).
//
// Canonical form of a key, hashed with murmur3_x86_32 (seed per type, so 1, '1', 1n and [1] differ):
//   string  seed STRING_SEED, bytes = its UTF-16 code units, little-endian (2 bytes each)
//   number  seed NUMBER_SEED, bytes = its IEEE 754 float64 bits, little-endian; -0 is hashed as 0
//           and every NaN as the canonical quiet NaN 0x7ff8000000000000
//   bigint  seed BIGINT_SEED, bytes = its two's complement as little-endian 32-bit words, the
//           fewest that hold it but at least two (so every 64-bit value is 8 bytes)
//   array   seed ARRAY_SEED, bytes = the hashes of its elements (strings and numbers, hashed as
//           above) as little-endian 32-bit words, in order
// The hashes are computed on the values directly: nothing is allocated except for bigints wider
// than 64 bits.

import { StreamError } from './errors.js';

/** What a key selector may return: a scalar, or a tuple of strings and numbers (composite key). */
export type Key = string | number | bigint | (string | number)[];

const STRING_SEED = 0x9e3779b9;
const NUMBER_SEED = 0x85ebca77;
const BIGINT_SEED = 0xc2b2ae3d;
const ARRAY_SEED = 0x27d4eb2f;

const C1 = 0xcc9e2d51;
const C2 = 0x1b873593;

/** Scratch space to read the bits of a float64 or a 64-bit bigint without allocating. */
const scratch = new ArrayBuffer(8);
const scratchFloat = new Float64Array(scratch);
const scratchBigint = new BigInt64Array(scratch);
const scratchWords = new Uint32Array(scratch);
const LITTLE_ENDIAN = new Uint8Array(new Uint32Array([1]).buffer)[0] === 1;
const LOW_WORD = LITTLE_ENDIAN ? 0 : 1;
const HIGH_WORD = 1 - LOW_WORD;
const CANONICAL_NAN_HIGH = 0x7ff80000;
const INT64_MIN = -(2n ** 63n);
const INT64_MAX = 2n ** 63n - 1n;

function mixK(k: number): number {
  k = Math.imul(k, C1);
  k = (k << 15) | (k >>> 17);
  return Math.imul(k, C2);
}

function mixH(h: number, k: number): number {
  h ^= mixK(k);
  h = (h << 13) | (h >>> 19);
  return (Math.imul(h, 5) + 0xe6546b64) | 0;
}

/** murmur3's finalizer over `length` bytes; the result is an unsigned 32-bit integer. */
function fmix32(h: number, length: number): number {
  h ^= length;
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

function hashString(s: string): number {
  const n = s.length;
  const pairs = n & ~1;
  let h = STRING_SEED;
  for (let i = 0; i < pairs; i += 2) h = mixH(h, s.charCodeAt(i) | (s.charCodeAt(i + 1) << 16));
  if ((n & 1) === 1) h ^= mixK(s.charCodeAt(n - 1));
  return fmix32(h, n * 2);
}

function hashNumber(x: number): number {
  let low: number;
  let high: number;
  if (x !== x) {
    low = 0;
    high = CANONICAL_NAN_HIGH;
  } else {
    scratchFloat[0] = x === 0 ? 0 : x;
    low = scratchWords[LOW_WORD]!;
    high = scratchWords[HIGH_WORD]!;
  }
  return fmix32(mixH(mixH(NUMBER_SEED, low), high), 8);
}

function hashBigint(x: bigint): number {
  if (x >= INT64_MIN && x <= INT64_MAX) {
    scratchBigint[0] = x;
    return fmix32(mixH(mixH(BIGINT_SEED, scratchWords[LOW_WORD]!), scratchWords[HIGH_WORD]!), 8);
  }
  let h = BIGINT_SEED;
  let words = 0;
  let rest = x;
  for (;;) {
    const word = Number(BigInt.asUintN(32, rest));
    h = mixH(h, word);
    words++;
    rest >>= 32n;
    const negative = word >= 0x80000000;
    if (words >= 2 && rest === (negative ? -1n : 0n)) break;
  }
  return fmix32(h, words * 4);
}

function hashArray(key: unknown[], where: string): number {
  const n = key.length;
  if (n === 0) throw invalidKey(key, where);
  let h = ARRAY_SEED;
  for (let i = 0; i < n; i++) {
    const element = key[i];
    let elementHash: number;
    if (typeof element === 'string') elementHash = hashString(element);
    else if (typeof element === 'number') elementHash = hashNumber(element);
    else throw invalidKey(key, where);
    h = mixH(h, elementHash);
  }
  return fmix32(h, n * 4);
}

function hashOf(key: unknown, where: string): number {
  if (typeof key === 'string') return hashString(key);
  if (typeof key === 'number') return hashNumber(key);
  if (typeof key === 'bigint') return hashBigint(key);
  if (Array.isArray(key)) return hashArray(key, where);
  throw invalidKey(key, where);
}

/**
 * The murmur3 hash of a key's canonical form (see the top of this file), an unsigned 32-bit
 * integer. Stable across runs, threads and platforms: it decides where state lives in a checkpoint.
 */
export function keyHash(key: Key): number {
  return hashOf(key, 'keyHash');
}

/**
 * The key group (in `[0, maxParallelism)`) that a valid key belongs to: the low 31 bits of its
 * hash (non-negative, as Flink's murmur hash is; it keeps the modulo in small-integer arithmetic)
 * modulo `maxParallelism`.
 */
export function keyGroupFor(key: Key, maxParallelism: number): number {
  return (hashOf(key, 'keyGroupFor') & 0x7fffffff) % maxParallelism;
}

/**
 * Validates what a key selector returned and computes its key group ({@link keyGroupFor}) in the
 * same pass: the per-record entry point of keyBy routing. Throws `INVALID_KEY` (see {@link validateKey}) naming
 * `where` (the operator) when the value is not a {@link Key}.
 */
export function keyGroupOf(key: unknown, maxParallelism: number, where: string): number {
  return (hashOf(key, where) & 0x7fffffff) % maxParallelism;
}

/**
 * Checks that a key selector returned a {@link Key}: a string, number or bigint, or a non-empty
 * array of strings and numbers. Anything else (undefined, null, booleans, objects, Dates, empty or
 * nested arrays, arrays holding bigints) throws a `StreamError('INVALID_KEY')` that says what was
 * returned and how to fix the selector; `where` names the operator.
 */
export function validateKey(key: unknown, where: string): Key {
  if (typeof key === 'string' || typeof key === 'number' || typeof key === 'bigint') return key;
  if (Array.isArray(key) && key.length > 0) {
    for (let i = 0; i < key.length; i++) {
      const element: unknown = key[i];
      if (typeof element !== 'string' && typeof element !== 'number') throw invalidKey(key, where);
    }
    return key as (string | number)[];
  }
  throw invalidKey(key, where);
}

function invalidKey(key: unknown, where: string): StreamError {
  return new StreamError(
    'INVALID_KEY',
    `keyBy(...) in "${where}" returned ${describeKey(key)}; a key must be a string, number, bigint ` +
      'or an array of strings and numbers: return one field (r => r.id) or a tuple (r => [r.a, r.b])',
    { domain: 'user' },
  );
}

function describeKey(value: unknown): string {
  if (value === undefined) return 'undefined (is the field missing from the record?)';
  if (value === null) return 'null';
  if (Array.isArray(value)) {
    if (value.length === 0) return 'an empty array';
    const bad = value.findIndex((e) => typeof e !== 'string' && typeof e !== 'number');
    const element: unknown = value[bad];
    return `an array whose element ${bad} is ${Array.isArray(element) ? `an array (${preview(element)})` : describeKey(element)}`;
  }
  if (value instanceof Date) return `a Date (${preview(value)}; use date.getTime() for a number)`;
  switch (typeof value) {
    case 'bigint':
      return `a bigint (${value}n)`;
    case 'boolean':
      return `a boolean (${value})`;
    case 'symbol':
      return `a symbol (${String(value)})`;
    case 'function':
      return 'a function';
    default: {
      const name = (value as { constructor?: { name?: unknown } }).constructor?.name;
      const kind = typeof name === 'string' && name !== 'Object' ? `an object of class ${name}` : 'an object';
      return `${kind} (${preview(value)})`;
    }
  }
}

/** A key as it appears in messages: `"a"`, `42`, `7n`, `["a",1]`. */
export function formatKey(key: Key): string {
  return preview(key);
}

function preview(value: unknown): string {
  let text: string;
  try {
    text = JSON.stringify(value, (_, v: unknown) => (typeof v === 'bigint' ? `${v}n` : v)) ?? String(value);
  } catch {
    text = String(value);
  }
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}

/**
 * Flink's default number of key groups for a parallelism: `p + p/2` (integer division) rounded
 * up to a power of two, at least 128 and at most 32768.
 */
export function defaultMaxParallelism(parallelism: number): number {
  const wanted = parallelism + Math.floor(parallelism / 2);
  let power = 1;
  while (power < wanted && power < 32768) power *= 2;
  return Math.min(Math.max(power, 128), 32768);
}

/** The subtask (of `parallelism`) that owns `keyGroup`: `floor(keyGroup * parallelism / maxParallelism)`. */
export function operatorIndexForKeyGroup(maxParallelism: number, parallelism: number, keyGroup: number): number {
  return Math.floor((keyGroup * parallelism) / maxParallelism);
}

/**
 * The contiguous key groups `[start, end]` (inclusive) owned by `subtask`, consistent with
 * {@link operatorIndexForKeyGroup}; the ranges of all subtasks cover `[0, maxParallelism)`.
 */
export function keyGroupRangeForSubtask(
  maxParallelism: number,
  parallelism: number,
  subtask: number,
): { start: number; end: number } {
  if (!(parallelism >= 1 && parallelism <= maxParallelism && subtask >= 0 && subtask < parallelism)) {
    throw new StreamError(
      'INVALID_ARGUMENT',
      `Subtask ${subtask} of parallelism ${parallelism} cannot own key groups of maxParallelism ${maxParallelism}: ` +
        'parallelism must be between 1 and maxParallelism and the subtask below the parallelism',
      { domain: 'user' },
    );
  }
  return {
    start: Math.ceil((subtask * maxParallelism) / parallelism),
    end: Math.ceil(((subtask + 1) * maxParallelism) / parallelism) - 1,
  };
}
