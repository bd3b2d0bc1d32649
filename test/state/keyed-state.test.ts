// Tests for the heap keyed state backend: the semantics of every state kind per key, isolation of
// keys and namespaces, no residue after clearing, registration rules and descriptor validation.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { AggregatingStateDescriptor, ListStateDescriptor, MapStateDescriptor, ReducingStateDescriptor, ValueStateDescriptor } from '../../src/core/state-descriptors.js';
import { DEFAULT_NAMESPACE } from '../../src/core/state.js';
import { HeapKeyedStateBackend } from '../../src/state/keyed-state-backend.js';
import { at, average, newBackend } from './backend-helpers.js';

test('ValueState: unset is undefined or the default, update replaces, update(undefined) and clear remove', () => {
  const backend = newBackend();
  const count = backend.getState(new ValueStateDescriptor<number>('count'));
  const label = backend.getState(new ValueStateDescriptor('label', 'none'));
  at(backend, 'a');
  assert.equal(count.value(), undefined);
  assert.equal(label.value(), 'none');
  count.update(1);
  count.update(2);
  label.update('x');
  assert.equal(count.value(), 2);
  assert.equal(label.value(), 'x');
  at(backend, 'b');
  assert.equal(count.value(), undefined, 'keys are isolated');
  at(backend, 'a');
  count.update(undefined);
  assert.equal(count.value(), undefined);
  label.clear();
  assert.equal(label.value(), 'none');
  assert.equal(backend.numKeys(), 0);
});

test('ListState: add, addAll, update and clear per key; an empty list frees the key', () => {
  const backend = newBackend();
  const list = backend.getListState(new ListStateDescriptor<string>('events'));
  at(backend, 1);
  assert.deepEqual(list.get(), []);
  list.add('a');
  list.addAll(['b', 'c']);
  assert.deepEqual(list.get(), ['a', 'b', 'c']);
  at(backend, 2);
  list.addAll([]);
  assert.equal(backend.numKeys(), 1, 'addAll of nothing stores nothing');
  list.update(['z']);
  assert.deepEqual(list.get(), ['z']);
  at(backend, 1);
  list.update(new Set(['x', 'y']));
  assert.deepEqual(list.get(), ['x', 'y']);
  list.update([]);
  assert.deepEqual(list.get(), []);
  at(backend, 2);
  list.clear();
  assert.equal(backend.numKeys(), 0);
  assert.throws(() => list.add(undefined as unknown as string), { code: 'INVALID_ARGUMENT' });
  assert.throws(() => list.addAll(['ok', undefined as unknown as string]), /ListState.addAll on state "events"/);
});

test('MapState: put, get, contains, remove, iteration and isEmpty; removing the last entry frees the key', () => {
  const backend = newBackend();
  const map = backend.getMapState(new MapStateDescriptor<string, number>('counts'));
  at(backend, 'k');
  assert.equal(map.isEmpty(), true);
  assert.equal(map.get('x'), undefined);
  assert.deepEqual([...map.entries()], []);
  map.put('x', 1);
  map.put('y', 2);
  map.put('x', 3);
  assert.equal(map.get('x'), 3);
  assert.equal(map.contains('y'), true);
  assert.equal(map.contains('z'), false);
  assert.deepEqual([...map.entries()], [['x', 3], ['y', 2]]);
  assert.deepEqual([...map.keys()], ['x', 'y']);
  assert.deepEqual([...map.values()], [3, 2]);
  at(backend, 'other');
  assert.equal(map.isEmpty(), true, 'keys are isolated');
  at(backend, 'k');
  map.remove('x');
  map.remove('nothing');
  assert.equal(map.isEmpty(), false);
  map.remove('y');
  assert.equal(map.isEmpty(), true);
  assert.equal(backend.numKeys(), 0);
  map.put('a', 1);
  map.clear();
  assert.equal(backend.numEntries(), 0);
  assert.throws(() => map.put('a', undefined as unknown as number), { code: 'INVALID_ARGUMENT' });
});

