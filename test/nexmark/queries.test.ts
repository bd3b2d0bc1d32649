// Each Nexmark query of bench/nexmark/queries.ts, run as an eddy job at parallelism 2 on a small
// generated input (bench/jobs/nexmark-query.ts), against the same rule of bench/nexmark/SPEC.md
// computed here in a plain single-threaded loop over the same events.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { eventAt, type Auction, type Bid, type Person } from '../../bench/nexmark/generator.js';
import { runNexmark } from '../../bench/nexmark/run.js';
import { readingAt } from '../../bench/nexmark/sensor.js';
import type { NexmarkJobArgs } from '../../bench/jobs/nexmark-query.js';
import { runJob } from '../../src/index.js';

const EVENTS = 20_000;

interface Input {
  persons: Person[];
  auctions: Auction[];
  bids: Bid[];
  /** q0's line of every event. */
  all: string[];
}

function generate(events: number, rate: number): Input {
  const input: Input = { persons: [], auctions: [], bids: [], all: [] };
  for (let n = 0; n < events; n++) {
    const e = eventAt(n, rate);
    if (e.kind === 'person') {
      input.persons.push(e.person);
      input.all.push(`person,${e.person.id}`);
    } else if (e.kind === 'auction') {
      input.auctions.push(e.auction);
      input.all.push(`auction,${e.auction.id}`);
    } else {
      input.bids.push(e.bid);
      input.all.push(`bid,${e.bid.auction},${e.bid.bidder},${e.bid.price}`);
    }
  }
  return input;
}

/** Appends `value` to the list at `key`. */
function push<K, V>(map: Map<K, V[]>, key: K, value: V): void {
  const list = map.get(key);
  if (list === undefined) map.set(key, [value]);
  else list.push(value);
}

const expected = {
  q0: (i: Input) => i.all,
  q1: (i: Input) => i.bids.map((b) => `${b.auction},${b.bidder},${Math.trunc((b.price * 908) / 1000)},${b.dateTime}`),
  q2: (i: Input) => i.bids.filter((b) => b.auction % 123 === 0).map((b) => `${b.auction},${b.price}`),
  q3: (i: Input) => {
    const lines: string[] = [];
    for (const a of i.auctions) {
      if (a.category !== 10) continue;
      for (const p of i.persons) {
        if (p.id === a.seller && ['OR', 'ID', 'CA'].includes(p.state)) lines.push(`${p.name},${p.city},${p.state},${a.id}`);
      }
    }
    return lines;
  },
  q5: (i: Input) => {
    // Windows [end - 10 s, end) for every end that is a multiple of 2 s.
    const counts = new Map<number, Map<number, number>>();
    for (const b of i.bids) {
      for (let end = b.dateTime - (b.dateTime % 2000) + 2000; end <= b.dateTime + 10_000; end += 2000) {
        let perAuction = counts.get(end);
        if (perAuction === undefined) counts.set(end, (perAuction = new Map()));
        perAuction.set(b.auction, (perAuction.get(b.auction) ?? 0) + 1);
      }
    }
    const lines: string[] = [];
    for (const [end, perAuction] of counts) {
      const max = Math.max(...perAuction.values());
      for (const [auction, count] of perAuction) if (count === max) lines.push(`${end},${auction},${count}`);
    }
    return lines;
  },
  q7: (i: Input) => {
    const best = new Map<number, Bid>();
    for (const b of i.bids) {
      const end = b.dateTime - (b.dateTime % 10_000) + 10_000;
      const c = best.get(end);
      const better =
        c === undefined ||
        b.price > c.price ||
        (b.price === c.price && (b.bidder < c.bidder || (b.bidder === c.bidder && (b.auction < c.auction || (b.auction === c.auction && b.dateTime < c.dateTime)))));
      if (better) best.set(end, b);
    }
    return [...best].map(([end, b]) => `${end},${b.auction},${b.bidder},${b.price}`);
  },
  q8: (i: Input) => {
    const window = (t: number): number => t - (t % 10_000);
    const sellers = new Set(i.auctions.map((a) => `${a.seller}@${window(a.dateTime)}`));
    return i.persons.filter((p) => sellers.has(`${p.id}@${window(p.dateTime)}`)).map((p) => `${p.id},${p.name},${window(p.dateTime)}`);
  },
  q11: (i: Input) => {
    const times = new Map<number, number[]>();
    for (const b of i.bids) push(times, b.bidder, b.dateTime);
    const lines: string[] = [];
    for (const [bidder, ts] of times) {
      ts.sort((a, b) => a - b);
      let start = ts[0]!;
      let last = start;
      let count = 0;
      for (const t of ts) {
        // Session windows [t, t + gap) merge when they overlap or touch.
        if (t > last + 10_000) {
          lines.push(`${bidder},${count},${start},${last + 10_000}`);
          start = t;
          count = 0;
        }
        last = t;
        count++;
      }
      lines.push(`${bidder},${count},${start},${last + 10_000}`);
    }
    return lines;
  },
} as const;

