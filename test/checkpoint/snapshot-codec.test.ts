// The snapshot codec: what a checkpoint stores comes back exactly (bigints, Maps, Sets, dates,
// typed arrays), functions are refused with a sentence, and the copy a snapshot in progress keeps
// of a key is independent of the original and encodes to the same bytes.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { copyForSnapshot, decodeSnapshot, encodeSnapshot } from '../../src/checkpoint/snapshot-codec.js';

class Reading {
  constructor(
    readonly device: string,
    readonly temp: number,
  ) {}
}

const value = () => ({
  count: 3,
  name: 'sensor-1',
  big: 2n ** 70n,
  nothing: null,
  seen: [1, [2, 3], { deep: true }],
  byWindow: new Map<unknown, unknown>([[1000, { sum: 1.5 }], ['w', [1]]]),
  tags: new Set(['a', 'b']),
  at: new Date(1767225600000),
  samples: new Float64Array([1.5, 2.5]),
  reading: new Reading('sensor-2', 21.5),
});

test('a snapshot decodes to what was encoded, extra types included', () => {
  const original = value();
  const decoded = decodeSnapshot(encodeSnapshot(original)) as ReturnType<typeof value>;
  assert.deepEqual({ ...decoded, reading: { ...decoded.reading } }, { ...original, reading: { device: 'sensor-2', temp: 21.5 } });
  assert.equal(decoded.big, 2n ** 70n);
  assert.ok(decoded.byWindow instanceof Map && decoded.tags instanceof Set && decoded.at instanceof Date && decoded.samples instanceof Float64Array);
});

test('a function in state is refused with what state may hold', () => {
  assert.throws(() => encodeSnapshot({ fn: () => 1 }), /checkpoint could not store the operators' state.*plain data/s);
});

test('a copy for a snapshot is independent of the original and encodes to the same bytes', () => {
  const original = value();
  const before = encodeSnapshot(original);
  const copy = copyForSnapshot(original) as ReturnType<typeof value>;
  assert.deepEqual(encodeSnapshot(copy), before);
  (original.seen[1] as number[]).push(4);
  (original.seen[2] as { deep: boolean }).deep = false;
  (original.byWindow.get(1000) as { sum: number }).sum = 99;
  original.tags.add('c');
  original.samples[0] = 0;
  original.count = 4;
  assert.deepEqual(encodeSnapshot(copy), before, 'changes to the original, in place too, do not reach the copy');
  assert.equal(copyForSnapshot(7), 7);
  assert.equal(copyForSnapshot('s'), 's');
  assert.equal(copyForSnapshot(null), null);
});
