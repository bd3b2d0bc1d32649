// Rebalance and broadcast at parallelism 1, 2 and 4, and user code observed on several threads.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Seen } from '../fixtures/partitioning.js';
import { everyType } from '../fixtures/every-type.js';
import { collectFixture, PARALLELISMS } from '../harness/run-fixture.js';

for (const p of PARALLELISMS) {
  describe(`partitioning at parallelism ${p}`, () => {
    it('rebalance delivers every record once, round-robin over the subtasks', async () => {
      const count = 10_000;
      const out = await collectFixture<Seen>('partitioning', p, { count, mode: 'rebalance' });
      assert.deepEqual(out.map((s) => s.value).sort((a, b) => a - b), Array.from({ length: count }, (_, i) => i));
      const perSubtask = new Map<number, number>();
      for (const s of out) perSubtask.set(s.subtask, (perSubtask.get(s.subtask) ?? 0) + 1);
      assert.equal(perSubtask.size, p);
      for (const n of perSubtask.values()) assert.equal(n, count / p);
    });

    it('broadcast delivers every record to every subtask', async () => {
      const count = 1000;
      const out = await collectFixture<Seen>('partitioning', p, { count, mode: 'broadcast' });
      assert.equal(out.length, count * p);
      for (let subtask = 0; subtask < p; subtask++) {
        const seen = out.filter((s) => s.subtask === subtask).map((s) => s.value);
        assert.deepEqual(seen, Array.from({ length: count }, (_, i) => i), `subtask ${subtask} sees all, in order`);
      }
    });

    it('records of every msgpack type cross a keyBy unchanged', async () => {
      const count = 300;
      const out = await collectFixture<Record<string, unknown>>('every-type', p, { count });
      const sorted = out.sort((a, b) => (a.id as number) - (b.id as number));
      assert.equal(sorted.length, count);
      for (let i = 0; i < count; i++) {
        assert.deepEqual(sorted[i], everyType(i));
        assert.equal((sorted[i]!.bytes as object).constructor, Uint8Array);
        assert.equal((sorted[i]!.date as object).constructor, Date);
      }
    });
  });
}

describe('user code placement', () => {
  it('runs user functions on more than one worker thread at parallelism 2', async () => {
    const out = await collectFixture<Seen>('partitioning', 2, { count: 1000, mode: 'rebalance' });
    const threads = new Set(out.map((s) => s.thread));
    assert.ok(threads.size >= 2, `threads seen: ${[...threads].join(', ')}`);
    assert.ok(!threads.has(0), 'no user function ran on the main thread');
  });
});
