// Channel memory: rings are sized within a job-wide budget, halving down to a minimum as channels
// grow with the square of the parallelism; a job that cannot fit is refused before any worker
// starts, with a sentence saying what to change; a large-parallelism job stays within its budget.

import assert from 'node:assert/strict';
import { availableParallelism } from 'node:os';
import { describe, it } from 'node:test';
import { StreamError, StreamExecutionEnvironment } from '../../src/index.js';
import { DEFAULT_CHANNEL_MEMORY, MAX_RING_BYTES, MIN_RING_BYTES, sizeChannels } from '../../src/runtime/channel-memory.js';
import { runFixture } from '../harness/run-fixture.js';
import { warningsDuring } from '../harness/logs.js';

const MIB = 1024 * 1024;

describe('channel memory', () => {
  it('gives each channel the largest power-of-two ring up to 512 KiB that fits the budget', () => {
    assert.equal(sizeChannels(4, DEFAULT_CHANNEL_MEMORY, 2).bytesPerChannel, MAX_RING_BYTES);
    assert.equal(sizeChannels(512, DEFAULT_CHANNEL_MEMORY, 16).bytesPerChannel, MAX_RING_BYTES, '256 MiB hold 512 full rings');
    assert.equal(sizeChannels(513, DEFAULT_CHANNEL_MEMORY, 16).bytesPerChannel, MAX_RING_BYTES / 2);
    const many = sizeChannels(64 * 64, DEFAULT_CHANNEL_MEMORY, 64);
    assert.equal(many.bytesPerChannel, MIN_RING_BYTES);
    assert.ok(many.totalBytes <= DEFAULT_CHANNEL_MEMORY);
  });

  it('refuses channels that cannot get their minimum, saying how many, how much, and what to change', () => {
    assert.throws(
      () => sizeChannels(300 * 300, DEFAULT_CHANNEL_MEMORY, 300),
      (error: unknown) =>
        error instanceof StreamError &&
        error.code === 'INVALID_GRAPH' &&
        /needs 90000 channels/.test(error.message) &&
        /5625 MiB in all, more than the channel memory budget of 256 MiB/.test(error.message) &&
        /Lower the parallelism .* or raise the budget with env\.setChannelMemory\(bytes\)/.test(error.message),
    );
  });

  it('env.setChannelMemory takes whole bytes from 64 KiB up', () => {
    const env = StreamExecutionEnvironment.getExecutionEnvironment();
    assert.equal(env.getChannelMemory(), DEFAULT_CHANNEL_MEMORY);
    assert.equal(env.setChannelMemory(64 * MIB).getChannelMemory(), 64 * MIB);
    for (const bad of [0, 1000, 1.5 * MIB + 0.5, Number.NaN]) assert.throws(() => env.setChannelMemory(bad), /expected a whole number of bytes of at least 65536/);
  });

  it('a keyed job at parallelism 300 is refused before it runs, and quickly', async () => {
    const started = performance.now();
    await assert.rejects(runFixture('parallel-keyed-sum', 300, { count: 1000, keys: 10 }), /channel memory budget of 256 MiB/);
    assert.ok(performance.now() - started < 5000, `refused after ${performance.now() - started} ms`);
  });

  it('a keyed job at parallelism 16 in 32 MiB gets smaller rings, stays within the budget and computes the same sums', async () => {
    const args = { count: 20_000, keys: 100 };
    const { result: small, warnings } = await warningsDuring('EDDY_PARALLELISM_ABOVE_CORES', () => runFixture('parallel-keyed-sum', 16, { ...args, channelMemory: 32 * MIB }));
    if (availableParallelism() * 4 < 16) assert.match(warnings.join('\n'), /The job runs at parallelism 16 on \d+ cores/);
    assert.equal(small.channelMemory.channels, 16 * 16);
    assert.equal(small.channelMemory.bytesPerChannel, 128 * 1024);
    assert.ok(small.channelMemory.totalBytes <= 32 * MIB);
    const roomy = await runFixture('parallel-keyed-sum', 2, args);
    assert.equal(roomy.channelMemory.bytesPerChannel, MAX_RING_BYTES);
    // Rolling sums interleave differently per run; each key's final sum is the same.
    const finalSums = (result: typeof small): Map<number, number> => {
      const sums = new Map<number, number>();
      for (const { key, value } of result.collected[0] as { key: number; value: number }[]) sums.set(key, Math.max(value, sums.get(key) ?? 0));
      return sums;
    };
    assert.deepEqual(finalSums(small), finalSums(roomy));
    assert.equal(finalSums(small).size, 100);
  });
});