test('ReducingState folds every added value with the reduce function', () => {
  const backend = newBackend();
  const max = backend.getReducingState(new ReducingStateDescriptor<number>('max', (a, b) => Math.max(a, b)));
  at(backend, 'a');
  assert.equal(max.get(), undefined);
  for (const v of [3, 9, 4]) max.add(v);
  assert.equal(max.get(), 9);
  at(backend, 'b');
  max.add(-1);
  assert.equal(max.get(), -1);
  max.clear();
  assert.equal(max.get(), undefined);
  at(backend, 'a');
  assert.equal(max.get(), 9);
});

test('AggregatingState keeps the accumulator and returns its result', () => {
  const backend = newBackend();
  const avg = backend.getAggregatingState(new AggregatingStateDescriptor('avg', average));
  at(backend, 'a');
  assert.equal(avg.get(), undefined);
  avg.add(1);
  avg.add(2);
  at(backend, 'b');
  avg.add(10);
  assert.equal(avg.get(), 10);
  at(backend, 'a');
  assert.equal(avg.get(), 1.5);
  avg.clear();
  assert.equal(avg.get(), undefined);
  assert.equal(backend.numKeys(), 1);
});

test('composite and bigint keys: equal keys share state, different ones do not', () => {
  const backend = newBackend();
  const value = backend.getState(new ValueStateDescriptor<string>('v'));
  at(backend, ['eu', 7]);
  value.update('eu-7');
  at(backend, 7n);
  value.update('big');
  at(backend, ['eu', 7]);
  assert.equal(value.value(), 'eu-7');
  for (const other of [[7, 'eu'], ['eu', '7'], 7, '7'] as const) {
    at(backend, other as never);
    assert.equal(value.value(), undefined, `key ${JSON.stringify(other)}`);
  }
  at(backend, 7n);
  assert.equal(value.value(), 'big');
  assert.deepEqual(backend.getCurrentKey(), 7n);
  assert.equal(backend.numKeys(), 2);
});

test('namespaces are isolated from each other and from the default namespace', () => {
  const backend = newBackend();
  const sum = backend.getReducingState(new ReducingStateDescriptor<number>('sum', (a, b) => a + b));
  const list = backend.getListState(new ListStateDescriptor<number>('window-contents'));
  at(backend, 'k');
  sum.add(1);
  sum.setCurrentNamespace(1000);
  sum.add(10);
  sum.setCurrentNamespace('w2');
  sum.add(100);
  list.setCurrentNamespace(1000);
  list.add(5);
  assert.equal(sum.get(), 100);
  sum.setCurrentNamespace(1000);
  assert.equal(sum.get(), 10);
  sum.setCurrentNamespace(DEFAULT_NAMESPACE);
  assert.equal(sum.get(), 1);
  at(backend, 'other');
  sum.setCurrentNamespace(1000);
  assert.equal(sum.get(), undefined);
  sum.add(7);
  assert.deepEqual(new Set(backend.keys('sum', 1000)), new Set(['k', 'other']));
  assert.deepEqual(backend.keys('sum', 'w2'), ['k']);
  assert.deepEqual(backend.keys('sum'), ['k']);
  assert.equal(backend.numEntries(), 5);
  assert.equal(backend.numKeys('sum'), 2);
  assert.equal(backend.numKeys('window-contents'), 1);
});

test('clearing the last namespace of a key leaves no residue', () => {
  const backend = newBackend();
  const value = backend.getState(new ValueStateDescriptor<number>('v'));
  for (const key of ['a', 'b', 'c']) {
    at(backend, key);
    for (const window of [1, 2, 3]) {
      value.setCurrentNamespace(window);
      value.update(window);
    }
  }
  assert.equal(backend.numKeys(), 3);
  assert.equal(backend.numEntries(), 9);
  for (const key of ['a', 'b', 'c']) {
    at(backend, key);
    for (const window of [3, 1, 2]) {
      value.setCurrentNamespace(window);
      value.clear();
    }
  }
  assert.equal(backend.numKeys(), 0);
  assert.equal(backend.numEntries(), 0);
  assert.deepEqual(backend.snapshot(), []);
});

