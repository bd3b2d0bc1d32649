// The Nexmark queries of bench/nexmark/SPEC.md written with eddy's public API: each takes the
// event stream and returns the query's result stream and the formatter of its output lines (the
// text SPEC.md gives per query, which the Flink reference prints identically for the same
// events). As on the Flink side, a benchmark run counts the results; lines are made only to compare.
//
// Records that cross a keyBy are cut down to the fields the query needs first (a number, or a
// small object), so that shuffles move what the query reads and not the events' padding.

import {
  EventTimeSessionWindows,
  KeyedCoProcessFunction,
  KeyedProcessFunction,
  ListStateDescriptor,
  SlidingEventTimeWindows,
  TumblingEventTimeWindows,
  ValueStateDescriptor,
  type AggregateFunction,
  type Collector,
  type DataStream,
  type KeyedContext,
  type ListState,
  type OnTimerContext,
  type RuntimeContext,
  type ValueState,
} from '../../src/index.js';
import type { NexmarkEvent } from './generator.js';

/** A query's results and how each becomes its output line. */
export interface QueryJob<R> {
  results: DataStream<R>;
  format: (result: R) => string;
}

export type Query = (events: DataStream<NexmarkEvent>) => QueryJob<any>;

/** Counts its inputs (q5, q11). */
export const COUNT: AggregateFunction<unknown, number, number> = {
  createAccumulator: () => 0,
  add: (_value, acc) => acc + 1,
  getResult: (acc) => acc,
  merge: (a, b) => a + b,
};

// ---- q0: pass-through ----

/** Every event; its line: `person,id`, `auction,id` or `bid,auction,bidder,price`. */
export const q0: Query = (events) => ({
  results: events.map((e) => e).name('q0: pass-through'),
  format: (e: NexmarkEvent) => {
    switch (e.kind) {
      case 'bid':
        return `bid,${e.bid.auction},${e.bid.bidder},${e.bid.price}`;
      case 'auction':
        return `auction,${e.auction.id}`;
      default:
        return `person,${e.person.id}`;
    }
  },
});

// ---- q1: currency conversion ----

/** What q1 and q7 keep of a bid. */
export interface ShortBid {
  auction: number;
  bidder: number;
  price: number;
  dateTime: number;
}

/** Every bid with its price in euro, in integers: `auction,bidder,floor(price * 908 / 1000),dateTime`. */
export const q1: Query = (events) => ({
  results: events
    .flatMap<ShortBid>((e, out) => {
      if (e.kind !== 'bid') return;
      const b = e.bid;
      out.collect({ auction: b.auction, bidder: b.bidder, price: Math.floor((b.price * 908) / 1000), dateTime: b.dateTime });
    })
    .name('q1: currency conversion'),
  format: (b: ShortBid) => `${b.auction},${b.bidder},${b.price},${b.dateTime}`,
});

// ---- q2: selection ----

/** Bids on auctions whose id is a multiple of 123, as [auction, price]: `auction,price`. */
export const q2: Query = (events) => ({
  results: events
    .flatMap<[number, number]>((e, out) => {
      if (e.kind === 'bid' && e.bid.auction % 123 === 0) out.collect([e.bid.auction, e.bid.price]);
    })
    .name('q2: selection'),
  format: ([auction, price]: [number, number]) => `${auction},${price}`,
});

// ---- q3: local item suggestion ----

/** What q3 keeps of a person. */
export interface Q3Person {
  id: number;
  name: string;
  city: string;
  state: string;
}

/** What q3 keeps of an auction. */
export interface Q3Auction {
  id: number;
  seller: number;
}

/** A q3 result: a seller and one of their auctions. */
export interface Q3Match {
  name: string;
  city: string;
  state: string;
  auction: number;
}

/**
 * An unbounded, incremental join on person id = seller: the person's fields are kept once it came;
 * auctions that come before their seller wait in a list until it does.
 */
export class Q3Join extends KeyedCoProcessFunction<number, Q3Person, Q3Auction, Q3Match> {
  private person!: ValueState<Q3Person>;
  private waiting!: ListState<number>;

  override open(rt: RuntimeContext): void {
    this.person = rt.getState(new ValueStateDescriptor<Q3Person>('person'));
    this.waiting = rt.getListState(new ListStateDescriptor<number>('auctions waiting for their seller'));
  }

