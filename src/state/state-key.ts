// Keys as state stores them: each key turned into a value that indexes a JavaScript `Map`
// (equal keys, equal values), and back again for snapshots and timers.

import type { Key } from '../core/key-groups.js';

/** A key as used to index a JavaScript `Map`: equal keys give equal (`SameValueZero`) values. */
export type StateKey = string | number | bigint;

/** Prefix of a state key that encodes a composite key, or escapes a string key starting with it. */
const ESCAPE = '\u0000';
const ESCAPE_CODE = 0;

/**
 * The value to index a `Map` with for `key`: strings, numbers and bigints as they are (a string
 * that starts with U+0000 gets one more U+0000 in front), a composite key as U+0000 followed by
 * its JSON (non-finite numbers tagged). Equal keys give equal values; different keys, different
 * values. {@link keyOfStateKey} inverts it.
 */
export function stateKeyOf(key: Key): StateKey {
  if (typeof key === 'string') return key.charCodeAt(0) === ESCAPE_CODE ? ESCAPE + key : key;
  if (typeof key !== 'object') return key;
  for (let i = 0; i < key.length; i++) {
    const element = key[i];
    if (typeof element === 'number' && !Number.isFinite(element)) return ESCAPE + JSON.stringify(key, tagNonFinite);
  }
  return ESCAPE + JSON.stringify(key);
}

/** The key that {@link stateKeyOf} turned into `stateKey` (with -0 read back as 0). */
export function keyOfStateKey(stateKey: StateKey): Key {
  if (typeof stateKey !== 'string' || stateKey.charCodeAt(0) !== ESCAPE_CODE) return stateKey;
  if (stateKey.charCodeAt(1) === ESCAPE_CODE) return stateKey.slice(1);
  return JSON.parse(stateKey.slice(1), untagNonFinite) as (string | number)[];
}

function tagNonFinite(_: string, value: unknown): unknown {
  return typeof value === 'number' && !Number.isFinite(value) ? { n: String(value) } : value;
}

function untagNonFinite(_: string, value: unknown): unknown {
  return value !== null && typeof value === 'object' && !Array.isArray(value) ? Number((value as { n: string }).n) : value;
}
