// Tests for keyed state snapshots per key group: plain msgpack-friendly data, round trips through
// msgpack (state registered before or after the restore), TTL timestamps kept, and restoring at
// another parallelism (2 -> 3, 3 -> 2) giving each subtask exactly the state of its key groups.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Packr } from 'msgpackr';
import { keyGroupFor, keyGroupRangeForSubtask, operatorIndexForKeyGroup, type Key } from '../../src/core/key-groups.js';
import { AggregatingStateDescriptor, ListStateDescriptor, MapStateDescriptor, ReducingStateDescriptor, ValueStateDescriptor } from '../../src/core/state-descriptors.js';
import type { HeapKeyedStateBackend } from '../../src/state/keyed-state-backend.js';
import { at, average, fakeClock, MAX_PARALLELISM, newBackend, type FakeClock } from './backend-helpers.js';

const packr = new Packr({ useBigIntExtension: true });

const KEYS: Key[] = [
  ...Array.from({ length: 200 }, (_, i) => `user-${i}`),
  ...Array.from({ length: 100 }, (_, i) => i * 1.5),
  ...Array.from({ length: 50 }, (_, i) => BigInt(i) * 10n ** 20n - 7n),
  ...Array.from({ length: 50 }, (_, i): Key => ['region', i, `\u0000${i}`]),
  '\u0000escaped',
  NaN,
];

function register(backend: HeapKeyedStateBackend) {
  return {
    value: backend.getState(new ValueStateDescriptor<unknown>('value')),
    list: backend.getListState(new ListStateDescriptor<number>('list')),
    map: backend.getMapState(new MapStateDescriptor<string | number, string>('map')),
    sum: backend.getReducingState(new ReducingStateDescriptor<number>('sum', (a, b) => a + b)),
    avg: backend.getAggregatingState(new AggregatingStateDescriptor('avg', average)),
    ttl: backend.getState(new ValueStateDescriptor<number>('ttl').enableTimeToLive({ ttlMs: 1000 })),
  };
}

/** Writes state for `key` (its index `i`) in every state kind, including two window namespaces. */
function write(backend: HeapKeyedStateBackend, key: Key, i: number): void {
  const s = register(backend);
  at(backend, key);
  s.value.update({ key, nested: [i, null, 2n ** 70n] });
  s.list.addAll([i, i + 1]);
  s.map.put('a', `a${i}`);
  s.map.put(i, 'numeric user key');
  s.sum.add(i);
  s.avg.add(i);
  s.avg.add(i + 2);
  s.ttl.update(i);
  s.sum.setCurrentNamespace(1000 + (i % 3));
  s.sum.add(-2 * i - 1);
  s.sum.setCurrentNamespace('late');
  s.sum.add(1);
  s.sum.setCurrentNamespace('');
}

/** Everything stored for `key`, read through the state objects. */
function read(backend: HeapKeyedStateBackend, key: Key, i: number): unknown {
  const s = register(backend);
  at(backend, key);
  s.sum.setCurrentNamespace(1000 + (i % 3));
  const windowed = s.sum.get();
  s.sum.setCurrentNamespace('late');
  const late = s.sum.get();
  s.sum.setCurrentNamespace('');
  return [s.value.value(), [...s.list.get()], [...s.map.entries()], s.sum.get(), s.avg.get(), s.ttl.value(), windowed, late];
}

function filled(clock: FakeClock = fakeClock(), range?: { start: number; end: number }): HeapKeyedStateBackend {
  const backend = newBackend(clock, range);
  KEYS.forEach((key, i) => {
    const group = keyGroupFor(key, MAX_PARALLELISM);
    if (range === undefined || (group >= range.start && group <= range.end)) write(backend, key, i);
  });
  return backend;
}

/** Fails on anything but arrays, plain objects and primitives. */
function assertPlainData(value: unknown, path = 'snapshot'): void {
  if (value === null || typeof value !== 'object') return;
  const proto = Object.getPrototypeOf(value) as unknown;
  assert.ok(Array.isArray(value) || proto === Object.prototype, `${path} is a ${String(value.constructor?.name)}`);
  for (const [k, v] of Object.entries(value)) assertPlainData(v, `${path}.${k}`);
}

