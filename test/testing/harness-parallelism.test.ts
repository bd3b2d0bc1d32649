// The harness as one subtask of a parallelism: the key groups it owns (a record of another
// subtask's key fails, saying whose), what its snapshots record, how restoreFrom picks state
// (an operator's own state of old subtask j goes to new subtask j % parallelism), and its checks.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { keyGroupFor, keyGroupRangeForSubtask } from '../../src/core/key-groups.js';
import { createHarness, StreamError, type DataStream, type HarnessOptions, type Key, type Sink } from '../../src/index.js';

interface Ev {
  id: string;
  v: number;
}

const KEYS = ['a', 'b', 'c', 'd', 'e', 'f'];

/** The subtask of `parallelism` that owns `key` (128 key groups). */
function ownerOf(key: Key, parallelism: number): number {
  const keyGroup = keyGroupFor(key, 128);
  for (let subtask = 0; subtask < parallelism; subtask++) {
    const { start, end } = keyGroupRangeForSubtask(128, parallelism, subtask);
    if (start <= keyGroup && keyGroup <= end) return subtask;
  }
  throw new Error(`no subtask owns key group ${keyGroup}`);
}

/** A key of `KEYS` that subtask `subtask` of `parallelism` owns. */
function keyOf(subtask: number, parallelism: number): string {
  const key = KEYS.find((k) => ownerOf(k, parallelism) === subtask);
  assert.ok(key !== undefined, `some key belongs to subtask ${subtask} of ${parallelism}`);
  return key;
}

/** A two-phase-commit sink: each subtask's writer prepares what it wrote; commits land in `store`. */
function transactionalSink(store: { committed: string[] }): Sink<Ev, string[]> {
  return {
    createCommitter: () => ({
      commit(transactions) {
        for (const records of transactions) store.committed.push(records.join(','));
      },
    }),
    createWriter: ({ subtask }) => {
      let open: string[] = [];
      return {
        write(e) {
          open.push(`${subtask}:${e.v}`);
        },
        prepareCommit() {
          const prepared = open;
          open = [];
          return [prepared];
        },
      };
    },
  };
}

