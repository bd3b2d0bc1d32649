// The merging window set's fast path for the built-in sessions (at most one session in flight per
// key) against its general path (any MergingWindowAssigner), on random windows: the same window
// for each element, the same merges reported, the same windows in flight.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { EventTimeSessionWindows, mergeTimeWindows, TimeWindow, type MergingWindowAssigner } from '../../../src/index.js';
import { MergingWindowSet } from '../../../src/operators/windows/merging-window-set.js';
import { at, newBackend } from '../../state/backend-helpers.js';

/** The built-in session assigner with its own merge function, so that the set takes the general path. */
function generalPathSessions(): MergingWindowAssigner<unknown> {
  const sessions = EventTimeSessionWindows.withGap(10);
  return Object.assign(Object.create(sessions) as MergingWindowAssigner<unknown>, {
    mergeWindows: (windows: readonly TimeWindow[], merge: (group: TimeWindow[], result: TimeWindow) => void) => mergeTimeWindows(windows, merge),
  });
}

/** A tiny deterministic generator (mulberry32). */
function random(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state + 0x6d2b79f5) | 0;
    let t = Math.imul(state ^ (state >>> 15), state | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

describe('MergingWindowSet', () => {
  it('takes the same windows and reports the same merges on its fast path as on the general path', () => {
    const fast = { backend: newBackend(), log: [] as string[] };
    const general = { backend: newBackend(), log: [] as string[] };
    const fastSet = new MergingWindowSet(fast.backend, EventTimeSessionWindows.withGap(10) as MergingWindowAssigner<unknown>);
    const generalSet = new MergingWindowSet(general.backend, generalPathSessions());
    const next = random(7);
    const keyTime = new Map<string, number>();
    const last = new Map<object, Map<string, TimeWindow>>([
      [fast, new Map()],
      [general, new Map()],
    ]);
    let fastPathUses = 0;
    for (let i = 0; i < 5000; i++) {
      // Each key's time moves on with some disorder; a session that can no longer merge usually
      // retires (its cleanup time passed), sometimes stays, so some keys hold several.
      const key = `k${Math.floor(next() * 20)}`;
      const time = (keyTime.get(key) ?? 0) + Math.floor(next() * 14);
      keyTime.set(key, time);
      const start = time - Math.floor(next() * 6);
      const window = new TimeWindow(start, start + 8 + Math.floor(next() * 8));
      const retireOld = next() < 0.97;
      const retireNew = next() < 0.05;
      for (const [side, set] of [
        [fast, fastSet],
        [general, generalSet],
      ] as const) {
        at(side.backend, key);
        set.load();
        const previous = last.get(side)!.get(key);
        if (retireOld && previous !== undefined && previous.end < start && set.stateWindowOf(previous) !== undefined) set.retireWindow(previous);
        if (set === fastSet && (set as unknown as { mapping: number[] }).mapping.length <= 4) fastPathUses++;
        const result = set.addWindow(window, (merged, group, stateWindow, mergedState) =>
          side.log.push(`merge ${merged} <- ${group.join(' ')} state ${stateWindow} + ${mergedState.join(' ')}`),
        );
        side.log.push(`${key} ${window} -> ${result} in state ${set.stateWindowOf(result)}`);
        last.get(side)!.set(key, result);
        if (retireNew) set.retireWindow(result);
        set.persist();
      }
    }
    assert.ok(fastPathUses > 2000, `the fast path ran ${fastPathUses} times`);
    assert.ok(fast.log.some((line) => line.startsWith('merge')));
    assert.deepEqual(fast.log, general.log);
  });
});
