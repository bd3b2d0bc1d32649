// The Nexmark generator against the rules of bench/nexmark/SPEC.md: the random generator (checked
// against an independent BigInt/standard mulberry32), the 1:3:46 mix, id arithmetic, hot keys,
// prices, padding, event time, and how the parallel source splits the events.

import assert from 'node:assert/strict';
import { readerContext, readerOutput } from '../fixtures/reader-output.js';
import { describe, it } from 'node:test';
import {
  BASE_TIME,
  eventAt,
  EVENTS_PER_POLL,
  lastBase0AuctionId,
  lastBase0PersonId,
  nextDouble,
  nextInt,
  nextU32,
  NexmarkSource,
  priceOf,
  seed,
  type Auction,
  type Bid,
  type NexmarkEvent,
  type Person,
} from '../../bench/nexmark/generator.js';

/** mulberry32 as commonly published, seeded per SPEC.md with the seed computed in BigInt. */
function referenceDraws(eventId: number, count: number): number[] {
  let a = Number((BigInt(eventId) * 0x9e3779b1n + 0x7f4a7c15n) % 2n ** 32n) | 0;
  const out: number[] = [];
  for (let i = 0; i < count; i++) {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    out.push((t ^ (t >>> 14)) >>> 0);
  }
  return out;
}

const N = 50_000;
const events: NexmarkEvent[] = Array.from({ length: N }, (_, n) => eventAt(n, 1000));
const persons: [number, Person][] = [];
const auctions: [number, Auction][] = [];
const bids: [number, Bid][] = [];
events.forEach((e, n) => {
  if (e.kind === 'person') persons.push([n, e.person]);
  else if (e.kind === 'auction') auctions.push([n, e.auction]);
  else bids.push([n, e.bid]);
});

function mean(values: number[]): number {
  return values.reduce((a, b) => a + b, 0) / values.length;
}

function share(values: boolean[]): number {
  return values.filter(Boolean).length / values.length;
}

