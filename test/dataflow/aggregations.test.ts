// KeyedStream.sum/min/max follow Flink's aggregators: the running aggregate of a field, with the
// other fields of the key's first record; at parallelism 1, 2 and 4.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Trade } from '../fixtures/aggregations.js';
import { collectFixture, PARALLELISMS } from '../harness/run-fixture.js';

const trades: Trade[] = [
  { symbol: 'A', price: 10, seq: 1 },
  { symbol: 'B', price: 5, seq: 2 },
  { symbol: 'A', price: 7, seq: 3 },
  { symbol: 'A', price: 12, seq: 4 },
  { symbol: 'B', price: 9, seq: 5 },
  { symbol: 'B', price: 1, seq: 6 },
];

function ofSymbol(out: Trade[], symbol: string): [number, number][] {
  return out.filter((t) => t.symbol === symbol).map((t) => [t.price, t.seq]);
}

for (const p of PARALLELISMS) {
  describe(`rolling aggregations at parallelism ${p}`, () => {
    it('sum keeps the first record and sums the field', async () => {
      const out = await collectFixture<Trade>('aggregations', p, { trades, aggregation: 'sum' });
      assert.deepEqual(ofSymbol(out, 'A'), [[10, 1], [17, 1], [29, 1]]);
      assert.deepEqual(ofSymbol(out, 'B'), [[5, 2], [14, 2], [15, 2]]);
    });

    it('min replaces the field with the running minimum, other fields from the first record', async () => {
      const out = await collectFixture<Trade>('aggregations', p, { trades, aggregation: 'min' });
      assert.deepEqual(ofSymbol(out, 'A'), [[10, 1], [7, 1], [7, 1]]);
      assert.deepEqual(ofSymbol(out, 'B'), [[5, 2], [5, 2], [1, 2]]);
    });

    it('max replaces the field with the running maximum', async () => {
      const out = await collectFixture<Trade>('aggregations', p, { trades, aggregation: 'max' });
      assert.deepEqual(ofSymbol(out, 'A'), [[10, 1], [10, 1], [12, 1]]);
      assert.deepEqual(ofSymbol(out, 'B'), [[5, 2], [9, 2], [9, 2]]);
    });
  });
}

describe('aggregation errors', () => {
  it('sum of a field that is not a number fails with the field and a fix', async () => {
    const bad = [{ symbol: 'A', price: 'ten', seq: 1 }] as unknown as Trade[];
    await assert.rejects(collectFixture('aggregations', 2, { trades: bad, aggregation: 'sum' }), /sum\("price"\): field "price" of the record is string, not a number/);
  });
});
