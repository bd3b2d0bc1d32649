// The rolling aggregations' reduce functions: each update is a copy of the key's first record with
// the field replaced, whatever the record's shape, as a spread and a set would make it; in place
// (object reuse), the first record itself, with the same results.

import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { aggregationFirst, aggregationReducer } from '../../src/operators/keyed-aggregations.js';
import { fieldReplacingCopy } from '../../src/operators/field-replacing-copy.js';

function spreadCopy(record: object, field: string, value: unknown): Record<string, unknown> {
  return { ...record, [field]: value };
}

describe('fieldReplacingCopy', () => {
  it('copies a plain object with the field replaced, keeping the key order and leaving the original alone', () => {
    const copy = fieldReplacingCopy('value');
    const record = { key: 'a', value: 1, note: 'x' };
    const out = copy(record, 5);
    assert.deepEqual(out, { key: 'a', value: 5, note: 'x' });
    assert.deepEqual(Object.keys(out), ['key', 'value', 'note']);
    assert.notEqual(out, record);
    assert.equal(record.value, 1);
  });

  it('gives what a spread gives for every shape, in any mix', () => {
    class Reading {
      constructor(
        public key: string,
        public value: number,
      ) {}
    }
    const nullPrototype = Object.assign(Object.create(null) as object, { key: 'n', value: 2 });
    const withGetter = {
      key: 'g',
      get value(): number {
        return 3;
      },
    };
    const records: object[] = [
      { key: 'a', value: 1 },
      { value: 1, key: 'b' },
      { key: 'c', value: 1, extra: true },
      { 2: 'two', key: 'd', value: 1, 1: 'one' },
      new Reading('e', 1),
      nullPrototype,
      withGetter,
      { key: 'f', value: 1 },
      ...Array.from({ length: 12 }, (_, i) => ({ [`k${i}`]: i, value: i })),
      { key: 'h', value: 1 },
    ];
    const copy = fieldReplacingCopy('value');
    for (const record of records) {
      const out = copy(record, 9);
      const expected = spreadCopy(record, 'value', 9);
      assert.deepEqual(out, expected);
      assert.deepEqual(Reflect.ownKeys(out), Reflect.ownKeys(expected));
      assert.equal(Object.getPrototypeOf(out), Object.prototype);
    }
  });

  it('copies the string-keyed fields of a plain object, not its symbol keys, as a record that crossed threads has them', () => {
    const copy = fieldReplacingCopy('value');
    for (let i = 0; i < 2; i++) {
      const out = copy({ key: 's', value: 4, [Symbol.for('tag')]: 'dropped' }, 9);
      assert.deepEqual(Reflect.ownKeys(out), ['key', 'value']);
    }
  });

  it('adds the field to a record that lacks it, as a spread would', () => {
    const out = fieldReplacingCopy('value')({ key: 'a' }, 1);
    assert.deepEqual(Object.entries(out), [
      ['key', 'a'],
      ['value', 1],
    ]);
  });
});

describe('aggregationReducer', () => {
  it('sums a field into a copy of the first record', () => {
    const sum = aggregationReducer<{ key: string; value: number; first: number }>('sum', 'value');
    let acc = { key: 'a', value: 1, first: 1 };
    const first = acc;
    for (const [value, index] of [
      [2, 2],
      [3, 3],
    ] as const) {
      acc = sum(acc, { key: 'a', value, first: index });
    }
    assert.deepEqual(acc, { key: 'a', value: 6, first: 1 });
    assert.deepEqual(first, { key: 'a', value: 1, first: 1 });
  });

  it('min and max keep the first record\'s other fields and return the accumulator itself when it does not change', () => {
    const min = aggregationReducer<{ id: number; value: number }>('min', 'value');
    const max = aggregationReducer<{ id: number; value: number }>('max', 'value');
    const acc = { id: 1, value: 5 };
    assert.deepEqual(min(acc, { id: 2, value: 3 }), { id: 1, value: 3 });
    assert.equal(min(acc, { id: 3, value: 7 }), acc);
    assert.deepEqual(max(acc, { id: 4, value: 7 }), { id: 1, value: 7 });
    assert.equal(max(acc, { id: 5, value: 1 }), acc);
  });

  it('sums array records by index and bare numbers', () => {
    assert.deepEqual(aggregationReducer<[string, number]>('sum', 1)(['a', 1], ['a', 2]), ['a', 3]);
    assert.equal(aggregationReducer<number>('sum', undefined)(1, 2), 3);
  });

  it('in place, updates the first record itself, with the results of the copying reducer', () => {
    type Trade = { id: number; value: number; tag: string };
    const inputs: Trade[] = [3, 1, 4, 1, 5, 9, 2, 6].map((value, id) => ({ id, value, tag: `t${id}` }));
    for (const aggregation of ['sum', 'min', 'max'] as const) {
      const copying = aggregationReducer<Trade>(aggregation, 'value');
      const inPlace = aggregationReducer<Trade>(aggregation, 'value', true);
      let copied: Trade = { ...inputs[0]! };
      const first: Trade = { ...inputs[0]! };
      let updated = first;
      for (const next of inputs.slice(1)) {
        copied = copying(copied, next);
        updated = inPlace(updated, next);
        assert.equal(updated, first, `${aggregation} returns the first record itself`);
        assert.deepEqual(updated, copied, aggregation);
      }
    }
  });

  it('in place, starts each key from a copy of its first record and never changes a record it was given', () => {
    const first = aggregationFirst<{ id: number; value: number }>('sum', 'value', true);
    const sum = aggregationReducer<{ id: number; value: number }>('sum', 'value', true);
    const given = [{ id: 1, value: 2 }, { id: 2, value: 3 }, { id: 3, value: 4 }];
    const acc = first(given[0]!);
    assert.notEqual(acc, given[0]);
    assert.equal(sum(sum(acc, given[1]!), given[2]!), acc);
    assert.deepEqual(acc, { id: 1, value: 9 });
    assert.deepEqual(given, [{ id: 1, value: 2 }, { id: 2, value: 3 }, { id: 3, value: 4 }]);
    const pair: [string, number] = ['a', 1];
    assert.notEqual(aggregationFirst<[string, number]>('max', 1, true)(pair), pair);
  });

  it('without reuse, a key starts from its first record itself; a bad field fails on it', () => {
    const record = { id: 1, value: 2 };
    assert.equal(aggregationFirst<typeof record>('min', 'value')(record), record);
    assert.throws(() => aggregationFirst<Record<string, unknown>>('max', 'value', true)({ value: null }), /max\("value"\): field "value" of the record is null, not a number/);
  });

  it('in place, sums array records by index and bare numbers', () => {
    const pair: [string, number] = ['a', 1];
    assert.equal(aggregationReducer<[string, number]>('sum', 1, true)(pair, ['a', 2]), pair);
    assert.deepEqual(pair, ['a', 3]);
    assert.equal(aggregationReducer<number>('sum', undefined, true)(1, 2), 3);
  });

  it('says which field is not a number', () => {
    const sum = aggregationReducer<Record<string, unknown>>('sum', 'value');
    assert.throws(() => sum({ value: 1 }, { value: 'x' }), /sum\("value"\): field "value" of the record is string, not a number/);
  });
});