type QueryName = keyof typeof expected;

async function eddyLines(query: QueryName | 'seed', events: number, rate: number, parallelism = 2, devices?: number): Promise<string[]> {
  const args: NexmarkJobArgs = { query, events, rate, output: true, ...(devices === undefined ? {} : { devices }) };
  const client = await runJob(new URL('../../bench/jobs/nexmark-query.js', import.meta.url), { parallelism, args, jobName: query });
  return ((await client.result).collected[0] as string[]).sort();
}

// Rates chosen so that the input spans many windows: 1000 events/s -> 20 s of event time
// (q5: 14 windows), 250 events/s -> 80 s (q7, q8: 8 tumbling windows); q11's sessions split at
// 20 events/s (below).
const cases: [QueryName, number][] = [
  ['q0', 1000],
  ['q1', 1000],
  ['q2', 1000],
  ['q3', 1000],
  ['q5', 1000],
  ['q7', 250],
  ['q8', 250],
  ['q11', 1000],
];

const inputs = new Map<number, Input>();
function inputAt(rate: number): Input {
  let input = inputs.get(rate);
  if (input === undefined) inputs.set(rate, (input = generate(EVENTS, rate)));
  return input;
}

describe('nexmark queries at parallelism 2 against plain loops', () => {
  for (const [query, rate] of cases) {
    it(`${query} (${EVENTS} events, ${rate} events/s)`, async () => {
      const want = expected[query](inputAt(rate)).sort();
      assert.ok(want.length > 0, 'the input gives the query something to output');
      const got = await eddyLines(query, EVENTS, rate);
      assert.deepEqual(got, want);
    });
  }

  it('q11 with sessions that split and that touch (8000 events at 20 events/s: 829 gaps over 10 s, 2 of exactly 10 s)', async () => {
    const want = expected.q11(generate(8000, 20)).sort();
    assert.deepEqual(await eddyLines('q11', 8000, 20), want);
  });

  it('q5 and q7 at the default rate (10 M events/s: all in one window)', async () => {
    const input = generate(EVENTS, 10_000_000);
    assert.deepEqual(await eddyLines('q5', EVENTS, 10_000_000), expected.q5(input).sort());
    assert.deepEqual(await eddyLines('q7', EVENTS, 10_000_000), expected.q7(input).sort());
  });
});

/** The seed job's windows, each reading folded in by index order (the arrival order at parallelism 1). */
function seedLines(readings: number, rate: number, devices: number): string[] {
  const windows = new Map<string, number>();
  for (let n = 0; n < readings; n++) {
    const r = readingAt(n, rate, devices);
    for (let end = r.ts - (r.ts % 5000) + 5000; end <= r.ts + 10_000; end += 5000) {
      const key = `${r.device_id},${end}`;
      const acc = windows.get(key);
      windows.set(key, acc === undefined ? r.temp : (acc + r.temp) / 2);
    }
  }
  return [...windows].map(([key, temp]) => `${key},${Math.round(temp * 1000)}`);
}

describe('seed sensor job against a plain loop', () => {
  const readings = 30_000;
  const rate = 1000;
  const devices = 50;
  const want = seedLines(readings, rate, devices).sort();

  it('gives the plain loop\'s pairwise means at parallelism 1 (readings arrive in order)', async () => {
    assert.equal(want.length, 50 * 7);
    assert.deepEqual(await eddyLines('seed', readings, rate, 1, devices), want);
  });

  it('fires the same windows at parallelism 2 (means may differ: arrival order varies)', async () => {
    const windowsOf = (lines: string[]): string[] => lines.map((l) => l.slice(0, l.lastIndexOf(','))).sort();
    assert.deepEqual(windowsOf(await eddyLines('seed', readings, rate, 2, devices)), windowsOf(want));
  });
});

describe('nexmark runner', () => {
  it('reports SPEC.md\'s JSON fields and counts the output lines without collecting them', async () => {
    const { report, lines } = await runNexmark({ query: 'q2', events: EVENTS, parallelism: 2, rate: 1000 });
    assert.equal(lines, undefined);
    assert.deepEqual(Object.keys(report), ['engine', 'query', 'events', 'parallelism', 'seconds', 'eventsPerSecond', 'cpuSeconds', 'peakRssBytes', 'outputLines']);
    assert.equal(report.engine, 'eddy');
    assert.equal(report.outputLines, expected.q2(inputAt(1000)).length);
    assert.ok(report.seconds > 0 && report.cpuSeconds > 0 && report.peakRssBytes > 10_000_000);
    assert.equal(report.eventsPerSecond, EVENTS / report.seconds);
  });
});
