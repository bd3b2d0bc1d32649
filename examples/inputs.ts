// The examples' input: small event logs generated from a fixed seed, identical on every run and in
// every worker, in event-time order. The tests import them to recompute each example's answer.

/** 09:00:00 UTC on 1 January 2026: where every generated log starts (epoch ms). */
export const START = Date.UTC(2026, 0, 1, 9, 0, 0);

/** "HH:MM:SS" of an epoch-ms time, in UTC. */
export function clock(ms: number): string {
  return new Date(ms).toISOString().slice(11, 19);
}

/** mulberry32: a tiny deterministic generator of numbers in [0, 1). */
function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A whole number in [0, n). */
function below(next: () => number, n: number): number {
  return Math.floor(next() * n);
}

/** A temperature reading, named as in the PyFlink sensor example. */
export interface SensorReading {
  device_id: string;
  /** Degrees Celsius, a multiple of 0.5 (so sums are exact in floating point). */
  temp: number;
  /** When it was measured (epoch ms). */
  time: number;
}

/** Three sensors over `seconds` seconds; each reports about four seconds in five. */
export function sensorReadings(seconds = 30): SensorReading[] {
  const next = random(1);
  const readings: SensorReading[] = [];
  for (let s = 0; s < seconds; s++) {
    for (let d = 1; d <= 3; d++) {
      if (next() < 0.2) continue;
      readings.push({ device_id: `sensor-${d}`, temp: 18 + below(next, 13) * 0.5, time: START + s * 1000 + d * 100 });
    }
  }
  return readings;
}

export interface StockTick {
  symbol: string;
  /** Dollars, with cents. */
  price: number;
  time: number;
}

/** Three symbols over `minutes` minutes: a tick every 1-20 s on a random symbol, prices walking by cents. */
export function stockTicks(minutes = 20): StockTick[] {
  const next = random(2);
  const cents = new Map<string, number>([
    ['ACME', 10_000],
    ['GLOBEX', 4_250],
    ['INITECH', 2_575],
  ]);
  const symbols = [...cents.keys()];
  const ticks: StockTick[] = [];
  for (let time = START; time < START + minutes * 60_000; time += 1000 + below(next, 20) * 1000) {
    const symbol = symbols[below(next, symbols.length)]!;
    const price = cents.get(symbol)! + below(next, 51) - 25;
    cents.set(symbol, price);
    ticks.push({ symbol, price: price / 100, time });
  }
  return ticks;
}

export interface Transaction {
  card: string;
  city: string;
  /** Euros, with cents. */
  amount: number;
  time: number;
}

const CITIES = ['Lisbon', 'Porto', 'Madrid', 'Paris', 'Berlin'];

/** `count` card payments, 0-60 s apart, by 20 cards that mostly (nine times in ten) stay in their home city. */
export function transactions(count = 300): Transaction[] {
  const next = random(3);
  const txs: Transaction[] = [];
  let time = START;
  for (let i = 0; i < count; i++) {
    time += below(next, 61) * 1000;
    const c = below(next, 20);
    const city = next() < 0.9 ? CITIES[c % CITIES.length]! : CITIES[below(next, CITIES.length)]!;
    txs.push({ card: `card-${String(c + 1).padStart(2, '0')}`, city, amount: (500 + below(next, 20_000)) / 100, time });
  }
  return txs;
}

export interface Click {
  user: string;
  page: string;
  time: number;
}

const PAGES = ['/home', '/search', '/product', '/cart', '/checkout'];

/**
 * Clicks of five users over a day, merged in time order: most come 1-10 minutes apart, about one
 * gap in eight is 31-120 minutes (a new session) and one in twelve exactly 30 minutes (the same
 * session: session windows that touch merge).
 */
export function clicks(perUser = 30): Click[] {
  const next = random(4);
  const all: Click[] = [];
  for (const user of ['alice', 'bob', 'carol', 'dave', 'erin']) {
    let time = START + below(next, 60) * 60_000;
    for (let i = 0; i < perUser; i++) {
      all.push({ user, page: PAGES[below(next, PAGES.length)]!, time });
      const roll = next();
      const minutes = roll < 1 / 8 ? 31 + below(next, 90) : roll < 1 / 8 + 1 / 12 ? 30 : 1 + below(next, 10);
      time += minutes * 60_000;
    }
  }
  return all.sort((a, b) => a.time - b.time || a.user.localeCompare(b.user));
}
