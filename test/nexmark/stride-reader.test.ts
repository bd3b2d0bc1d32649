// The generated sources' reader (bench/nexmark/stride-reader.ts): its checkpointed position covers
// exactly the records not emitted yet, and readers restored from snapshots, at the same or another
// parallelism, emit each remaining record once.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { StrideReader, type StrideSplit } from '../../bench/nexmark/stride-reader.js';
import { readerContext, readerOutput } from '../fixtures/reader-output.js';

function reader(count: number, subtask: number, parallelism: number, restoredSplits?: StrideSplit[]): StrideReader<number> {
  return new StrideReader(count, readerContext(subtask, parallelism, restoredSplits), (n) => n);
}

/** Polls `r` `polls` times (or to its end), collecting what it emits. */
function poll(r: StrideReader<number>, out: number[], polls = Infinity): void {
  for (let i = 0; i < polls && r.pollNext(readerOutput((n: number) => out.push(n))) === 'more-available'; i++);
}

describe('StrideReader', () => {
  it('snapshots the records it has not emitted yet, and restores them once each at another parallelism', () => {
    const count = 5000;
    const emitted: number[] = [];
    const snapshots: StrideSplit[] = [];
    for (let subtask = 0; subtask < 3; subtask++) {
      const r = reader(count, subtask, 3);
      poll(r, emitted, subtask + 1);
      snapshots.push(...r.snapshotState());
    }
    assert.equal(snapshots.length, 3);
    // Restored at parallelism 2: one reader gets two splits, the other one.
    const restored = [reader(count, 0, 2, snapshots.slice(0, 2)), reader(count, 1, 2, snapshots.slice(2))];
    for (const r of restored) poll(r, emitted);
    assert.deepEqual(
      emitted.sort((a, b) => a - b),
      Array.from({ length: count }, (_, n) => n),
    );
    for (const r of restored) assert.deepEqual(r.snapshotState(), []);
  });

  it('ends at once without records', () => {
    const out: number[] = [];
    assert.equal(reader(0, 0, 2).pollNext(readerOutput((n: number) => out.push(n))), 'end-of-input');
    assert.deepEqual(out, []);
  });
});