  processElement1(p: Q3Person, _ctx: KeyedContext<number>, out: Collector<Q3Match>): void {
    this.person.update(p);
    const waiting = this.waiting.get();
    if (waiting.length === 0) return;
    for (const auction of waiting) out.collect({ name: p.name, city: p.city, state: p.state, auction });
    this.waiting.clear();
  }

  processElement2(a: Q3Auction, _ctx: KeyedContext<number>, out: Collector<Q3Match>): void {
    const p = this.person.value();
    if (p === undefined) this.waiting.add(a.id);
    else out.collect({ name: p.name, city: p.city, state: p.state, auction: a.id });
  }
}

/** Persons of OR, ID or CA with the auctions of category 10 they sell: `name,city,state,auctionId`. */
export const q3: Query = (events) => {
  const persons = events
    .flatMap<Q3Person>((e, out) => {
      if (e.kind !== 'person') return;
      const p = e.person;
      if (p.state === 'OR' || p.state === 'ID' || p.state === 'CA') out.collect({ id: p.id, name: p.name, city: p.city, state: p.state });
    })
    .name('q3: persons of OR, ID, CA');
  const auctions = events
    .flatMap<Q3Auction>((e, out) => {
      if (e.kind === 'auction' && e.auction.category === 10) out.collect({ id: e.auction.id, seller: e.auction.seller });
    })
    .name('q3: auctions of category 10');
  const results = persons
    .connect(auctions)
    .keyBy(
      (p) => p.id,
      (a) => a.seller,
    )
    .process(new Q3Join())
    .name('q3: join');
  return { results, format: (m: Q3Match) => `${m.name},${m.city},${m.state},${m.auction}` };
};

// ---- q5: hot items ----

/** The bid count of one auction in one sliding window. */
export interface AuctionCount {
  windowEnd: number;
  auction: number;
  count: number;
}

/**
 * Per window end (the key), the auctions with the highest count: counts arrive with timestamp
 * `windowEnd - 1` before the watermark passes it, so a timer there sees all of them.
 */
export class HottestAuctions extends KeyedProcessFunction<number, AuctionCount, AuctionCount> {
  private best!: ValueState<number>;
  private auctions!: ListState<number>;

  override open(rt: RuntimeContext): void {
    this.best = rt.getState(new ValueStateDescriptor<number>('highest count'));
    this.auctions = rt.getListState(new ListStateDescriptor<number>('auctions with the highest count'));
  }

  processElement(c: AuctionCount, ctx: KeyedContext<number>, _out: Collector<AuctionCount>): void {
    const best = this.best.value();
    if (best === undefined || c.count > best) {
      if (best === undefined) ctx.timerService().registerEventTimeTimer(c.windowEnd - 1);
      this.best.update(c.count);
      this.auctions.update([c.auction]);
    } else if (c.count === best) {
      this.auctions.add(c.auction);
    }
  }

  override onTimer(_timestamp: number, ctx: OnTimerContext<number>, out: Collector<AuctionCount>): void {
    const windowEnd = ctx.getCurrentKey();
    const count = this.best.value()!;
    for (const auction of this.auctions.get()) out.collect({ windowEnd, auction, count });
    this.best.clear();
    this.auctions.clear();
  }
}

/**
 * q5 over a stream of bids, each cut down to `T` (a number: the auction; in latency mode the
 * auction with the bid's creation stamp); `countBids` counts them per auction and window.
 */
export function hotItems<T>(bids: DataStream<T>, auctionOf: (bid: T) => number, countBids: AggregateFunction<T, number, number>): QueryJob<AuctionCount> {
  const results = bids
    .keyBy(auctionOf)
    .window(SlidingEventTimeWindows.of(10_000, 2_000))
    .aggregate(countBids, (auction: number, ctx, counts, out: Collector<AuctionCount>) => {
      for (const count of counts) out.collect({ windowEnd: ctx.window.end, auction, count });
    })
    .name('q5: bids per auction and window')
    .keyBy((c) => c.windowEnd)
    .process(new HottestAuctions())
    .name('q5: hottest auctions');
  return { results, format: (c) => `${c.windowEnd},${c.auction},${c.count}` };
}

/** Bids per auction in sliding windows of 10 s every 2 s; per window the most bid-on auctions: `windowEnd,auction,count`. */
export const q5: Query = (events) =>
  hotItems<number>(
    events
      .flatMap<number>((e, out) => {
        if (e.kind === 'bid') out.collect(e.bid.auction);
      })
      .name('q5: bid auctions'),
    (auction) => auction,
    COUNT,
  );

