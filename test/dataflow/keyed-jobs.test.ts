// Dataflow tests at parallelism 1, 2 and 4: each job's output equals a plain sequential computation.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Reading } from '../fixtures/keyed-reduce.js';
import { collectFixture, PARALLELISMS } from '../harness/run-fixture.js';

/** Groups values by key, keeping their order. */
function byKey<T>(records: readonly T[], key: (r: T) => string | number): Map<string | number, T[]> {
  const groups = new Map<string | number, T[]>();
  for (const r of records) {
    const k = key(r);
    let list = groups.get(k);
    if (list === undefined) groups.set(k, (list = []));
    list.push(r);
  }
  return groups;
}

for (const p of PARALLELISMS) {
  describe(`keyed jobs at parallelism ${p}`, () => {
    it('a rolling reduce emits, per key, exactly the sequential running sums', async () => {
      const count = 20_000;
      const keys = 37;
      const out = await collectFixture<Reading>('keyed-reduce', p, { count, keys });
      const expected = new Map<string, number[]>();
      const sums = new Map<string, number>();
      for (let i = 0; i < count; i++) {
        const k = `k${i % keys}`;
        const s = (sums.get(k) ?? 0) + i;
        sums.set(k, s);
        (expected.get(k) ?? expected.set(k, []).get(k)!).push(s);
      }
      assert.equal(out.length, count);
      const actual = byKey(out, (r) => r.key);
      assert.equal(actual.size, keys);
      for (const [k, runs] of expected) assert.deepEqual(actual.get(k)!.map((r) => r.value), runs, `key ${k}`);
    });

    it('a parallel source -> keyBy -> sum ends with the sequential total per key', async () => {
      const count = 100_000;
      const keys = 100;
      const out = await collectFixture<{ key: number; value: number }>('parallel-keyed-sum', p, { count, keys });
      assert.equal(out.length, count);
      const totals = new Map<number, number>();
      for (let i = 0; i < count; i++) totals.set(i % keys, (totals.get(i % keys) ?? 0) + i);
      for (const [k, records] of byKey(out, (r) => r.key)) {
        const values = records.map((r) => r.value);
        assert.equal(Math.max(...values), totals.get(k as number), `final sum of key ${k}`);
        assert.equal(values.length, count / keys, `updates of key ${k}`);
        // Sums of non-negative values only grow: every update follows the previous one.
        assert.deepEqual(values, [...values].sort((a, b) => a - b));
      }
    });

    it('a flatMap + union word count gives the counts of a plain loop', async () => {
      const left = ['the quick brown fox', 'jumps over the lazy dog', 'The End'];
      const right = ['a fox, a dog and THE cat', 'the the the'];
      const out = await collectFixture<[string, number]>('word-count', p, { left, right });
      const expected = new Map<string, number>();
      for (const line of [...left, ...right]) {
        for (const w of line.toLowerCase().split(/\W+/)) if (w !== '') expected.set(w, (expected.get(w) ?? 0) + 1);
      }
      const finals = new Map<string, number>();
      for (const [word, n] of out) finals.set(word, Math.max(finals.get(word) ?? 0, n));
      assert.deepEqual(new Map([...finals].sort()), new Map([...expected].sort()));
      assert.equal(out.length, [...expected.values()].reduce((a, b) => a + b, 0));
    });
  });
}
