// Helpers for keyed state tests: a backend over a key-group range with a settable fake clock, and
// a way to make a key current with the key group that routing would have computed.

import { keyGroupFor, type Key } from '../../src/core/key-groups.js';
import { HeapKeyedStateBackend } from '../../src/state/keyed-state-backend.js';
import type { AggregateFunction } from '../../src/core/state-descriptors.js';

export const MAX_PARALLELISM = 128;

/** A fake processing-time clock: read with `clock()`, moved by setting `now`. */
export interface FakeClock {
  now: number;
  readonly clock: () => number;
}

export function fakeClock(start = 0): FakeClock {
  const state = { now: start, clock: (): number => state.now };
  return state;
}

/** A backend owning `[start, end]` of {@link MAX_PARALLELISM} key groups (all by default). */
export function newBackend(
  clock: FakeClock = fakeClock(),
  range: { start: number; end: number } = { start: 0, end: MAX_PARALLELISM - 1 },
): HeapKeyedStateBackend {
  return new HeapKeyedStateBackend({ maxParallelism: MAX_PARALLELISM, keyGroupRange: range, clock: clock.clock });
}

/** Makes `key` the backend's current key, with its real key group. */
export function at(backend: HeapKeyedStateBackend, key: Key): void {
  backend.setCurrentKey(key, keyGroupFor(key, backend.maxParallelism));
}

/** Average of numbers: the accumulator is [sum, count]. */
export const average: AggregateFunction<number, [number, number], number> = {
  createAccumulator: () => [0, 0],
  add: (value, acc) => [acc[0] + value, acc[1] + 1],
  getResult: (acc) => acc[0] / acc[1],
  merge: (a, b) => [a[0] + b[0], a[1] + b[1]],
};
