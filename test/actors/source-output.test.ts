// The output a source reader writes to, with watermarks per split: until a per-split reader names
// its splits the subtask holds event time back; naming its first split must not let the subtask
// look idle for an instant (downstream would then run ahead of its records and drop them as late);
// a reader with no split at all makes the subtask idle.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { OperatorChain } from '../../src/actors/operator-chain.js';
import { createSourceOutput } from '../../src/actors/source-output.js';
import { WatermarkStrategy } from '../../src/index.js';
import { ProcessingTimeScheduler } from '../../src/time/processing-time-scheduler.js';

/** A chain that records what the source output sends downstream. */
function recordingChain(): { chain: OperatorChain; sent: string[] } {
  const sent: string[] = [];
  const chain = {
    inputs: [{ collect: (value: unknown, timestamp: number) => sent.push(`record ${String(value)}@${timestamp}`) }],
    emitWatermark: (timestamp: number) => sent.push(`watermark ${timestamp}`),
    emitWatermarkStatus: (idle: boolean) => sent.push(idle ? 'idle' : 'active'),
    collectSourceSide: () => undefined,
  };
  return { chain: chain as unknown as OperatorChain, sent };
}

describe('source output with watermarks per split', () => {
  it('a reader naming its splits one by one never marks the subtask idle, and the watermark is the minimum of its splits', () => {
    const { chain, sent } = recordingChain();
    let now = 0;
    const time = new ProcessingTimeScheduler(() => now);
    const output = createSourceOutput(chain, WatermarkStrategy.forMonotonousTimestamps(), true, time, 200);
    const p0 = output.createOutputForSplit('t-0');
    const p3 = output.createOutputForSplit('t-3');
    p0.collect('a', 5000);
    now = 200;
    time.fireDue();
    p3.collect('b', 1000);
    now = 400;
    time.fireDue();
    assert.deepEqual(sent, ['record a@5000', 'record b@1000', 'watermark 999'], 'no idle status; the watermark waits for both splits and is their minimum');
  });

  it('a reader with no split makes the subtask idle', () => {
    const { chain, sent } = recordingChain();
    const output = createSourceOutput(chain, WatermarkStrategy.forMonotonousTimestamps(), true, new ProcessingTimeScheduler(), 0);
    output.releaseOutputForSplit('');
    assert.deepEqual(sent, ['idle']);
  });
});