test('applyToAllKeys visits each key as the current key, tolerates clearing, and restores the key', () => {
  const backend = newBackend();
  const value = backend.getState(new ValueStateDescriptor<number>('v'));
  const keys = ['a', 1, 2n, ['x', 1]] as const;
  keys.forEach((key, i) => {
    at(backend, key as never);
    value.update(i);
  });
  at(backend, 'current');
  const seen = new Map<string, number | undefined>();
  backend.applyToAllKeys('v', (key) => {
    assert.deepEqual(backend.getCurrentKey(), key);
    seen.set(JSON.stringify(key, (_, v: unknown) => (typeof v === 'bigint' ? `${v}n` : v)), value.value());
    value.clear();
  });
  assert.deepEqual(seen, new Map([['"a"', 0], ['1', 1], ['"2n"', 2], ['["x",1]', 3]]));
  assert.equal(backend.getCurrentKey(), 'current');
  assert.equal(backend.numKeys(), 0);
  assert.throws(() => backend.keys('unknown'), /No keyed state named "unknown"/);
});

test('a name is bound to one kind of state and one TTL setting', () => {
  const backend = newBackend();
  const first = backend.getState(new ValueStateDescriptor<number>('s'));
  assert.equal(backend.getState(new ValueStateDescriptor<number>('s')), first);
  assert.throws(() => backend.getListState(new ListStateDescriptor('s')), {
    code: 'INVALID_ARGUMENT',
    message: 'State "s" is registered as value state and cannot be used as list state: give each state its own name',
  });
  assert.throws(
    () => backend.getState(new ValueStateDescriptor<number>('s').enableTimeToLive({ ttlMs: 10 })),
    /State "s" is registered without a time-to-live and cannot be used with one/,
  );
  assert.throws(() => backend.getState({ name: 'x', kind: 'value' } as never), TypeError);
});

test('descriptors validate their arguments', () => {
  assert.throws(() => new ValueStateDescriptor(''), TypeError);
  assert.throws(() => new ListStateDescriptor(42 as unknown as string), /non-empty name/);
  assert.throws(() => new ReducingStateDescriptor('r', 'max' as never), /State "r": reduceFn must be a function, got string/);
  assert.throws(() => new AggregatingStateDescriptor('a', null as never), TypeError);
  assert.throws(() => new AggregatingStateDescriptor('a', { ...average, merge: undefined } as never), /merge must be a function/);
  const descriptor = new MapStateDescriptor('m');
  assert.throws(() => descriptor.enableTimeToLive({ ttlMs: 0 }), RangeError);
  assert.throws(() => descriptor.enableTimeToLive({ ttlMs: Infinity }), RangeError);
  assert.throws(() => descriptor.enableTimeToLive({ ttlMs: 5, updateType: 'on-read' as never }), TypeError);
  assert.equal(descriptor.ttl, undefined);
  assert.equal(descriptor.enableTimeToLive({ ttlMs: 5 }), descriptor);
  assert.deepEqual(descriptor.ttl, { ttlMs: 5, updateType: 'on-create-and-write' });
});

test('the backend checks its options and the key groups it is given', () => {
  assert.throws(() => new HeapKeyedStateBackend({ maxParallelism: 0, keyGroupRange: { start: 0, end: 0 } }), RangeError);
  assert.throws(() => new HeapKeyedStateBackend({ maxParallelism: 128, keyGroupRange: { start: 5, end: 128 } }), RangeError);
  assert.throws(
    () => new HeapKeyedStateBackend({ maxParallelism: 128, keyGroupRange: { start: 0, end: 1 }, clock: 5 as never }),
    TypeError,
  );
  const backend = newBackend(undefined, { start: 10, end: 20 });
  const value = backend.getState(new ValueStateDescriptor<number>('v'));
  assert.throws(() => value.update(1), { code: 'INTERNAL', message: /before a current key was set/ });
  assert.throws(() => backend.getCurrentKey(), { code: 'INTERNAL' });
  assert.throws(() => backend.setCurrentKey('k', 21), { code: 'INTERNAL', message: /Key group 21 is not owned by this subtask \(key groups 10\.\.20 of 128\)/ });
  backend.setCurrentKey('k', 20);
  assert.equal(backend.getCurrentKeyGroup(), 20);
  value.update(1);
  assert.equal(value.value(), 1);
});
