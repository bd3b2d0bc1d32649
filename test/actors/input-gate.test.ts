// The input gate of an actor, on real rings in one thread: records keep their channel's input,
// the combined watermark is the minimum and only moves forward, idleness and the end of every
// channel are reported once, barriers are aligned (a channel behind its barrier is not read), and a
// watermark one channel holds back is logged once.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { BatchEncoder } from '../../src/actors/channels/batch-codec.js';
import { encodeControl } from '../../src/actors/channels/control-codec.js';
import { Doorbells } from '../../src/actors/channels/doorbell.js';
import { FrameKind } from '../../src/actors/channels/frame-kinds.js';
import { RingBuffer } from '../../src/actors/channels/ring-buffer.js';
import { InputGate, type GateElement } from '../../src/actors/input-gate.js';
import { lazyLogger, observeLogs, type LogRecord } from '../../src/core/log.js';
import type { ControlElement } from '../../src/core/stream-element.js';
import { STALL_WARNING_MS } from '../../src/time/watermark-stall.js';

interface Channel {
  ring: RingBuffer;
  send(element: ControlElement): void;
  records(...values: unknown[]): void;
}

/** A gate over `inputs.length` channels; channel i feeds head input `inputs[i]`. */
function gate(inputs: number[], clock: () => number = () => 0): { gate: InputGate; channels: Channel[] } {
  const bells = new Doorbells(Doorbells.allocate(inputs.length + 1));
  const encoder = new BatchEncoder();
  const channels = inputs.map((): Channel => {
    const ring = new RingBuffer(RingBuffer.allocate(4096));
    return {
      ring,
      send(element) {
        const frame = encodeControl(element);
        assert.ok(ring.tryWrite(frame.kind, frame.payload));
      },
      records(...values) {
        assert.ok(ring.tryWrite(FrameKind.DATA, encoder.encode(values, null, values.length)));
      },
    };
  });
  const specs = channels.map((c, i) => ({ ring: c.ring, producerActor: i + 1, inputIndex: inputs[i]!, producer: `producer ${i}` }));
  const log = lazyLogger({ operator: 'test', subtask: 0 });
  return { gate: new InputGate(specs, bells, clock, 'test', 'exactly-once', log), channels };
}

/** Everything the gate hands out until it has nothing more. */
function drain(g: InputGate): GateElement[] {
  const out: GateElement[] = [];
  for (let e = g.poll(); e !== null; e = g.poll()) out.push(e);
  return out;
}

test('records come with the input of their channel; the watermark is the minimum over channels and only grows', () => {
  const { gate: g, channels: [a, b] } = gate([0, 1]);
  a!.records('x', 'y');
  b!.records(7);
  assert.deepEqual(drain(g), [
    { kind: 'records', values: ['x', 'y'], timestamps: null, keyGroups: null, input: 0 },
    { kind: 'records', values: [7], timestamps: null, keyGroups: null, input: 1 },
  ]);
  a!.send({ kind: 'watermark', timestamp: 10 });
  assert.deepEqual(drain(g), [], 'the other channel still holds the watermark back');
  b!.send({ kind: 'watermark', timestamp: 5 });
  assert.deepEqual(drain(g), [{ kind: 'watermark', timestamp: 5 }]);
  b!.send({ kind: 'watermark', timestamp: 20 });
  b!.send({ kind: 'watermark', timestamp: 3 });
  assert.deepEqual(drain(g), [{ kind: 'watermark', timestamp: 10 }], 'a smaller watermark changes nothing');
});

test('an idle channel stops holding the watermark back; all idle is reported once, then active again', () => {
  const { gate: g, channels: [a, b] } = gate([0, 0]);
  a!.send({ kind: 'watermark', timestamp: 100 });
  b!.send({ kind: 'watermark-status', idle: true });
  assert.deepEqual(drain(g), [{ kind: 'watermark', timestamp: 100 }]);
  a!.send({ kind: 'watermark-status', idle: true });
  assert.deepEqual(drain(g), [{ kind: 'watermark-status', idle: true }]);
  a!.send({ kind: 'watermark-status', idle: false });
  assert.deepEqual(drain(g), [{ kind: 'watermark-status', idle: false }]);
});

