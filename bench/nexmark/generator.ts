// The Nexmark event generator of bench/nexmark/SPEC.md, bit for bit the one of the Flink reference
// (bench/reference/flink/): event n is a Person, an Auction or a Bid by n % 50 (1:3:46), with
// Nexmark's id arithmetic, hot sellers/auctions/bidders, log-uniform prices, `extra` padding and
// synthetic event time, every field drawn from a mulberry32 generator seeded with n.
//
// Speed matters (the generator runs inside every benchmark): the random generator is one
// module-level 32-bit state (no closure, no object per event), strings are written as bytes into
// one scratch buffer and read back as a one-byte string.

import { Buffer } from 'node:buffer';
import { WatermarkStrategy, type DataStream, type Source, type SourceReader, type SourceReaderContext, type StreamExecutionEnvironment } from '../../src/index.js';
import { RECORDS_PER_POLL, StrideReader, type StrideSplit } from './stride-reader.js';

// ---- Constants (SPEC.md, "Event kinds and ids") ----

export const PERSON_PROPORTION = 1;
export const AUCTION_PROPORTION = 3;
export const BID_PROPORTION = 46;
export const TOTAL_PROPORTION = PERSON_PROPORTION + AUCTION_PROPORTION + BID_PROPORTION;
export const FIRST_PERSON_ID = 1000;
export const FIRST_AUCTION_ID = 1000;
export const FIRST_CATEGORY_ID = 10;
export const NUM_CATEGORIES = 5;
export const HOT_SELLER_RATIO = 4;
export const HOT_AUCTION_RATIO = 2;
export const HOT_BIDDER_RATIO = 4;
export const NUM_ACTIVE_PEOPLE = 1000;
export const PERSON_ID_LEAD = 10;
export const NUM_IN_FLIGHT_AUCTIONS = 100;
export const AUCTION_ID_LEAD = 10;
export const CHANNELS = 10_000;
export const PERSON_BYTES = 200;
export const AUCTION_BYTES = 500;
export const BID_BYTES = 100;
/** Event time of event 0 (ms). */
export const BASE_TIME = 1_700_000_000_000;
/** Events per second of event time, unless a run says otherwise. */
export const DEFAULT_RATE = 10_000_000;
/** The watermark lag of the Nexmark source (ms). */
export const OUT_OF_ORDERNESS_MS = 4000;

export const FIRST_NAMES = ['Peter', 'Paul', 'Luke', 'John', 'Saul', 'Vicky', 'Kate', 'Julie', 'Sarah', 'Deiter', 'Walter'] as const;
export const LAST_NAMES = ['Shultz', 'Abrams', 'Spencer', 'White', 'Bartels', 'Walton', 'Smith', 'Jones', 'Noris'] as const;
export const US_STATES = ['AZ', 'CA', 'ID', 'OR', 'WA', 'WY'] as const;
export const US_CITIES = ['Phoenix', 'Los_Angeles', 'San_Francisco', 'Boise', 'Portland', 'Bend', 'Redmond', 'Seattle', 'Kent', 'Cheyenne'] as const;

// ---- Events ----

export interface Person {
  id: number;
  name: string;
  emailAddress: string;
  creditCard: string;
  city: string;
  state: string;
  dateTime: number;
  extra: string;
}

export interface Auction {
  id: number;
  itemName: string;
  description: string;
  initialBid: number;
  reserve: number;
  dateTime: number;
  expires: number;
  seller: number;
  category: number;
  extra: string;
}

export interface Bid {
  auction: number;
  bidder: number;
  price: number;
  channel: string;
  url: string;
  dateTime: number;
  extra: string;
}

/** One event on the wire: exactly one of `person`, `auction`, `bid` is set, as `kind` says. */
export type NexmarkEvent =
  | { kind: 'person'; person: Person; auction?: undefined; bid?: undefined }
  | { kind: 'auction'; auction: Auction; person?: undefined; bid?: undefined }
  | { kind: 'bid'; bid: Bid; person?: undefined; auction?: undefined };

/** The event time of any event (the source's timestamp assigner). */
export function eventTime(e: NexmarkEvent): number {
  return e.kind === 'bid' ? e.bid.dateTime : e.kind === 'auction' ? e.auction.dateTime : e.person.dateTime;
}

// ---- Random numbers: mulberry32 seeded per event (SPEC.md, "Random numbers") ----

