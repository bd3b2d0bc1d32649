// Tests for state time-to-live with a fake processing-time clock: both update types, expired
// entries invisible and removed on access, per-element expiry of lists and maps, cleanupExpired.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { AggregatingStateDescriptor, ListStateDescriptor, MapStateDescriptor, ReducingStateDescriptor, ValueStateDescriptor } from '../../src/core/state-descriptors.js';
import { at, average, fakeClock, newBackend } from './backend-helpers.js';

test('on-create-and-write: a value lives ttlMs after its last write; reads do not extend it', () => {
  const time = fakeClock(1000);
  const backend = newBackend(time);
  const value = backend.getState(new ValueStateDescriptor<string>('v', 'default').enableTimeToLive({ ttlMs: 100 }));
  at(backend, 'k');
  value.update('a');
  time.now = 1099;
  assert.equal(value.value(), 'a');
  time.now = 1100;
  assert.equal(value.value(), 'default', 'expired: invisible');
  assert.equal(backend.numEntries(), 0, 'and removed on access');
  value.update('b');
  time.now = 1150;
  value.update('c');
  time.now = 1249;
  assert.equal(value.value(), 'c', 'a write restarts the time-to-live');
  time.now = 1250;
  assert.equal(value.value(), 'default');
});

test('on-read-and-write: every read extends the time-to-live', () => {
  const time = fakeClock();
  const backend = newBackend(time);
  const value = backend.getState(
    new ValueStateDescriptor<number>('v').enableTimeToLive({ ttlMs: 100, updateType: 'on-read-and-write' }),
  );
  at(backend, 'k');
  value.update(1);
  for (const now of [90, 180, 270]) {
    time.now = now;
    assert.equal(value.value(), 1);
  }
  time.now = 370;
  assert.equal(value.value(), undefined);
});

test('reducing and aggregating state expire as a whole and start over', () => {
  const time = fakeClock();
  const backend = newBackend(time);
  const sum = backend.getReducingState(new ReducingStateDescriptor<number>('sum', (a, b) => a + b).enableTimeToLive({ ttlMs: 10 }));
  const avg = backend.getAggregatingState(new AggregatingStateDescriptor('avg', average).enableTimeToLive({ ttlMs: 10 }));
  at(backend, 'k');
  sum.add(1);
  avg.add(4);
  time.now = 5;
  sum.add(2);
  avg.add(8);
  assert.equal(sum.get(), 3);
  assert.equal(avg.get(), 6);
  time.now = 15;
  assert.equal(sum.get(), undefined);
  sum.add(5);
  avg.add(1);
  assert.equal(sum.get(), 5);
  assert.equal(avg.get(), 1);
});

test('list elements expire one by one', () => {
  const time = fakeClock();
  const backend = newBackend(time);
  const list = backend.getListState(new ListStateDescriptor<string>('l').enableTimeToLive({ ttlMs: 100 }));
  at(backend, 'k');
  list.add('a');
  time.now = 50;
  list.addAll(['b', 'c']);
  assert.deepEqual(list.get(), ['a', 'b', 'c']);
  time.now = 100;
  assert.deepEqual(list.get(), ['b', 'c']);
  time.now = 150;
  assert.deepEqual(list.get(), []);
  assert.equal(backend.numKeys(), 0);
  list.update(['x']);
  assert.deepEqual(list.get(), ['x']);
});

test('map entries expire one by one, on every kind of read', () => {
  const time = fakeClock();
  const backend = newBackend(time);
  const map = backend.getMapState(
    new MapStateDescriptor<string, number>('m').enableTimeToLive({ ttlMs: 100, updateType: 'on-read-and-write' }),
  );
  at(backend, 'k');
  map.put('old', 1);
  time.now = 60;
  map.put('new', 2);
  time.now = 100;
  assert.equal(map.contains('old'), false);
  assert.equal(map.get('new'), 2, 'read at 100 extends "new" to 200');
  time.now = 199;
  assert.deepEqual([...map.entries()], [['new', 2]]);
  map.put('newer', 3);
  time.now = 298;
  assert.deepEqual([...map.keys()], ['new', 'newer']);
  time.now = 398;
  assert.deepEqual([...map.values()], []);
  assert.equal(backend.numKeys(), 0, 'a map emptied by expiry leaves no key');
  map.put('again', 1);
  time.now = 498;
  assert.equal(map.isEmpty(), true);
  assert.equal(backend.numKeys(), 0);
});

test('cleanupExpired removes expired entries of every key and namespace without reads', () => {
  const time = fakeClock();
  const backend = newBackend(time);
  const value = backend.getState(new ValueStateDescriptor<number>('v').enableTimeToLive({ ttlMs: 100 }));
  const list = backend.getListState(new ListStateDescriptor<number>('l').enableTimeToLive({ ttlMs: 100 }));
  const map = backend.getMapState(new MapStateDescriptor<number, number>('m').enableTimeToLive({ ttlMs: 100 }));
  const plain = backend.getState(new ValueStateDescriptor<number>('plain'));
  for (let key = 0; key < 50; key++) {
    at(backend, key);
    time.now = key < 25 ? 0 : 50;
    value.update(key);
    value.setCurrentNamespace(7);
    value.update(key);
    value.setCurrentNamespace('');
    list.add(key);
    map.put(key, key);
    plain.update(key);
  }
  time.now = 120;
  list.setCurrentNamespace(3);
  at(backend, 0);
  list.add(1);
  assert.equal(backend.numEntries(), 50 * 5 + 1);
  assert.equal(backend.cleanupExpired(), 25 * 4);
  assert.equal(backend.numEntries(), 25 * 4 + 50 + 1);
  time.now = 1000;
  assert.equal(backend.cleanupExpired(), 25 * 4 + 1);
  assert.equal(backend.numKeys(), 50, 'state without TTL stays');
});