describe('nexmark generator', () => {
  it('draws mulberry32 seeded with eventId * 0x9E3779B1 + 0x7F4A7C15 (mod 2^32), for ids up to 2^53', () => {
    for (const id of [0, 1, 2, 49, 12345, 2 ** 31 - 1, 2 ** 31, 2 ** 32 + 5, 2 ** 40 + 7, Number.MAX_SAFE_INTEGER]) {
      seed(id);
      const draws = Array.from({ length: 8 }, () => nextU32());
      assert.deepEqual(draws, referenceDraws(id, 8), `event id ${id}`);
    }
  });

  it('derives nextInt and nextDouble from one draw each', () => {
    seed(77);
    const raw = referenceDraws(77, 3);
    assert.equal(nextInt(26), Math.floor((raw[0]! * 26) / 2 ** 32));
    assert.equal(nextInt(1010), Math.floor((raw[1]! * 1010) / 2 ** 32));
    assert.equal(nextDouble(), raw[2]! / 2 ** 32);
  });

  it('makes each event from its own index only (any order, same event)', () => {
    for (const n of [49_999, 7, 0, 31_337, 3]) assert.deepEqual(eventAt(n, 1000), events[n]);
  });

  it('mixes persons, auctions and bids 1:3:46 by n % 50', () => {
    assert.equal(persons.length, N / 50);
    assert.equal(auctions.length, (N / 50) * 3);
    assert.equal(bids.length, (N / 50) * 46);
    events.forEach((e, n) => assert.equal(e.kind, n % 50 === 0 ? 'person' : n % 50 < 4 ? 'auction' : 'bid'));
  });

  it('numbers persons and auctions consecutively from 1000', () => {
    assert.deepEqual(
      persons.map(([, p]) => p.id),
      persons.map((_, i) => 1000 + i),
    );
    assert.deepEqual(
      auctions.map(([, a]) => a.id),
      auctions.map((_, i) => 1000 + i),
    );
    assert.equal(lastBase0PersonId(0), 0);
    assert.equal(lastBase0PersonId(49), 0);
    assert.equal(lastBase0PersonId(50), 1);
    assert.equal(lastBase0AuctionId(0), -1);
    assert.equal(lastBase0AuctionId(1), 0);
    assert.equal(lastBase0AuctionId(3), 2);
    assert.equal(lastBase0AuctionId(4), 2);
    assert.equal(lastBase0AuctionId(50), 2);
    assert.equal(lastBase0AuctionId(51), 3);
  });

  it('refers to active persons and in-flight auctions, at most 10 ids ahead of the newest', () => {
    for (const [n, a] of auctions) {
      const newest = Math.floor(n / 50) + 1000;
      assert.ok(a.seller >= Math.max(1000, newest + 1 - 1000) && a.seller <= newest + 10, `seller ${a.seller} of event ${n}`);
    }
    for (const [n, b] of bids) {
      const newestPerson = Math.floor(n / 50) + 1000;
      const newestAuction = Math.floor(n / 50) * 3 + 2 + 1000;
      assert.ok(b.bidder >= Math.max(1000, newestPerson + 1 - 1000) && b.bidder <= newestPerson + 10, `bidder ${b.bidder} of event ${n}`);
      assert.ok(b.auction >= Math.max(1000, newestAuction - 100) && b.auction <= newestAuction + 10, `auction ${b.auction} of event ${n}`);
    }
  });

  it('picks hot sellers, auctions and bidders about as often as the ratios say', () => {
    // Hot: 3 in 4 sellers, 1 in 2 auctions, 3 in 4 bidders (plus the cold draws that hit the hot id).
    const hotSeller = share(auctions.map(([n, a]) => a.seller === Math.floor(Math.floor(n / 50) / 4) * 4 + 1000));
    const hotAuction = share(bids.map(([n, b]) => b.auction === Math.floor((Math.floor(n / 50) * 3 + 2) / 2) * 2 + 1000));
    const hotBidder = share(bids.map(([n, b]) => b.bidder === Math.floor(Math.floor(n / 50) / 4) * 4 + 1 + 1000));
    assert.ok(hotSeller > 0.73 && hotSeller < 0.8, `hot sellers ${hotSeller}`);
    assert.ok(hotAuction > 0.49 && hotAuction < 0.53, `hot auctions ${hotAuction}`);
    assert.ok(hotBidder > 0.74 && hotBidder < 0.77, `hot bidders ${hotBidder}`);
  });

  it('draws log-uniform prices from 100 to 100_000_000, reserves above the initial bid', () => {
    const prices = [...bids.map(([, b]) => b.price), ...auctions.map(([, a]) => a.initialBid)];
    for (const p of prices) assert.ok(Number.isInteger(p) && p >= 100 && p <= 100_000_000, `price ${p}`);
    for (let decade = 0; decade < 6; decade++) {
      const inDecade = share(prices.map((p) => p >= 100 * 10 ** decade && p < 100 * 10 ** (decade + 1)));
      assert.ok(Math.abs(inDecade - 1 / 6) < 0.015, `decade ${decade}: ${inDecade}`);
    }
    for (const [, a] of auctions) {
      assert.ok(a.reserve >= a.initialBid + 100 && a.reserve <= a.initialBid + 100_000_000);
      assert.ok(a.category >= 10 && a.category < 15);
      assert.ok(a.expires >= a.dateTime + 10_000 && a.expires < a.dateTime + 30_000);
    }
  });

  it('computes prices through exp exactly as round(pow(10, y) * 100), also next to half cents', () => {
    for (let u = 0; u < 4_000_000; u++) {
      // Every 4096th of the 2^32 draws nextDouble can make, spread over the whole range.
      const y = ((u * 1024 + (u % 1024)) / 4294967296) * 6;
      assert.equal(priceOf(y), Math.round(Math.pow(10, y) * 100), `y = ${y}`);
    }
    // Exponents whose price is as close to a half cent as doubles get: the exact formula decides.
    for (const cents of [100.5, 12345.5, 99_999_999.5, 3_162_277.5]) {
      const y = Math.log10(cents / 100);
      for (const near of [y - 4e-16, y, y + 4e-16]) assert.equal(priceOf(near), Math.round(Math.pow(10, near) * 100));
    }
  });

  it('fills the string fields by the rules', () => {
    const letters = /^[a-z]*$/;
    for (const [, p] of persons) {
      assert.match(p.name, /^(Peter|Paul|Luke|John|Saul|Vicky|Kate|Julie|Sarah|Deiter|Walter) (Shultz|Abrams|Spencer|White|Bartels|Walton|Smith|Jones|Noris)$/);
      assert.match(p.emailAddress, /^[a-z]{7}@[a-z]{5}\.com$/);
      assert.match(p.creditCard, /^[1-9]\d{3} [1-9]\d{3} [1-9]\d{3} [1-9]\d{3}$/);
      assert.ok(['AZ', 'CA', 'ID', 'OR', 'WA', 'WY'].includes(p.state));
      assert.ok(['Phoenix', 'Los_Angeles', 'San_Francisco', 'Boise', 'Portland', 'Bend', 'Redmond', 'Seattle', 'Kent', 'Cheyenne'].includes(p.city));
      assert.match(p.extra, letters);
    }
    for (const [, a] of auctions) {
      assert.match(a.itemName, /^[a-z]{8}$/);
      assert.match(a.description, /^[a-z]{20}$/);
      assert.match(a.extra, letters);
    }
    for (const [, b] of bids) {
      const c = Number(b.channel.slice('channel-'.length));
      assert.equal(b.channel, `channel-${c}`);
      assert.ok(c >= 0 && c < 10_000);
      assert.equal(b.url.replace(/\/[a-z]{5}\//, '/xxxxx/'), `https://www.nexmark.com/xxxxx/item.htm?query=1&channel_id=${c}`);
      assert.match(b.extra, letters);
    }
  });

  it('pads events to about their average sizes (200, 500, 100 bytes)', () => {
    const personSize = persons.map(([, p]) => p.name.length + p.emailAddress.length + p.creditCard.length + p.city.length + p.state.length + 16 + p.extra.length);
    const auctionSize = auctions.map(([, a]) => a.itemName.length + a.description.length + 56 + a.extra.length);
    const bidSize = bids.map(([, b]) => b.channel.length + b.url.length + 32 + b.extra.length);
    // Sizes with padding are target - target/10 .. target + target/10 (bids are often already there).
    for (const s of personSize) assert.ok(s >= 180 && s <= 220, `person size ${s}`);
    for (const s of auctionSize) assert.ok(s >= 450 && s <= 550, `auction size ${s}`);
    for (const s of bidSize) assert.ok(s >= 90 && s <= 110, `bid size ${s}`);
    assert.ok(Math.abs(mean(personSize) - 200) < 2, `persons ${mean(personSize)}`);
    assert.ok(Math.abs(mean(auctionSize) - 500) < 2, `auctions ${mean(auctionSize)}`);
    assert.ok(mean(bidSize) > 100 && mean(bidSize) < 110, `bids ${mean(bidSize)}`);
  });

  it('stamps event n with BASE_TIME + floor(n * 1000 / rate)', () => {
    const time = (e: NexmarkEvent): number => (e.kind === 'bid' ? e.bid.dateTime : e.kind === 'auction' ? e.auction.dateTime : e.person.dateTime);
    events.forEach((e, n) => assert.equal(time(e), BASE_TIME + Math.floor(n / 1)));
    assert.equal(time(eventAt(123_456_789)), BASE_TIME + 12_345);
    assert.equal(time(eventAt(7, 3)), BASE_TIME + 2333);
  });
});

describe('NexmarkSource', () => {
  it('gives subtask i of p the events i, i + p, ... in order, at most 512 per poll', () => {
    const count = 3001;
    const seen: number[] = [];
    for (let subtask = 0; subtask < 3; subtask++) {
      const reader = new NexmarkSource(count, 1000).createReader(readerContext(subtask, 3));
      const mine: NexmarkEvent[] = [];
      let status;
      do {
        const before = mine.length;
        status = reader.pollNext(readerOutput((e: NexmarkEvent) => mine.push(e)));
        assert.ok(mine.length - before <= EVENTS_PER_POLL);
      } while (status === 'more-available');
      assert.equal(status, 'end-of-input');
      mine.forEach((e, i) => {
        const n = subtask + 3 * i;
        assert.deepEqual(e, events[n]);
        seen.push(n);
      });
    }
    assert.deepEqual(
      seen.sort((a, b) => a - b),
      Array.from({ length: count }, (_, n) => n),
    );
  });
});