const TWO_POW_32 = 4294967296;
/** 2^-32: multiplying by it is exact and cheaper than dividing by 2^32. */
const TWO_POW_MINUS_32 = 1 / TWO_POW_32;
let rngState = 0;

/** Seeds the generator for event `eventId` (any integer below 2^53). */
export function seed(eventId: number): void {
  // `eventId % 2^32` first: `| 0` on a double above 2^31 already takes the low 32 bits, but the
  // modulo keeps that explicit for ids up to 2^53.
  rngState = (Math.imul(eventId % TWO_POW_32 | 0, 0x9e3779b1) + 0x7f4a7c15) | 0;
}

/** Next unsigned 32-bit draw. */
export function nextU32(): number {
  rngState = (rngState + 0x6d2b79f5) | 0;
  let t = rngState;
  t = Math.imul(t ^ (t >>> 15), t | 1);
  t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
  return (t ^ (t >>> 14)) >>> 0;
}

/** 0 <= result < n: floor(nextU32() * n / 2^32), in doubles (exact for every n used here, n < 2^21). */
export function nextInt(n: number): number {
  return Math.floor(nextU32() * n * TWO_POW_MINUS_32);
}

/** In [0, 1). */
export function nextDouble(): number {
  return nextU32() * TWO_POW_MINUS_32;
}

/**
 * How close to a half cent the fast price may come before the exact formula decides: exp's
 * result is within ~3.5e-7 of `10^y * 100` for y < 6 (the rounding of y * ln 10, at most
 * ~3.1e-15 relative, and exp's error of under one ulp), so outside this margin both round alike.
 */
const HALF_CENT_MARGIN = 1e-6;

/** round(10^(6 * nextDouble()) * 100): log-uniform cents from 100 to 100_000_000. */
export function nextPrice(): number {
  return priceOf(nextDouble() * 6);
}

/**
 * `Math.round(Math.pow(10, y) * 100)` for 0 <= y < 6, computed with Math.exp (~22 ns against
 * pow's ~52 ns); where the result lies within the error margin of a half cent, with pow itself.
 */
export function priceOf(y: number): number {
  const cents = Math.exp(y * Math.LN10) * 100;
  const fraction = cents - Math.floor(cents);
  return Math.abs(fraction - 0.5) < HALF_CENT_MARGIN ? Math.round(Math.pow(10, y) * 100) : Math.round(cents);
}

// ---- Strings ----

const scratch = Buffer.allocUnsafe(4096);
/** The first `end` bytes of the scratch buffer as a string. */
function latin1(end: number): string {
  return scratch.toString('latin1', 0, end);
}

/** Writes `len` random lower-case letters at `at`; returns the position after them. */
function writeLetters(at: number, len: number): number {
  // nextInt(26) per letter, with nextU32 inlined on a local copy of the state.
  const end = at + len;
  let state = rngState;
  for (let i = at; i < end; i++) {
    state = (state + 0x6d2b79f5) | 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    scratch[i] = 97 + Math.floor(((t ^ (t >>> 14)) >>> 0) * 26 * TWO_POW_MINUS_32);
  }
  rngState = state;
  return end;
}

/** Strings up to this length are made with String.fromCharCode (a few ns), longer ones by decoding the scratch buffer (~70 ns). */
const SHORT_STRING = 32;
/** One reused argument array per short length, for String.fromCharCode.apply. */
const charCodes: number[][] = Array.from({ length: SHORT_STRING + 1 }, (_, n) => new Array<number>(n).fill(0));

/** `len` random lower-case letters. */
export function nextString(len: number): string {
  const end = writeLetters(0, len);
  // Every bid's url has 5 letters: spelled out, fromCharCode skips building an argument list.
  if (len === 5) return String.fromCharCode(scratch[0]!, scratch[1]!, scratch[2]!, scratch[3]!, scratch[4]!);
  if (len > SHORT_STRING) return latin1(end);
  const codes = charCodes[len]!;
  for (let i = 0; i < len; i++) codes[i] = scratch[i]!;
  return String.fromCharCode.apply(null, codes);
}

/** Padding that brings an event of `currentSize` bytes to about `target` (empty when already there). */
export function nextExtra(currentSize: number, target: number): string {
  const desired = target + nextInt(Math.floor(target / 5) + 1) - Math.floor(target / 10);
  if (currentSize >= desired) return '';
  return nextString(desired - currentSize);
}

