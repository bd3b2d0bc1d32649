// A keyed snapshot taken key group by key group after the barrier is exactly the state at the
// barrier: keys changed after it (values replaced, objects mutated in place, lists and maps
// grown, entries cleared, timers added) still snapshot as they were, groups nobody touches are
// encoded in slices, walking all keys or cleaning up expired entries first completes it, and a
// second snapshot completes the first.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { keyGroupFor, type Key } from '../../src/core/key-groups.js';
import { ListStateDescriptor, MapStateDescriptor, ValueStateDescriptor } from '../../src/core/state-descriptors.js';
import { decodeKeyGroup, KeyedOperatorState, type KeyGroupStateSnapshot } from '../../src/state/keyed-operator-state.js';
import { ProcessingTimeScheduler } from '../../src/time/processing-time-scheduler.js';

const MAX_PARALLELISM = 128;
const KEYS: Key[] = Array.from({ length: 300 }, (_, i) => i);

interface Totals {
  sum: number;
  seen: number[];
}

function newState(now: () => number = () => 0): KeyedOperatorState {
  return new KeyedOperatorState({ operatorName: 'test', maxParallelism: MAX_PARALLELISM, keyGroupRange: { start: 0, end: MAX_PARALLELISM - 1 }, processingTime: new ProcessingTimeScheduler(now) });
}

/** Value, object, list and map state for every key, and an event-time timer per key. */
function populate(state: KeyedOperatorState) {
  const backend = state.backend;
  const count = backend.getState(new ValueStateDescriptor<number>('count'));
  const totals = backend.getState(new ValueStateDescriptor<Totals>('totals'));
  const list = backend.getListState(new ListStateDescriptor<number>('list'));
  const windows = backend.getListState(new ListStateDescriptor<number>('window-contents'));
  const map = backend.getMapState(new MapStateDescriptor<string, number>('map'));
  const timers = state.timerService<string>({ onEventTime() {}, onProcessingTime() {} });
  const setKey = (key: Key) => backend.setCurrentKey(key, keyGroupFor(key, MAX_PARALLELISM));
  for (const key of KEYS) {
    setKey(key);
    count.update(Number(key));
    totals.update({ sum: Number(key), seen: [Number(key)] });
    list.add(Number(key));
    map.put(`k${String(key)}`, Number(key));
    for (const window of ['w1', 'w2']) {
      windows.setCurrentNamespace(window); // as a window operator keeps one cell per window
      windows.add(Number(key));
    }
    timers.registerEventTimeTimer('w', 1000 + Number(key));
  }
  return { count, totals, list, map, windows, timers, setKey };
}

/**
 * A snapshot with each state's entries in key order: keys a snapshot in progress preserved come
 * after the others in their group, which is no difference to a restore.
 */
function inKeyOrder(parts: KeyGroupStateSnapshot[]): KeyGroupStateSnapshot[] {
  const byKey = <T>(entries: [Key, T][]) => [...entries].sort(([a], [b]) => Number(a) - Number(b));
  return parts.map((part) => ({ ...part, states: part.states.map((state) => ({ ...state, entries: byKey(state.entries), namespaced: byKey(state.namespaced) })) }));
}

/** Every key group's snapshot at once: the reference. */
function whole(state: KeyedOperatorState): KeyGroupStateSnapshot[] {
  return state.beginSnapshot().finish().map(decodeKeyGroup);
}

test('keys changed after the barrier snapshot as they were at the barrier', () => {
  const state = newState();
  const { count, totals, list, map, windows, timers, setKey } = populate(state);
  const atBarrier = whole(state);
  const task = state.beginSnapshot();
  assert.equal(task.complete, false);
  for (const key of KEYS.filter((k) => Number(k) % 3 === 0)) {
    setKey(key);
    count.update(-1);
    const t = totals.value()!;
    t.sum += 1000; // changed in place, as user code does
    t.seen.push(-1);
    totals.update(t);
    list.add(-1);
    map.put('later', -1);
    windows.setCurrentNamespace('w1');
    windows.add(-1);
    windows.setCurrentNamespace('w3');
    windows.add(-1);
    timers.registerEventTimeTimer('w', 5);
  }
  for (const key of KEYS.filter((k) => Number(k) % 3 === 1)) {
    setKey(key);
    count.clear();
    list.clear();
    map.clear();
    windows.setCurrentNamespace('w2');
    windows.clear();
  }
  const taken = task.finish().map(decodeKeyGroup);
  assert.deepEqual(inKeyOrder(taken), inKeyOrder(atBarrier));
  assert.notDeepEqual(whole(state), atBarrier, 'the live state did change');
});

test('groups nobody touches are encoded in slices between steps; the snapshot completes once all are', () => {
  const state = newState();
  populate(state);
  const atBarrier = whole(state);
  const task = state.beginSnapshot();
  let steps = 0;
  while (!task.step(performance.now() - 1)) steps++; // a deadline already past: one group per step
  assert.ok(steps >= 100, `${steps} steps for ${MAX_PARALLELISM} groups`);
  assert.equal(task.complete, true);
  assert.deepEqual(task.finish().map(decodeKeyGroup), atBarrier);
});

test('walking all keys or cleaning up expired entries completes a snapshot in progress first', () => {
  const state = newState();
  const { count, setKey } = populate(state);
  const atBarrier = whole(state);
  const walked = state.beginSnapshot();
  state.backend.applyToAllKeys('count', () => count.update(0));
  assert.equal(walked.complete, true);
  assert.deepEqual(inKeyOrder(walked.finish().map(decodeKeyGroup)), inKeyOrder(atBarrier));

  setKey(KEYS[0]!);
  const cleaned = state.beginSnapshot();
  state.backend.cleanupExpired();
  assert.equal(cleaned.complete, true);
});

test('a second snapshot completes the first, which keeps the state of its own barrier', () => {
  const state = newState();
  const { count, setKey } = populate(state);
  const first = whole(state);
  const task = state.beginSnapshot();
  setKey(KEYS[7]!);
  count.update(-7);
  const second = state.beginSnapshot();
  assert.equal(task.complete, true);
  assert.deepEqual(inKeyOrder(task.finish().map(decodeKeyGroup)), inKeyOrder(first));
  setKey(KEYS[8]!);
  count.update(-8);
  const atSecond = second.finish().map(decodeKeyGroup);
  const countOf = (parts: KeyGroupStateSnapshot[], key: Key) =>
    parts.find((p) => p.keyGroup === keyGroupFor(key, MAX_PARALLELISM))!.states.find((s) => s.name === 'count')!.entries.find(([k]) => k === key)![1];
  assert.equal(countOf(atSecond, KEYS[7]!), -7);
  assert.equal(countOf(atSecond, KEYS[8]!), 8);
});