test('the end comes once every channel ended, after the end of event time (an ended channel holds nothing back)', () => {
  const { gate: g, channels: [a, b] } = gate([0, 0]);
  a!.send({ kind: 'watermark', timestamp: 50 });
  a!.send({ kind: 'end-of-input' });
  assert.deepEqual(drain(g), []);
  assert.equal(g.isFinished, false);
  b!.send({ kind: 'watermark', timestamp: 10 });
  b!.send({ kind: 'end-of-input' });
  assert.deepEqual(drain(g), [
    { kind: 'watermark', timestamp: 10 },
    { kind: 'watermark', timestamp: Number.POSITIVE_INFINITY },
    { kind: 'end-of-input' },
  ]);
  assert.equal(g.isFinished, true);
});

test('exactly-once: a channel that delivered a barrier is blocked until every channel did; then the checkpoint comes, and the blocked records after it', () => {
  const { gate: g, channels: [a, b] } = gate([0, 0]);
  const barrier = { kind: 'barrier', checkpointId: 3, timestamp: 1000, unaligned: false } as const;
  a!.send(barrier);
  a!.records('after the barrier');
  b!.records('before the barrier');
  assert.deepEqual(g.poll(), { kind: 'records', values: ['before the barrier'], timestamps: null, keyGroups: null, input: 0 }, 'channel a is blocked behind its barrier');
  assert.equal(g.poll(), null);
  assert.equal(g.hasReadableInput(), false, 'only the blocked channel has a frame');
  b!.send(barrier);
  assert.deepEqual(drain(g), [
    { kind: 'checkpoint', barrier, alignmentMs: 0 },
    { kind: 'records', values: ['after the barrier'], timestamps: null, keyGroups: null, input: 0 },
  ]);
});

test('a checkpointing gate still reads ended channels for barriers; anything else after the end is an internal error', () => {
  const { gate: g, channels: [a] } = gate([0]);
  a!.send({ kind: 'end-of-input' });
  assert.deepEqual(drain(g), [{ kind: 'watermark', timestamp: Number.POSITIVE_INFINITY }, { kind: 'end-of-input' }]);
  const barrier = { kind: 'barrier', checkpointId: 9, timestamp: 5, unaligned: false } as const;
  a!.send(barrier);
  assert.deepEqual(drain(g), [{ kind: 'checkpoint', barrier, alignmentMs: 0 }]);
  a!.records('late');
  assert.throws(() => g.poll(), /came after the end of input/);
});

test('a watermark one input holds back while records arrive is logged once, as a warning with the operator, subtask and input', () => {
  let now = 0;
  const { gate: g, channels: [a] } = gate([0, 0], () => now);
  const records: LogRecord[] = [];
  const stop = observeLogs((record) => void records.push(record));
  try {
    a!.send({ kind: 'watermark', timestamp: 100 });
    a!.records('x');
    drain(g);
    g.watchEventTime();
    assert.equal(records.length, 0, 'not before the watermark stood still long enough');
    now = STALL_WARNING_MS;
    g.watchEventTime();
    g.watchEventTime();
  } finally {
    stop();
  }
  assert.equal(records.length, 1);
  const [warning] = records;
  assert.equal(warning!.level, 'warn');
  assert.equal(warning!.code, 'EDDY_WATERMARK_STALLED');
  assert.equal(warning!.operator, 'test');
  assert.equal(warning!.subtask, 0);
  assert.equal(warning!.input, 'producer 1');
  assert.match(warning!.msg, /^The watermark of "test" has not advanced for 10 s while records keep arriving: its input from producer 1 is at -Infinity while others moved on\./);
});
