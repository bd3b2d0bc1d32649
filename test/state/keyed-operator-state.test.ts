// The keyed state and timers a task actor owns for one operator: timers keep their key group, so a
// snapshot cut per key group restores at another parallelism with state and timers together, and
// restored timers fire in time order with their key current, in both time domains.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { keyGroupFor, keyGroupRangeForSubtask, type Key } from '../../src/core/key-groups.js';
import { ValueStateDescriptor } from '../../src/core/state-descriptors.js';
import type { TimerTarget } from '../../src/core/timers.js';
import { decodeKeyGroup, KeyedOperatorState, type KeyGroupStateSnapshot } from '../../src/state/keyed-operator-state.js';
import { ProcessingTimeScheduler } from '../../src/time/processing-time-scheduler.js';

const MAX_PARALLELISM = 128;
const COUNT = new ValueStateDescriptor<number>('count');

/** A clock the test moves, and the processing-time callbacks on it. */
class TestClock {
  now = 0;
  readonly scheduler = new ProcessingTimeScheduler(() => this.now);

  advance(to: number): void {
    this.now = to;
    this.scheduler.fireDue();
  }
}

/** The keyed state of subtask `subtask` of `parallelism`, on `clock`. */
function subtaskState(subtask: number, parallelism: number, clock: TestClock): KeyedOperatorState {
  return new KeyedOperatorState({
    operatorName: 'test',
    maxParallelism: MAX_PARALLELISM,
    keyGroupRange: keyGroupRangeForSubtask(MAX_PARALLELISM, parallelism, subtask),
    processingTime: clock.scheduler,
  });
}

/** A timer target that records what fires, with the key current at the time and its state. */
function recorder(state: KeyedOperatorState): { fired: string[]; target: TimerTarget<string> } {
  const fired: string[] = [];
  const count = state.backend.getState(COUNT);
  const fire = (domain: string) => (time: number, key: Key, namespace: string) => {
    assert.equal(state.backend.getCurrentKey(), key, 'the timer fires with its key current');
    fired.push(`${domain} ${time} ${String(key)} ${namespace} count=${count.value()}`);
  };
  return { fired, target: { onEventTime: fire('event'), onProcessingTime: fire('processing') } };
}

function setKey(state: KeyedOperatorState, key: Key): void {
  state.backend.setCurrentKey(key, keyGroupFor(key, MAX_PARALLELISM));
}

const KEYS: Key[] = Array.from({ length: 40 }, (_, i) => `key-${i}`);

/** One subtask owning everything: a count per key, an event-time timer per key, some processing-time ones. */
function populated(clock: TestClock): KeyedOperatorState {
  const state = subtaskState(0, 1, clock);
  const timers = state.timerService<string>({ onEventTime() {}, onProcessingTime() {} });
  const count = state.backend.getState(COUNT);
  KEYS.forEach((key, i) => {
    setKey(state, key);
    count.update(i);
    timers.registerEventTimeTimer('window', 1000 + i);
    if (i % 4 === 0) timers.registerProcessingTimeTimer('ttl', 5000 + i);
  });
  return state;
}

/** A whole snapshot at once, decoded. */
function snapshotOf(state: KeyedOperatorState): KeyGroupStateSnapshot[] {
  return state.beginSnapshot().finish().map(decodeKeyGroup);
}

test('a snapshot holds each key group with its state and timers; subtasks of another parallelism take their own groups', () => {
  const clock = new TestClock();
  const snapshot = snapshotOf(populated(clock));
  const groups = snapshot.map((part) => part.keyGroup);
  assert.deepEqual(groups, [...new Set(KEYS.map((k) => keyGroupFor(k, MAX_PARALLELISM)))].sort((a, b) => a - b));
  for (const part of snapshot) {
    for (const [, , key] of part.timers) assert.equal(keyGroupFor(key, MAX_PARALLELISM), part.keyGroup, 'timers sit in their key group');
  }
  const timersIn = (parts: readonly KeyGroupStateSnapshot[]): number => parts.reduce((n, p) => n + p.timers.length, 0);
  assert.equal(timersIn(snapshot), KEYS.length + KEYS.length / 4);

  // Restore at parallelism 3: every key's count and timers land in exactly one subtask.
  const restored = [0, 1, 2].map((subtask) => {
    const state = subtaskState(subtask, 3, clock);
    state.restore(snapshot);
    state.backend.getState(COUNT); // as the operator does when it opens
    return state;
  });
  assert.deepEqual(
    restored.map((s) => s.backend.numKeys()).reduce((a, b) => a + b, 0),
    KEYS.length,
  );
  assert.equal(restored.reduce((n, s) => n + timersIn(snapshotOf(s)), 0), timersIn(snapshot), 'no timer lost or doubled');
  assert.deepEqual(
    restored.flatMap((s) => snapshotOf(s)).sort((a, b) => a.keyGroup - b.keyGroup),
    snapshot,
    'the restored subtasks together snapshot what was taken',
  );
});

test('restored timers fire in time order with their key and its state current, event time and processing time', () => {
  const clock = new TestClock();
  const snapshot = snapshotOf(populated(clock));
  const state = subtaskState(1, 2, clock);
  state.restore(snapshot);
  const { fired, target } = recorder(state);
  const timers = state.timerService(target);
  const owned = KEYS.map((key, i) => ({ key, i })).filter(({ key }) => keyGroupFor(key, MAX_PARALLELISM) >= state.backend.keyGroupRange.start);
  timers.advanceWatermark(1000 + KEYS.length);
  assert.deepEqual(
    fired,
    owned.map(({ key, i }) => `event ${1000 + i} ${String(key)} window count=${i}`),
  );
  fired.length = 0;
  clock.advance(10_000);
  assert.deepEqual(
    fired,
    owned.filter(({ i }) => i % 4 === 0).map(({ key, i }) => `processing ${5000 + i} ${String(key)} ttl count=${i}`),
  );
  assert.equal(state.timersPending, 0);
});

test('timers restored after the timer service exists are added to it; an operator has one timer service', () => {
  const clock = new TestClock();
  const snapshot = snapshotOf(populated(clock));
  const state = subtaskState(0, 1, clock);
  const { fired, target } = recorder(state);
  const timers = state.timerService(target);
  state.restore(snapshot);
  assert.equal(state.timersPending, KEYS.length + KEYS.length / 4);
  timers.advanceWatermark(1000);
  assert.deepEqual(fired, ['event 1000 key-0 window count=0']);
  assert.throws(() => state.timerService(target), /second timer service/);
});
