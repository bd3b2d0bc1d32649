// Embedding a job in the main thread: records pushed in (keyed straight to their subtask, or
// round robin), results read back with collectAsync, requests answered through reply(), and the
// life of such a job: backpressure, close, cancel and failures, at parallelism 1, 2 and 4.

import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { runJob, StreamError, type JobClient } from '../../src/index.js';
import { embedded, type Counted, type EmbeddedKind, type Tagged } from '../fixtures/embedded.js';
import { fixtureUrl, PARALLELISMS } from '../harness/run-fixture.js';

function start(kind: EmbeddedKind, parallelism: number): Promise<JobClient> {
  return runJob(fixtureUrl('embedded'), { parallelism, args: { kind }, jobName: kind });
}

async function readAll<T>(results: AsyncIterable<unknown>): Promise<T[]> {
  const all: T[] = [];
  for await (const r of results) all.push(r as T);
  return all;
}

/** Pushes `count` records over `keys` keys, awaiting room whenever push asks to. */
async function pushTagged(count: number, keys: number): Promise<void> {
  for (let seq = 0; seq < count; seq++) {
    const room = embedded.push!.push({ key: `k${seq % keys}`, seq });
    if (room !== undefined) await room;
  }
}

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

describe('embedding: fromPush and collectAsync', () => {
  /** Asserts that each key's results come in push order with counts 1, 2, 3 ...; returns the keys seen. */
  function assertOrderPerKey(results: readonly Counted[]): number {
    const last = new Map<string, Counted>();
    for (const r of results) {
      const before = last.get(r.key);
      if (before !== undefined) assert.ok(r.seq > before.seq && r.count === before.count + 1, `key ${r.key}: ${JSON.stringify(before)} then ${JSON.stringify(r)}`);
      else assert.equal(r.count, 1);
      last.set(r.key, r);
    }
    return last.size;
  }

  /** Pushes 20 000 records over 37 keys into job `kind`, drains it, and checks every key's order. */
  async function pushAndCheckOrder(kind: EmbeddedKind, p: number): Promise<void> {
    const job = await start(kind, p);
    const reading = readAll<Counted>(embedded.results!);
    const firsts = embedded.second === undefined ? undefined : readAll<Counted>(embedded.second);
    await pushTagged(20_000, 37);
    await embedded.push!.close();
    await job.result;
    const results = await reading;
    assert.equal(results.length, 20_000);
    assert.equal(assertOrderPerKey(results), 37);
    if (firsts !== undefined) assert.equal((await firsts).length, 37, 'a second collectAsync of the job reads its own stream');
  }

  for (const p of PARALLELISMS) {
    it(`keeps each key's records in push order through a keyBy after an unkeyed push source, at parallelism ${p}`, () => pushAndCheckOrder('push-then-key', p));

    it(`keeps each key's records in order, counted by keyed state, at parallelism ${p}`, () => pushAndCheckOrder('keyed-count', p));

    it(`spreads records round robin and loses none, at parallelism ${p}`, async () => {
      const job = await start('rebalanced', p);
      const reading = readAll<Counted>(embedded.results!);
      await embedded.push!.pushAll((function* () {
        for (let seq = 0; seq < 5000; seq++) yield { key: `k${seq % 7}`, seq };
      })());
      await embedded.push!.close();
      const result = await job.result;
      const seqs = (await reading).map((r) => r.seq).sort((a, b) => a - b);
      assert.deepEqual(seqs, Array.from({ length: 5000 }, (_, i) => i));
      const source = result.metrics.filter((m) => m.name === 'tagged');
      assert.equal(source.length, p);
      if (p > 1) assert.ok(source.every((m) => m.recordsOut > 0), 'every subtask got records');
    });
  }

  it('gives event time to pushed records: windows fire on their timestamps', async () => {
    const job = await start('event-time', 2);
    const reading = readAll<Tagged>(embedded.results!);
    for (let i = 0; i < 30; i++) void embedded.push!.push({ key: `k${i % 3}`, seq: i }, i * 1000);
    await embedded.push!.close();
    await job.result;
    const sums = (await reading).map((r) => `${r.key}:${r.seq}`).sort();
    // Windows [0, 10 s), [10 s, 20 s), [20 s, 30 s) of each key: sums of its seqs.
    const expected: string[] = [];
    for (let w = 0; w < 3; w++) for (let k = 0; k < 3; k++) {
      let sum = 0;
      for (let i = w * 10; i < w * 10 + 10; i++) if (i % 3 === k) sum += i;
      expected.push(`k${k}:${sum}`);
    }
    assert.deepEqual(sums, expected.sort());
  });

  it('bounds what a reader that never reads makes the job hold: push waits, nothing is lost', async () => {
    const job = await start('slow-sink', 2);
    let accepted = 0;
    let stuck: Promise<void> | undefined;
    while (stuck === undefined && accepted < 2_000_000) {
      const room = embedded.push!.push({ key: 'k', seq: accepted++ });
      if (room === undefined) continue;
      // Room comes back while the job drains what it took; once it is full, none comes.
      if ((await Promise.race([room.then(() => 'room'), sleep(300).then(() => 'full')])) === 'full') stuck = room;
    }
    assert.ok(stuck !== undefined, 'push asked the caller to wait, and no room came while nobody read');
    // What the job holds is its rings (a source and a sink ring per subtask, 512 KiB each at most;
    // these records take ~12 bytes in a batch), a batch in flight and 4096 records read ahead.
    assert.ok(accepted < 250_000, `push went on taking records: ${accepted}`);
    const reading = readAll<Tagged>(embedded.results!);
    await stuck;
    await embedded.push!.close();
    await job.result;
    assert.equal((await reading).length, accepted);
  });

  it('refuses a caller that ignores the promise push returned', async () => {
    const job = await start('slow-sink', 1);
    let refused: unknown;
    let taken = 0;
    try {
      for (; taken < 1_000_000; taken++) void embedded.push!.push({ key: 'k', seq: taken });
    } catch (error) {
      refused = error;
    }
    assert.ok(refused instanceof StreamError && /without|none of it was awaited/.test(refused.message), String(refused));
    const reading = readAll<Tagged>(embedded.results!);
    await embedded.push!.close();
    await job.result;
    assert.equal((await reading).length, taken, 'every record push took arrives; the refused one was not taken');
  });

  it('refuses a record that cannot cross threads, at the push that sent it', async () => {
    const job = await start('rebalanced', 2);
    const reading = readAll<Counted>(embedded.results!);
    assert.throws(() => embedded.push!.push({ key: 'k', seq: 1, fn: () => 1 } as unknown as Tagged), /record\.fn is a function/);
    void embedded.push!.push({ key: 'k', seq: 2 });
    await embedded.push!.close();
    await job.result;
    assert.deepEqual((await reading).map((r) => r.seq), [2]);
  });

  it('cancel stops the job: readers end, pushes are refused', async () => {
    const job = await start('keyed-count', 2);
    const reading = readAll<Counted>(embedded.results!);
    await pushTagged(1000, 5);
    await job.cancel();
    await assert.rejects(job.result, (e: unknown) => e instanceof StreamError && e.code === 'JOB_CANCELLED');
    assert.ok((await reading).length <= 1000);
    assert.throws(() => embedded.push!.push({ key: 'k', seq: 0 }), /ended/);
  });

  it('a failure reaches the reader, the pusher and waiting requests, naming the operator', async () => {
    const job = await start('failing', 2);
    const reading = readAll<Tagged>(embedded.results!);
    const answered = await embedded.ask!.request({ key: 'a', seq: 1 });
    assert.equal(answered?.seq, 1);
    await pushTagged(100, 3);
    const named = (e: unknown): boolean => e instanceof StreamError && /Unlucky Map/.test(e.message) && /thirteen is unlucky/.test(e.message);
    await assert.rejects(job.result, named);
    await assert.rejects(reading, named);
    await assert.rejects(embedded.ask!.request({ key: 'a', seq: 2 }), named);
    assert.throws(() => embedded.push!.push({ key: 'k', seq: 0 }), named);
  });

  it('leaves no worker, timer or port behind once an embedded job ended', async () => {
    const job = await start('keyed-count', 2);
    const reading = readAll<Counted>(embedded.results!);
    await pushTagged(100, 3);
    await embedded.push!.close();
    await job.result;
    await reading;
    await new Promise((resolve) => setImmediate(resolve));
    const left = process.getActiveResourcesInfo().filter((r) => r === 'Timeout' || r === 'MessagePort' || r === 'Worker');
    assert.deepEqual(left, []);
  });

  it('restarts from its checkpoint after a failure: pushes go on, requests after it are answered from the restored state', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'eddy-embedded-restart-'));
    try {
      const job = await runJob(fixtureUrl('embedded'), { parallelism: 2, args: { kind: 'restarting', dir }, jobName: 'restarting' });
      const reading = readAll<Tagged>(embedded.results!);
      const before = await embedded.ask!.request({ key: 'a', seq: 0 });
      assert.equal(before?.count, 1);
      await sleep(400); // a checkpoint holds the count of 'a'
      for (let seq = 0; seq < 2000; seq++) {
        const room = embedded.push!.push({ key: `k${seq % 5}`, seq });
        if (room !== undefined) await room;
        if (seq % 100 === 99) await sleep(20);
      }
      let after: Counted | undefined;
      // A request the failing deployment took rejects; once the job runs again they are answered.
      for (;;) {
        try {
          after = await embedded.ask!.request({ key: 'a', seq: 1 });
          break;
        } catch (error) {
          assert.ok(error instanceof StreamError && /failing once/.test(error.message), String(error));
          await sleep(20);
        }
      }
      assert.equal(after?.count, 2, "the restored state still counts 'a''s first request");
      await embedded.push!.close();
      await embedded.ask!.close();
      const result = await job.result;
      assert.equal(result.restarts, 1);
      const seqs = new Set((await reading).map((r) => r.seq));
      assert.ok(seqs.has(1999), 'records pushed after the restart arrive');
      assert.ok(!seqs.has(500) || seqs.size <= 2000);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('a push made while the job is built runs once, in the main thread only', async () => {
    const job = await start('push-at-build', 2);
    const reading = readAll<Tagged>(embedded.results!);
    await embedded.push!.close();
    await job.result;
    assert.deepEqual(await reading, [{ key: 'built', seq: 0 }]);
  });
});

describe('embedding: fromRequests and reply', () => {
  for (const p of PARALLELISMS) {
    it(`answers each request from its key's state, undefined when filtered out, at parallelism ${p}`, async () => {
      const job = await start('requests', p);
      const asks = Array.from({ length: 3000 }, (_, seq) => embedded.ask!.request({ key: `k${seq % 11}`, seq }));
      const replies = await Promise.all(asks);
      const counts = new Map<string, number>();
      replies.forEach((reply, seq) => {
        const key = `k${seq % 11}`;
        const count = (counts.get(key) ?? 0) + 1;
        counts.set(key, count);
        if (seq % 10 === 7) assert.equal(reply, undefined, `request ${seq} was filtered out`);
        else assert.deepEqual(reply, { key, seq, count });
      });
      await embedded.ask!.close();
      await job.result;
    });
  }

  it('refuses a reply() that is not in the request\'s own subtask, saying how to fix it', async () => {
    await assert.rejects(start('unchained-reply', 2), (e: unknown) => e instanceof StreamError && e.code === 'INVALID_GRAPH' && /fromRequests\(name, \{ keyBy \}\)/.test(e.message));
  });
});