describe('the harness at another parallelism', () => {
  const keyed = (s: DataStream<Ev>): DataStream<Ev> => s.keyBy((e) => e.id).sum('v');

  it('refuses a record whose key another subtask owns, saying which', async () => {
    const h = await createHarness(keyed, { parallelism: 3, subtask: 0 });
    const [owned, foreign] = [keyOf(0, 3), keyOf(2, 3)];
    h.processElement({ id: owned, v: 1 });
    assert.throws(
      () => h.processElement({ id: foreign, v: 1 }),
      (error: unknown) => {
        assert.ok(error instanceof StreamError);
        assert.equal(error.code, 'INVALID_ARGUMENT');
        assert.match(error.message, new RegExp(`subtask 0 of 3 \\(key groups 0\\.\\.42 of 128\\).*"${foreign}".*belongs to subtask 2`));
        assert.doesNotMatch(error.message, /worker/);
        return true;
      },
    );
    assert.deepEqual(h.values(), [{ id: owned, v: 1 }]);
  });

  it('checks the key at every keyed operator, also after a map that changes it', async () => {
    const [first, second] = [keyOf(0, 2), keyOf(1, 2)];
    const h = await createHarness((s: DataStream<Ev>) => s.map((e) => ({ ...e, id: e.id === first ? second : e.id })).keyBy((e) => e.id).sum('v'), { parallelism: 2, subtask: 0 });
    assert.throws(() => h.processElement({ id: first, v: 1 }), new RegExp(`is "${second}", of key group \\d+: that key belongs to subtask 1\\.`));
  });

  it('still refuses an invalid key as the operator does', async () => {
    const h = await createHarness((s: DataStream<Ev>) => s.keyBy((e) => (e as unknown as { missing: Key }).missing).sum('v'), { parallelism: 2 });
    assert.throws(() => h.processElement({ id: 'a', v: 1 }), (error: unknown) => error instanceof StreamError && error.code === 'INVALID_KEY');
  });

  it('records where a snapshot was taken', async () => {
    const h = await createHarness(keyed, { parallelism: 4, subtask: 3, maxParallelism: 64 });
    const snapshot = await h.snapshot(7);
    assert.deepEqual([snapshot.checkpointId, snapshot.subtask, snapshot.parallelism, snapshot.maxParallelism], [7, 3, 4, 64]);
  });

  it('validates its options with a sentence', async () => {
    const refused = async (options: HarnessOptions, message: RegExp): Promise<void> => {
      await assert.rejects(createHarness(keyed, options), (error: unknown) => error instanceof RangeError && message.test(error.message));
    };
    await refused({ parallelism: 0 }, /parallelism must be a whole number from 1 to 128, got 0\./);
    await refused({ parallelism: 1.5 }, /parallelism must be a whole number from 1 to 128, got 1\.5\./);
    await refused({ parallelism: 16, maxParallelism: 8 }, /parallelism must be a whole number from 1 to 8, got 16\./);
    await refused({ parallelism: 3, subtask: 3 }, /subtask must be a whole number from 0 to 2, got 3\./);
    await refused({ subtask: -1 }, /subtask must be a whole number from 0 to 0, got -1\./);
    await refused({ maxParallelism: 0 }, /maxParallelism must be a whole number from 1 to 32768, got 0\./);
    await refused({ restoreFrom: [] }, /restoreFrom is an empty array/);

    const two = await Promise.all([0, 1].map((subtask) => createHarness(keyed, { parallelism: 2, subtask })));
    const [s0, s1] = await Promise.all(two.map((h) => h.snapshot(1)));
    const later = await two[1]!.snapshot(2);
    await refused({ restoreFrom: [s0!, later] }, /snapshots of checkpoints 1 and 2: give it the snapshots of one checkpoint\./);
    await refused({ restoreFrom: [s0!, s0!] }, /two snapshots of subtask 0 of 2/);
    await refused({ restoreFrom: [s0!, s1!], maxParallelism: 64 }, /taken at maxParallelism 128, but this harness has 64/);
    await refused({ restoreFrom: [s0!] }, /lacks the snapshot of subtask 1 of 2, which holds key groups 64\.\.127 that subtask 0 of 1 owns/);
    await refused({ restoreFrom: [s1!], parallelism: 3, subtask: 0 }, /lacks the snapshot of subtask 0 of 2, which holds key groups 0\.\.42 that subtask 0 of 3 owns/);
    const other = await (await createHarness(keyed, { parallelism: 3 })).snapshot(1);
    await refused({ restoreFrom: [s0!, other] }, /taken at parallelism 2 and 3: give it the snapshots of one run\./);
  });

  it('restores one subtask from its own snapshot alone, at the same parallelism', async () => {
    const h = await createHarness(keyed, { parallelism: 3, subtask: 1 });
    const key = keyOf(1, 3);
    h.processElement({ id: key, v: 1 });
    h.processElement({ id: key, v: 2 });
    const again = await createHarness(keyed, { parallelism: 3, subtask: 1, restoreFrom: await h.snapshot(1) });
    assert.equal(again.keyedStateKeys(), 1);
    again.processElement({ id: key, v: 3 });
    assert.deepEqual(again.values(), [{ id: key, v: 6 }]);
  });

  it("gives an operator's own state of old subtask j to new subtask j % parallelism", async () => {
    const store = { committed: [] as string[] };
    const build = (s: DataStream<Ev>): DataStream<Ev> => {
      s.sinkTo(transactionalSink(store));
      return s;
    };
    const old = await Promise.all([0, 1].map((subtask) => createHarness(build, { parallelism: 2, subtask })));
    old[0]!.processElement({ id: 'x', v: 1 });
    old[1]!.processElement({ id: 'y', v: 2 });
    old[1]!.processElement({ id: 'z', v: 3 });
    const snapshots = await Promise.all(old.map((h) => h.snapshot(5)));
    // Both crash before checkpoint 5's commits run; the restored subtasks commit them at start.
    const committedBy = async (parallelism: number, subtask: number): Promise<string[]> => {
      store.committed.length = 0;
      await createHarness(build, { parallelism, subtask, restoreFrom: snapshots });
      return [...store.committed];
    };
    assert.deepEqual(await committedBy(3, 0), ['0:1']);
    assert.deepEqual(await committedBy(3, 1), ['1:2,1:3']);
    assert.deepEqual(await committedBy(3, 2), []);
    assert.deepEqual(await committedBy(2, 1), ['1:2,1:3']);
    // At parallelism 1 the one subtask takes both old subtasks' own state: the sink commits both.
    assert.deepEqual((await committedBy(1, 0)).sort(), ['0:1', '1:2,1:3']);
  });
});