test('snapshots are plain data and survive msgpack, whether state is registered before or after restore', () => {
  const clock = fakeClock(5000);
  const original = filled(clock);
  const parts = original.snapshot();
  assertPlainData(parts);
  assert.ok(parts.length > 100, 'most of the 128 key groups hold state');
  const decoded = packr.unpack(packr.pack(parts)) as typeof parts;

  const registeredFirst = newBackend(clock);
  register(registeredFirst);
  registeredFirst.restore(decoded);
  const registeredLater = newBackend(clock);
  registeredLater.restore(packr.unpack(packr.pack(parts)) as typeof parts);
  assert.deepEqual(registeredLater.snapshot(), decoded, 'restored but unregistered state is snapshotted as it came');
  for (const backend of [registeredFirst, registeredLater]) {
    KEYS.forEach((key, i) => assert.deepEqual(read(backend, key, i), read(original, key, i), `key ${String(key)}`));
    assert.equal(backend.numKeys(), KEYS.length);
    assert.equal(backend.numEntries(), original.numEntries());
    assert.deepEqual(new Set(backend.keys('map').map(String)), new Set(KEYS.map(String)));
  }
});

test('a snapshot does not change when state changes after it was taken', () => {
  const backend = filled();
  const group = keyGroupFor('user-1', MAX_PARALLELISM);
  const before = structuredClone(backend.snapshotKeyGroup(group));
  const taken = backend.snapshotKeyGroup(group);
  const s = register(backend);
  at(backend, 'user-1');
  s.list.add(99);
  s.map.put('new', 'x');
  s.ttl.update(-1);
  assert.deepEqual(taken, before);
});

test('TTL timestamps travel with the snapshot', () => {
  const clock = fakeClock(0);
  const original = filled(clock);
  const later = fakeClock(999);
  const restored = newBackend(later);
  restored.restore(original.snapshot());
  const { ttl } = register(restored);
  at(restored, 'user-3');
  assert.equal(ttl.value(), 3);
  later.now = 1000;
  assert.equal(ttl.value(), undefined);
  assert.equal(restored.cleanupExpired(), KEYS.length - 1);
});

function rescale(from: number, to: number): void {
  const clock = fakeClock(0);
  const ranges = (p: number) => Array.from({ length: p }, (_, i) => keyGroupRangeForSubtask(MAX_PARALLELISM, p, i));
  const old = ranges(from).map((range) => filled(clock, range));
  const allParts = old.flatMap((backend) => backend.snapshot());
  const restored = ranges(to).map((range) => {
    const backend = newBackend(clock, range);
    backend.restore(allParts);
    return backend;
  });
  restored.forEach((backend, subtask) => {
    const { start, end } = backend.keyGroupRange;
    const expected = allParts.filter((part) => part.keyGroup >= start && part.keyGroup <= end);
    assert.deepEqual(backend.snapshot(), expected, `subtask ${subtask} of ${to} holds exactly its key groups`);
    let owned = 0;
    KEYS.forEach((key, i) => {
      const group = keyGroupFor(key, MAX_PARALLELISM);
      if (operatorIndexForKeyGroup(MAX_PARALLELISM, to, group) !== subtask) return;
      owned++;
      const source = old[operatorIndexForKeyGroup(MAX_PARALLELISM, from, group)]!;
      assert.deepEqual(read(backend, key, i), read(source, key, i));
    });
    assert.equal(backend.numKeys(), owned);
  });
  assert.equal(
    restored.reduce((n, b) => n + b.numKeys(), 0),
    KEYS.length,
  );
}

test('restoring at parallelism 3 from 2 subtasks gives each subtask the union of state for its range', () => rescale(2, 3));

test('restoring at parallelism 2 from 3 subtasks gives each subtask the union of state for its range', () => rescale(3, 2));

test('restore refuses data of another kind or TTL setting, and key groups it does not own', () => {
  const original = filled();
  const parts = original.snapshot();
  const mismatched = newBackend();
  mismatched.getListState(new ListStateDescriptor('value'));
  assert.throws(() => mismatched.restore(parts), /State "value" is checkpointed as value state and cannot be used as list state/);
  const later = newBackend();
  later.restore(parts);
  assert.throws(() => later.getState(new ValueStateDescriptor('ttl')), /is checkpointed with a time-to-live/);
  const narrow = newBackend(undefined, { start: 0, end: 9 });
  assert.throws(() => narrow.restoreKeyGroup(10, parts[0]!.data), { code: 'INTERNAL' });
  assert.throws(() => narrow.snapshotKeyGroup(127), { code: 'INTERNAL' });
});