/** Credit card number: four groups of 1000 + nextInt(9000), joined by spaces (19 characters). */
function nextCreditCard(): string {
  let at = 0;
  for (let g = 0; g < 4; g++) {
    if (g > 0) scratch[at++] = 32;
    let v = 1000 + nextInt(9000);
    for (let d = 3; d >= 0; d--) {
      scratch[at + d] = 48 + (v % 10);
      v = Math.floor(v / 10);
    }
    at += 4;
  }
  return latin1(at);
}

/** nextString(7) + '@' + nextString(5) + '.com'. */
function nextEmail(): string {
  let at = writeLetters(0, 7);
  scratch[at++] = 64; // '@'
  at = writeLetters(at, 5);
  scratch[at++] = 46; // '.com'
  scratch[at++] = 99;
  scratch[at++] = 111;
  scratch[at++] = 109;
  return latin1(at);
}

const URL_HEAD = 'https://www.nexmark.com/';
const URL_MIDDLE = '/item.htm?query=1&channel_id=';
const CHANNEL_NAMES: string[] = Array.from({ length: CHANNELS }, (_, c) => `channel-${c}`);
/** Each channel's url tail, `URL_MIDDLE + c`, built once. */
const URL_TAILS: string[] = Array.from({ length: CHANNELS }, (_, c) => `${URL_MIDDLE}${c}`);
/** Full names by FIRST_NAMES index * LAST_NAMES.length + LAST_NAMES index. */
const FULL_NAMES: string[] = FIRST_NAMES.flatMap((f) => LAST_NAMES.map((l) => `${f} ${l}`));

// ---- Id arithmetic (SPEC.md, "Event kinds and ids") ----

export function lastBase0PersonId(n: number): number {
  const epoch = Math.floor(n / TOTAL_PROPORTION);
  let offset = n % TOTAL_PROPORTION;
  if (offset >= PERSON_PROPORTION) offset = PERSON_PROPORTION - 1;
  return epoch * PERSON_PROPORTION + offset;
}

export function lastBase0AuctionId(n: number): number {
  let epoch = Math.floor(n / TOTAL_PROPORTION);
  let offset = n % TOTAL_PROPORTION;
  if (offset < PERSON_PROPORTION) {
    epoch--;
    offset = AUCTION_PROPORTION - 1;
  } else if (offset >= PERSON_PROPORTION + AUCTION_PROPORTION) {
    offset = AUCTION_PROPORTION - 1;
  } else {
    offset -= PERSON_PROPORTION;
  }
  return epoch * AUCTION_PROPORTION + offset;
}

/** A person id of the active people, or up to PERSON_ID_LEAD beyond the newest (draws once). */
export function nextBase0PersonId(n: number): number {
  const people = lastBase0PersonId(n) + 1;
  const active = Math.min(people, NUM_ACTIVE_PEOPLE);
  return people - active + nextInt(active + PERSON_ID_LEAD);
}

/** An auction id of the in-flight auctions, or up to AUCTION_ID_LEAD beyond the newest (draws once). */
export function nextBase0AuctionId(n: number): number {
  const max = lastBase0AuctionId(n);
  const min = Math.max(max - NUM_IN_FLIGHT_AUCTIONS, 0);
  return min + nextInt(max - min + 1 + AUCTION_ID_LEAD);
}

/** Event time of event `n` at `rate` events per second. */
export function dateTimeOf(n: number, rate: number): number {
  return BASE_TIME + Math.floor((n * 1000) / rate);
}

// ---- Events ----

function person(n: number, dateTime: number): Person {
  const id = lastBase0PersonId(n) + FIRST_PERSON_ID;
  const first = nextInt(FIRST_NAMES.length);
  const name = FULL_NAMES[first * LAST_NAMES.length + nextInt(LAST_NAMES.length)]!;
  const emailAddress = nextEmail();
  const creditCard = nextCreditCard();
  const city = US_CITIES[nextInt(US_CITIES.length)]!;
  const state = US_STATES[nextInt(US_STATES.length)]!;
  const size = name.length + emailAddress.length + creditCard.length + city.length + state.length + 8 * 2;
  const extra = nextExtra(size, PERSON_BYTES);
  return { id, name, emailAddress, creditCard, city, state, dateTime, extra };
}

