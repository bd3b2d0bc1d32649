// Latency mode of the Nexmark runner (bench/nexmark/latency.ts): the shared histogram's buckets and
// percentiles, the paced source's schedule, and the seed job and q5 run paced and measured, whose
// output must equal the unpaced job's on the same events.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { PacedSource } from '../../bench/utils/paced-source.js';
import { runNexmark } from '../../bench/nexmark/run.js';
import { bucketOf, MAX_TRACKED_MICROS, SharedHistogram, valueOf } from '../../bench/utils/shared-histogram.js';
import { runJob } from '../../src/index.js';

describe('SharedHistogram', () => {
  it('keeps values below 2048 µs exact and larger ones within 0.1 %, in order', () => {
    let previous = -1;
    for (let v = 0; v <= MAX_TRACKED_MICROS; v = v < 5000 ? v + 1 : Math.ceil(v * 1.0007)) {
      const bucket = bucketOf(v);
      assert.ok(bucket >= previous, `bucket of ${v} went down`);
      previous = bucket;
      const back = valueOf(bucket);
      if (v < 2048) assert.equal(back, v);
      else assert.ok(Math.abs(back - v) / v <= 0.001, `${v} came back as ${back}`);
    }
  });

  it('gives the percentiles of the recorded samples, from any thread holding the buffer', () => {
    const buffer = SharedHistogram.allocate();
    const a = new SharedHistogram(buffer);
    const b = new SharedHistogram(buffer);
    for (let us = 1; us <= 10_000; us++) (us % 2 === 0 ? a : b).record(us);
    b.record(1e9); // clamped, not lost
    const hdr = a.toHdr();
    assert.equal(hdr.totalCount, 10_001);
    assert.ok(Math.abs(hdr.getValueAtPercentile(50) - 5000) <= 5);
    assert.ok(Math.abs(hdr.getValueAtPercentile(99) - 9900) <= 10);
    assert.ok(Math.abs(hdr.maxValue - MAX_TRACKED_MICROS) / MAX_TRACKED_MICROS <= 0.001);
  });

  it('refuses a buffer it did not allocate', () => {
    assert.throws(() => new SharedHistogram(new SharedArrayBuffer(64)), /SharedHistogram\.allocate/);
  });
});

describe('PacedSource', () => {
  it('emits every record once, at the rate limit over all subtasks, stamped at emission', async () => {
    const started = performance.timeOrigin + performance.now();
    const client = await runJob(new URL('../fixtures/paced.js', import.meta.url), { parallelism: 2, args: { count: 400, rateLimit: 1000 } });
    const records = (await client.result).collected[0] as { n: number; stamp: number }[];
    assert.deepEqual(
      records.map((r) => r.n).sort((x, y) => x - y),
      Array.from({ length: 400 }, (_, n) => n),
    );
    const stamps = records.map((r) => r.stamp).sort((x, y) => x - y);
    assert.ok(stamps[0]! >= started);
    // 200 records per subtask, 2 ms apart: the last is due 398 ms after the first.
    const span = stamps.at(-1)! - stamps[0]!;
    assert.ok(span >= 390, `400 records at 1000/s took only ${span} ms`);
  });

  it('rejects a rate limit that is not a positive number', () => {
    assert.throws(() => new PacedSource(10, 0, (n) => n), /rateLimit must be a positive number/);
  });
});

describe('latency mode', () => {
  const latency = { rateLimit: 4000, seconds: 1.5, warmupSeconds: 0.5 };

  for (const [query, parallelism] of [
    ['seed', 1],
    ['q5', 2],
  ] as const) {
    it(`${query}: measures ages at the window operator and computes what the unpaced job computes`, async () => {
      const paced = await runNexmark({ query, events: 0, parallelism, latency, collect: true });
      const plain = await runNexmark({ query, events: 6000, rate: latency.rateLimit, parallelism, collect: true });
      assert.equal(paced.report.events, 6000);
      assert.deepEqual(paced.lines, plain.lines);
      const { samples, p50us, p99us, maxUs } = paced.report;
      // Records stamped in the first half second are not measured; q5 measures bids only (46 of 50).
      assert.ok(samples! > 0 && samples! < 6000, `samples ${samples}`);
      assert.ok(p50us! > 0 && p50us! <= p99us! && p99us! <= maxUs!);
      assert.ok(paced.report.seconds >= latency.seconds * 0.95, `a paced run of ${latency.seconds} s took ${paced.report.seconds} s`);
    });
  }

  it('refuses a query other than the seed job and q5', async () => {
    await assert.rejects(runNexmark({ query: 'q0', events: 0, parallelism: 1, latency }), /measures the seed job and q5, not "q0"/);
  });
});
