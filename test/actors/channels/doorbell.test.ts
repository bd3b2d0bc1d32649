// Doorbells: sleeping returns when the awaited change is already there, wakes on a ring from
// another thread, honours timeouts, and loses no wake-up under 10k cross-thread ping-pongs.

import assert from 'node:assert/strict';
import { once } from 'node:events';
import { test } from 'node:test';
import { Worker } from 'node:worker_threads';
import { Doorbells } from '../../../src/actors/channels/doorbell.js';

const MAIN = 0;
const OTHER = 1;

function startWorker(fixture: string, workerData: unknown): Worker {
  return new Worker(new URL(`../../fixtures/${fixture}.js`, import.meta.url), { workerData });
}

test('allocate and the constructor validate their arguments', () => {
  assert.throws(() => Doorbells.allocate(0), RangeError);
  assert.throws(() => new Doorbells(new SharedArrayBuffer(12)), /Not a doorbell buffer/);
  const bells = new Doorbells(Doorbells.allocate(3));
  assert.equal(bells.actorCount, 3);
  assert.throws(() => bells.ring(3), { name: 'RangeError', message: /No doorbell for actor 3/ });
});

test('a change made and rung before sleep makes sleep return at once', async () => {
  const bells = new Doorbells(Doorbells.allocate(2));
  const inbox: string[] = [];
  inbox.push('frame');
  bells.ring(MAIN);
  for (const spin of [0, 20]) {
    const started = performance.now();
    await bells.sleep(MAIN, () => inbox.length === 0, spin);
    assert.ok(performance.now() - started < 50);
  }
});

test('stillIdle() returning false makes sleep return at once', async () => {
  const bells = new Doorbells(Doorbells.allocate(1));
  let checks = 0;
  const started = performance.now();
  await bells.sleep(MAIN, () => ++checks > 1, 0);
  assert.equal(checks, 1);
  assert.ok(performance.now() - started < 50);
});

test('sleep wakes when another thread rings', { timeout: 10_000 }, async (t) => {
  const doorbells = Doorbells.allocate(2);
  const counters = new SharedArrayBuffer(8);
  const bells = new Doorbells(doorbells);
  const cells = new Int32Array(counters);
  const worker = startWorker('doorbell-ringer', { doorbells, counters, actor: MAIN, delayMs: 50 });
  t.after(() => worker.terminate());
  const started = performance.now();
  while (Atomics.load(cells, 0) === 0) await bells.sleep(MAIN, () => Atomics.load(cells, 0) === 0, 20);
  assert.ok(performance.now() - started >= 40, 'it slept until the ring');
  await once(worker, 'exit');
});

test('sleep returns after timeoutMs when nobody rings', async () => {
  const bells = new Doorbells(Doorbells.allocate(1));
  const started = performance.now();
  await bells.sleep(MAIN, () => true, 0, 50);
  const elapsed = performance.now() - started;
  assert.ok(elapsed >= 45 && elapsed < 1000, `slept ${elapsed} ms`);
});

test('no wake-up is lost in 10k ping-pongs between two threads', { timeout: 20_000 }, async (t) => {
  const count = 10_000;
  const doorbells = Doorbells.allocate(2);
  const counters = new SharedArrayBuffer(8);
  const bells = new Doorbells(doorbells);
  const cells = new Int32Array(counters);
  const worker = startWorker('doorbell-echo', { doorbells, counters, count, self: OTHER, peer: MAIN });
  t.after(() => worker.terminate());
  let failure: unknown;
  worker.on('error', (error) => {
    failure = error;
    bells.ring(MAIN);
  });
  for (let ping = 1; ping <= count; ping++) {
    Atomics.store(cells, 0, ping);
    bells.ring(OTHER);
    const spin = ping % 3 === 0 ? 20 : 0;
    while (Atomics.load(cells, 1) < ping && failure === undefined) {
      await bells.sleep(MAIN, () => Atomics.load(cells, 1) < ping && failure === undefined, spin);
    }
    if (failure !== undefined) throw failure;
  }
  assert.equal(Atomics.load(cells, 1), count);
  await once(worker, 'exit');
});
