// The barrier aligner's state machine: exactly-once blocks each channel that delivered barrier n
// until every channel did; at-least-once never blocks; stale barriers are ignored; a newer
// barrier or an abort abandons the alignment and unblocks.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { BarrierAligner, type CheckpointingMode } from '../../src/checkpoint/barrier-aligner.js';
import type { CheckpointBarrier } from '../../src/core/stream-element.js';

function barrier(checkpointId: number): CheckpointBarrier {
  return { kind: 'barrier', checkpointId, timestamp: 1000 * checkpointId, unaligned: false };
}

/** An aligner over `channels` channels that records what it does to them. */
function aligner(channels: number, mode: CheckpointingMode = 'exactly-once'): { aligner: BarrierAligner; log: string[]; blocked: Set<number> } {
  const log: string[] = [];
  const blocked = new Set<number>();
  const inputs = {
    block(channel: number) {
      blocked.add(channel);
      log.push(`block ${channel}`);
    },
    unblockAll() {
      blocked.clear();
      log.push('unblock');
    },
  };
  return { aligner: new BarrierAligner(channels, mode, inputs), log, blocked };
}

describe('barrier aligner', () => {
  it('exactly-once: blocks each channel that delivered the barrier, snapshots when the last did, then unblocks', () => {
    const { aligner: a, log, blocked } = aligner(3);
    assert.equal(a.onBarrier(1, barrier(1), 10), undefined);
    assert.deepEqual([...blocked], [1]);
    assert.equal(a.pending, 1);
    assert.equal(a.onBarrier(0, barrier(1), 15), undefined);
    assert.deepEqual([...blocked].sort(), [0, 1]);
    assert.deepEqual(a.onBarrier(2, barrier(1), 40), { barrier: barrier(1), alignmentMs: 30 });
    assert.deepEqual(log, ['block 1', 'block 0', 'unblock'], 'the last channel is not blocked: the snapshot comes first');
    assert.equal(blocked.size, 0);
    assert.equal(a.pending, undefined);
  });

  it('at-least-once: counts the barriers, never blocks', () => {
    const { aligner: a, log } = aligner(2, 'at-least-once');
    assert.equal(a.onBarrier(0, barrier(4), 0), undefined);
    assert.deepEqual(a.onBarrier(1, barrier(4), 5), { barrier: barrier(4), alignmentMs: 5 });
    assert.deepEqual(log, []);
  });

  it('a single channel aligns at once; a second barrier from the same channel counts once', () => {
    const one = aligner(1);
    assert.deepEqual(one.aligner.onBarrier(0, barrier(1), 7), { barrier: barrier(1), alignmentMs: 0 });
    const two = aligner(2);
    two.aligner.onBarrier(0, barrier(1), 0);
    assert.equal(two.aligner.onBarrier(0, barrier(1), 1), undefined);
    assert.deepEqual(two.aligner.onBarrier(1, barrier(1), 2), { barrier: barrier(1), alignmentMs: 2 });
  });

  it('stale barriers are ignored: of a completed checkpoint, or older than the one aligning', () => {
    const { aligner: a, log } = aligner(2);
    a.onBarrier(0, barrier(1), 0);
    a.onBarrier(1, barrier(1), 1);
    assert.equal(a.onBarrier(0, barrier(1), 2), undefined, 'checkpoint 1 is done');
    a.onBarrier(1, barrier(3), 3);
    assert.equal(a.onBarrier(0, barrier(2), 4), undefined, 'older than 3');
    assert.equal(a.pending, 3);
    assert.deepEqual(log, ['block 0', 'unblock', 'block 1']);
  });

  it('a newer barrier abandons the alignment in progress, unblocks, and starts its own', () => {
    const { aligner: a, log, blocked } = aligner(3);
    a.onBarrier(0, barrier(5), 0);
    a.onBarrier(1, barrier(6), 100);
    assert.equal(a.pending, 6);
    assert.deepEqual([...blocked], [1]);
    a.onBarrier(0, barrier(6), 120);
    assert.deepEqual(a.onBarrier(2, barrier(6), 130), { barrier: barrier(6), alignmentMs: 30 });
    assert.equal(a.onBarrier(2, barrier(5), 131), undefined, 'the abandoned checkpoint stays abandoned');
    assert.deepEqual(log, ['block 0', 'unblock', 'block 1', 'block 0', 'unblock']);
  });

  it('an abort releases the channels; barriers of the aborted checkpoint that come later are ignored', () => {
    const { aligner: a, blocked } = aligner(2);
    a.onBarrier(0, barrier(7), 0);
    a.abort(7);
    assert.equal(blocked.size, 0);
    assert.equal(a.pending, undefined);
    assert.equal(a.onBarrier(1, barrier(7), 5), undefined);
    a.abort(9);
    assert.equal(a.onBarrier(0, barrier(9), 6), undefined, 'aborted before it arrived');
    assert.deepEqual(a.onBarrier(0, barrier(10), 7) === undefined && a.onBarrier(1, barrier(10), 8)?.barrier, barrier(10));
  });
});
