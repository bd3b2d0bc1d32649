// The SPSC ring: framing, PAD and wraparound, u32 counters past 4 GiB, and real cross-thread
// traffic (a worker producing or consuming a seeded frame sequence through a tiny ring).

import assert from 'node:assert/strict';
import { once } from 'node:events';
import { test } from 'node:test';
import { Worker } from 'node:worker_threads';
import { Doorbells } from '../../../src/actors/channels/doorbell.js';
import { RingBuffer } from '../../../src/actors/channels/ring-buffer.js';
import { FRAME_HEADER_BYTES, RING_HEADER_BYTES, RING_WRITE_POSITION } from '../../../src/actors/channels/slots.js';
import { StreamError } from '../../../src/core/errors.js';
import {
  checkFrame,
  fillFrame,
  FrameSequence,
  produceFrame,
  type FrameSpec,
  type RingFixtureData,
} from '../../fixtures/ring-frames.js';

const PRODUCER = 0;
const CONSUMER = 1;

function ring(capacity = 4096, startPosition = 0): RingBuffer {
  return new RingBuffer(RingBuffer.allocate(capacity, startPosition));
}

function bytes(length: number, fill: number): Uint8Array {
  return new Uint8Array(length).fill(fill);
}

/** Reads one frame, checks it against `spec` and releases it. */
function readExpecting(r: RingBuffer, spec: FrameSpec): void {
  const frame = r.tryRead();
  assert.ok(frame !== null, `frame ${spec.index} missing`);
  assert.equal(checkFrame(frame.kind, frame.payload, spec), null);
  r.release();
}

test('allocate rejects capacities that are not powers of two from 4096', () => {
  for (const bad of [0, 1000, 4095, 6000, 2 ** 31, 4096.5, Number.NaN]) {
    assert.throws(() => RingBuffer.allocate(bad), { name: 'RangeError', message: /power of two from 4096/ });
  }
  assert.throws(() => RingBuffer.allocate(4096, 3), RangeError);
  assert.throws(() => new RingBuffer(new SharedArrayBuffer(5000)), /Not a ring buffer/);
});

test('an empty ring reads nothing', () => {
  const r = ring();
  assert.equal(r.isEmpty(), true);
  assert.equal(r.usedBytes(), 0);
  assert.equal(r.tryRead(), null);
  assert.equal(r.maxPayload, 4096 / 2 - 8);
});

test('a frame reads back as a view into the ring until released', () => {
  const r = ring();
  assert.equal(r.tryWrite(5, bytes(13, 9)), true);
  assert.equal(r.isEmpty(), false);
  assert.equal(r.usedBytes(), 8 + 16);
  const frame = r.tryRead()!;
  assert.equal(frame.kind, 5);
  assert.deepEqual(frame.payload, bytes(13, 9));
  assert.ok(frame.payload.buffer instanceof SharedArrayBuffer);
  assert.deepEqual(r.tryRead(), frame, 'reading again before release returns the same frame');
  assert.equal(r.isEmpty(), false, 'an unreleased frame still occupies the ring');
  r.release();
  assert.equal(r.isEmpty(), true);
  assert.equal(r.tryRead(), null);
});

test('a full ring refuses writes until the consumer releases', () => {
  const r = ring();
  let written = 0;
  while (r.tryWrite(1, bytes(1000, written))) written++;
  assert.equal(written, 4, '4 frames of 1008 bytes fit in 4096');
  assert.equal(r.tryReserve(1, 1000), null);
  const frame = r.tryRead()!;
  assert.equal(frame.payload[0], 0);
  r.release();
  assert.equal(r.tryWrite(1, bytes(1000, 9)), true);
});

test('a frame that does not fit before the end wraps behind a PAD frame', () => {
  const r = ring();
  for (const length of [1992, 2040]) {
    assert.ok(r.tryWrite(2, bytes(length, 1)));
    r.tryRead();
    r.release();
  }
  // The write offset is now 4048: 48 bytes remain, too few for a 108-byte frame.
  assert.ok(r.tryWrite(3, bytes(100, 7)));
  assert.equal(r.usedBytes(), 48 + 8 + 104, 'PAD of the 48-byte tail plus the frame');
  const frame = r.tryRead()!;
  assert.equal(frame.kind, 3);
  assert.deepEqual(frame.payload, bytes(100, 7));
  assert.equal(frame.payload.byteOffset, RING_HEADER_BYTES + FRAME_HEADER_BYTES, 'the frame starts the data region');
  r.release();
  assert.equal(r.isEmpty(), true);
});

test('frames of every size from 0 to maxPayload go through in order, across wraparounds', () => {
  const r = ring(8192);
  const sizes = [0, 1, 7, 8, 9, 63, 64, 65, 1000, r.maxPayload - 1, r.maxPayload];
  const frames = new FrameSequence(11, r.maxPayload);
  let pending: FrameSpec[] = [];
  for (let i = 0; i < 3000; i++) {
    const spec = { ...frames.next(), length: i % 3 === 0 ? sizes[i % sizes.length]! : (i * 37) % r.maxPayload };
    const view = r.tryReserve(spec.kind, spec.length);
    if (view === null) {
      for (const queued of pending) readExpecting(r, queued);
      pending = [];
      i--;
      continue;
    }
    fillFrame(view, spec);
    r.commit();
    pending.push(spec);
  }
  for (const queued of pending) readExpecting(r, queued);
  assert.equal(r.isEmpty(), true);
  assert.throws(() => r.tryWrite(1, new Uint8Array(r.maxPayload + 1)), { name: 'RangeError', message: /does not fit/ });
});