// ---- q7: highest bid ----

/** The better of two bids: the higher price, then the smaller bidder, auction, dateTime. */
export function higherBid(a: ShortBid, b: ShortBid): ShortBid {
  if (a.price !== b.price) return a.price > b.price ? a : b;
  if (a.bidder !== b.bidder) return a.bidder < b.bidder ? a : b;
  if (a.auction !== b.auction) return a.auction < b.auction ? a : b;
  return a.dateTime <= b.dateTime ? a : b;
}

/** A q7 result: the highest bid of the window ending at `windowEnd`. */
export interface HighestBid extends ShortBid {
  windowEnd: number;
}

/** The highest bid of each 10 s tumbling window: `windowEnd,auction,bidder,price`. */
export const q7: Query = (events) => ({
  results: events
    .flatMap<ShortBid>((e, out) => {
      if (e.kind === 'bid') out.collect({ auction: e.bid.auction, bidder: e.bid.bidder, price: e.bid.price, dateTime: e.bid.dateTime });
    })
    .name('q7: bids')
    .windowAll(TumblingEventTimeWindows.of(10_000))
    .reduce(
      higherBid,
      (ctx, bids, out: Collector<HighestBid>) => {
        for (const b of bids) out.collect({ windowEnd: ctx.window.end, auction: b.auction, bidder: b.bidder, price: b.price, dateTime: b.dateTime });
      },
      { associative: true },
    )
    .name('q7: highest bid'),
  format: (b: HighestBid) => `${b.windowEnd},${b.auction},${b.bidder},${b.price}`,
});

// ---- q8: new users ----

/** What q8 keeps of a person. */
export interface Q8Person {
  id: number;
  name: string;
  dateTime: number;
}

const Q8_WINDOW = 10_000;

/** A q8 result: a person who opened an auction in the window they registered in. */
export interface NewUser {
  id: number;
  name: string;
  windowStart: number;
}

/** Persons who opened an auction in the 10 s tumbling window they registered in: `personId,name,windowStart`. */
export const q8: Query = (events) => {
  const persons = events
    .flatMap<Q8Person>((e, out) => {
      if (e.kind === 'person') out.collect({ id: e.person.id, name: e.person.name, dateTime: e.person.dateTime });
    })
    .name('q8: persons');
  const sellers = events
    .flatMap<number>((e, out) => {
      if (e.kind === 'auction') out.collect(e.auction.seller);
    })
    .name('q8: auction sellers');
  const results = persons
    .coGroup(sellers)
    .where((p) => p.id)
    .equalTo((seller) => seller)
    .window(TumblingEventTimeWindows.of(Q8_WINDOW))
    .apply<NewUser>((people, auctionSellers, out) => {
      if (auctionSellers.length === 0) return;
      // Both sides lie in the same window, so its start is the person's time rounded down.
      for (const p of people) out.collect({ id: p.id, name: p.name, windowStart: p.dateTime - (p.dateTime % Q8_WINDOW) });
    });
  return { results, format: (u: NewUser) => `${u.id},${u.name},${u.windowStart}` };
};

// ---- q11: user sessions ----

/** A q11 result: one session of one bidder. */
export interface BidderSession {
  bidder: number;
  count: number;
  start: number;
  end: number;
}

/** Bids per bidder in session windows with a 10 s gap: `bidder,count,sessionStart,sessionEnd`. */
export const q11: Query = (events) => ({
  results: events
    .flatMap<number>((e, out) => {
      if (e.kind === 'bid') out.collect(e.bid.bidder);
    })
    .name('q11: bidders')
    .keyBy((bidder) => bidder)
    .window(EventTimeSessionWindows.withGap(10_000))
    .aggregate(COUNT, (bidder: number, ctx, counts, out: Collector<BidderSession>) => {
      for (const count of counts) out.collect({ bidder, count, start: ctx.window.start, end: ctx.window.end });
    })
    .name('q11: bids per session'),
  format: (s: BidderSession) => `${s.bidder},${s.count},${s.start},${s.end}`,
});

export const QUERIES = { q0, q1, q2, q3, q5, q7, q8, q11 } as const satisfies Record<string, Query>;
export type QueryName = keyof typeof QUERIES;

export function isQueryName(name: string): name is QueryName {
  return Object.hasOwn(QUERIES, name);
}