function auction(n: number, dateTime: number): Auction {
  const id = lastBase0AuctionId(n) + FIRST_AUCTION_ID;
  const seller =
    (nextInt(HOT_SELLER_RATIO) > 0
      ? Math.floor(lastBase0PersonId(n) / HOT_SELLER_RATIO) * HOT_SELLER_RATIO
      : nextBase0PersonId(n)) + FIRST_PERSON_ID;
  const category = FIRST_CATEGORY_ID + nextInt(NUM_CATEGORIES);
  const initialBid = nextPrice();
  const expires = dateTime + 10_000 + nextInt(20_000);
  const reserve = initialBid + nextPrice();
  const itemName = nextString(8);
  const description = nextString(20);
  const extra = nextExtra(itemName.length + description.length + 8 * 7, AUCTION_BYTES);
  return { id, itemName, description, initialBid, reserve, dateTime, expires, seller, category, extra };
}

function bid(n: number, dateTime: number): Bid {
  const auctionId =
    (nextInt(HOT_AUCTION_RATIO) > 0
      ? Math.floor(lastBase0AuctionId(n) / HOT_AUCTION_RATIO) * HOT_AUCTION_RATIO
      : nextBase0AuctionId(n)) + FIRST_AUCTION_ID;
  const bidder =
    (nextInt(HOT_BIDDER_RATIO) > 0
      ? Math.floor(lastBase0PersonId(n) / HOT_BIDDER_RATIO) * HOT_BIDDER_RATIO + 1
      : nextBase0PersonId(n)) + FIRST_PERSON_ID;
  const price = nextPrice();
  const c = nextInt(CHANNELS);
  const channel = CHANNEL_NAMES[c]!;
  const url = URL_HEAD + nextString(5) + URL_TAILS[c]!;
  const extra = nextExtra(channel.length + url.length + 8 * 4, BID_BYTES);
  return { auction: auctionId, bidder, price, channel, url, dateTime, extra };
}

/** Event `n` (0, 1, 2, ...) of a stream of `rate` events per second of event time. */
export function eventAt(n: number, rate: number = DEFAULT_RATE): NexmarkEvent {
  seed(n);
  const dateTime = dateTimeOf(n, rate);
  const offset = n % TOTAL_PROPORTION;
  if (offset < PERSON_PROPORTION) return { kind: 'person', person: person(n, dateTime) };
  if (offset < PERSON_PROPORTION + AUCTION_PROPORTION) return { kind: 'auction', auction: auction(n, dateTime) };
  return { kind: 'bid', bid: bid(n, dateTime) };
}

// ---- The source ----

/** Events per `pollNext`. */
export const EVENTS_PER_POLL = RECORDS_PER_POLL;

/**
 * Events 0 .. count-1 at `rate` events per second of event time; subtask i of p generates
 * n = i, i + p, i + 2p, ... (timestamps grow within a subtask). Bounded; its readers checkpoint
 * their position (stride-reader.ts).
 */
export class NexmarkSource implements Source<NexmarkEvent, StrideSplit> {
  readonly boundedness = 'bounded';

  constructor(
    readonly count: number,
    readonly rate: number = DEFAULT_RATE,
  ) {
    if (!Number.isSafeInteger(count) || count < 0) throw new RangeError(`NexmarkSource: count must be a whole number >= 0, got ${count}`);
    if (!(rate > 0) || !Number.isFinite(rate)) throw new RangeError(`NexmarkSource: rate must be a positive number of events per second, got ${rate}`);
  }

  createReader(ctx: SourceReaderContext<StrideSplit>): SourceReader<NexmarkEvent, StrideSplit> {
    const { rate } = this;
    return new StrideReader(this.count, ctx, (n) => eventAt(n, rate));
  }
}

/**
 * The Nexmark stream of a job: `count` events at `rate`, event time from each event's `dateTime`,
 * watermarks 4 s behind (bounded out-of-orderness, periodic).
 */
export function nexmarkStream(env: StreamExecutionEnvironment, count: number, rate: number = DEFAULT_RATE): DataStream<NexmarkEvent> {
  return env.fromSource(
    new NexmarkSource(count, rate),
    WatermarkStrategy.forBoundedOutOfOrderness<NexmarkEvent>(OUT_OF_ORDERNESS_MS).withTimestampAssigner(eventTime),
    'Nexmark Source',
  );
}