test('the u32 position counters wrap past 2^32 without losing a byte', () => {
  const start = 2 ** 32 - 3 * 4096 + 40;
  const sab = RingBuffer.allocate(4096, start);
  const r = new RingBuffer(sab);
  const frames = new FrameSequence(3, 1000);
  const check = new FrameSequence(3, 1000);
  for (let traffic = 0; traffic < 8 * 4096; ) {
    const spec = frames.next();
    const payload = new Uint8Array(spec.length);
    fillFrame(payload, spec);
    assert.ok(r.tryWrite(spec.kind, payload));
    if (spec.index % 2 === 1) {
      readExpecting(r, check.next());
      readExpecting(r, check.next());
    }
    traffic += 8 + spec.length;
  }
  if (r.tryRead() !== null) readExpecting(r, check.next());
  assert.ok(new Int32Array(sab)[RING_WRITE_POSITION]! >>> 0 < start, 'the write position wrapped past 2^32');
  assert.equal(r.isEmpty(), true);
});

test('reservations publish only on commit, possibly shorter than reserved', () => {
  const r = ring();
  const view = r.tryReserve(4, 100)!;
  view.fill(3);
  assert.equal(r.tryRead(), null, 'nothing is visible before commit');
  r.commit(10);
  const frame = r.tryRead()!;
  assert.deepEqual(frame.payload, bytes(10, 3));
  r.release();
  assert.equal(r.isEmpty(), true);
  assert.throws(() => r.commit(), (e) => e instanceof StreamError && e.code === 'INTERNAL');
  assert.throws(() => r.release(), (e) => e instanceof StreamError && e.code === 'INTERNAL');
  assert.throws(() => r.tryWrite(0, bytes(1, 0)), { name: 'RangeError', message: /PAD/ });
  r.tryReserve(1, 8);
  assert.throws(() => r.commit(9), RangeError);
});

function startWorker(fixture: string, workerData: RingFixtureData): Worker {
  return new Worker(new URL(`../../fixtures/${fixture}.js`, import.meta.url), { workerData });
}

function fixtureData(count: number, extra: Partial<RingFixtureData> = {}): RingFixtureData {
  return {
    ring: RingBuffer.allocate(16 * 1024),
    doorbells: Doorbells.allocate(2),
    producerActor: PRODUCER,
    consumerActor: CONSUMER,
    seed: 20240607,
    count,
    maxLength: 4000,
    ...extra,
  };
}

test('a worker producing 200k frames into a 16 KiB ring: every byte arrives in order', { timeout: 20_000 }, async (t) => {
  const data = fixtureData(200_000);
  const r = new RingBuffer(data.ring);
  const bells = new Doorbells(data.doorbells);
  const worker = startWorker('ring-producer', data);
  t.after(() => worker.terminate());
  let failure: unknown;
  worker.on('error', (error) => {
    failure = error;
    bells.ring(CONSUMER);
  });
  const expected = new FrameSequence(data.seed, data.maxLength);
  for (let received = 0; received < data.count; ) {
    if (failure !== undefined) throw failure;
    const frame = r.tryRead();
    if (frame === null) {
      await bells.sleep(CONSUMER, () => r.isEmpty() && failure === undefined, 20);
      continue;
    }
    const problem = checkFrame(frame.kind, frame.payload, expected.next());
    if (problem !== null) assert.fail(problem);
    r.release();
    bells.ring(PRODUCER);
    received++;
  }
  assert.equal(r.isEmpty(), true);
});

test('a worker consuming 200k frames from a 16 KiB ring: every byte arrives in order', { timeout: 20_000 }, async (t) => {
  const data = fixtureData(200_000);
  const r = new RingBuffer(data.ring);
  const bells = new Doorbells(data.doorbells);
  const worker = startWorker('ring-consumer', data);
  t.after(() => worker.terminate());
  const result = once(worker, 'message');
  const frames = new FrameSequence(data.seed, data.maxLength);
  for (let i = 0; i < data.count; i++) await produceFrame(r, bells, data, frames.next());
  const [message] = (await result) as [{ frames: number; error: string | null }];
  assert.deepEqual(message, { frames: data.count, error: null });
});

test('a producer sleeping on a full ring wakes when the consumer releases', { timeout: 10_000 }, async (t) => {
  const data = fixtureData(0, { startDelayMs: 50, maxLength: 1000 });
  const r = new RingBuffer(data.ring);
  const bells = new Doorbells(data.doorbells);
  const frames = new FrameSequence(data.seed, data.maxLength);
  let written = 0;
  for (;;) {
    const spec = frames.next();
    const view = r.tryReserve(spec.kind, spec.length);
    if (view === null) break;
    fillFrame(view, spec);
    r.commit();
    written++;
  }
  data.count = written + 1;
  const worker = startWorker('ring-consumer', data);
  t.after(() => worker.terminate());
  const result = once(worker, 'message');
  // Re-create the frame that did not fit and wait for room, without spinning.
  const replay = new FrameSequence(data.seed, data.maxLength);
  for (let i = 0; i < written; i++) replay.next();
  const last = replay.next();
  const payload = new Uint8Array(last.length);
  fillFrame(payload, last);
  const started = performance.now();
  let sent = r.tryWrite(last.kind, payload);
  assert.equal(sent, false, 'the ring is full');
  while (!sent) await bells.sleep(PRODUCER, () => !(sent = r.tryWrite(last.kind, payload)), 0);
  assert.ok(performance.now() - started >= 30, 'the producer waited for the consumer');
  bells.ring(CONSUMER);
  const [message] = (await result) as [{ frames: number; error: string | null }];
  assert.deepEqual(message, { frames: data.count, error: null });
});
