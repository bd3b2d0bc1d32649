// Two-input operators at parallelism 1, 2 and 4 against plain computations: connect + map, a
// keyed co-process function whose inputs share state and timers, and the interval join against a
// nested loop.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { timedRecords, type Timed } from '../fixtures/two-inputs.js';
import { collectFixture, PARALLELISMS } from '../harness/run-fixture.js';

const left = timedRecords(400, 9, 10, 0);
const right = timedRecords(300, 9, 13, 5);

for (const p of PARALLELISMS) {
  describe(`two inputs at parallelism ${p}`, () => {
    it('connect + map sees every record of both inputs once', async () => {
      const out = await collectFixture<string>('two-inputs', p, { case: 'co-map', left, right });
      const expected = [...left.map((l) => `L${l.id}`), ...right.map((r) => `R${r.id}`)];
      assert.deepEqual(out.sort(), expected.sort());
    });

    it('a keyed co-process function shares state and timers across both inputs', async () => {
      const out = await collectFixture<string>('two-inputs', p, { case: 'keyed-co-process', left, right });
      const counts = new Map<string, [number, number]>();
      for (const l of left) counts.set(l.key, [(counts.get(l.key)?.[0] ?? 0) + 1, counts.get(l.key)?.[1] ?? 0]);
      for (const r of right) counts.set(r.key, [counts.get(r.key)?.[0] ?? 0, (counts.get(r.key)?.[1] ?? 0) + 1]);
      assert.deepEqual(out.sort(), [...counts].map(([k, [a, b]]) => `${k}:${a}:${b}`).sort());
    });

    for (const [lower, upper] of [[-20, 20], [0, 35], [-50, -10]] as const) {
      it(`an interval join between(${lower}, ${upper}) gives the nested-loop pairs`, async () => {
        const out = await collectFixture<[number, number]>('two-inputs', p, { case: 'interval-join', left, right, lower, upper });
        const expected: [number, number][] = [];
        for (const l of left as Timed[]) {
          for (const r of right as Timed[]) {
            if (l.key === r.key && r.ts >= l.ts + lower && r.ts <= l.ts + upper) expected.push([l.id, r.id]);
          }
        }
        const order = (a: [number, number], b: [number, number]) => a[0] - b[0] || a[1] - b[1];
        assert.ok(expected.length > 50, 'the case joins something');
        assert.deepEqual(out.sort(order), expected.sort(order));
      });
    }
  });
}
