// An independent JavaScript reading of bench/nexmark/SPEC.md (generator and queries) and of the
// seed job in ../README.md, written from the text alone with plain loops, to check the Flink jobs:
//   node scripts/spec-check.mjs --dump 60 [--query seed]      the same JSON lines as `run.sh --dump 60`
//   node scripts/spec-check.mjs --query q5 --events 20000 --rate 1000
//                                                             the expected sorted output lines, as
//                                                             `run.sh ... --output FILE` writes them
// scripts/check.sh runs both sides on every query and diffs them.
const BASE_TIME = 1_700_000_000_000;

function rng(eventId) {
  let state = (Math.imul(eventId, 0x9e3779b1) + 0x7f4a7c15) >>> 0;
  const nextU32 = () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return (t ^ (t >>> 14)) >>> 0;
  };
  return {
    nextInt: (n) => Math.floor((nextU32() * n) / 2 ** 32),
    nextDouble: () => nextU32() / 2 ** 32,
  };
}

const FIRST_NAMES = 'Peter Paul Luke John Saul Vicky Kate Julie Sarah Deiter Walter'.split(' ');
const LAST_NAMES = 'Shultz Abrams Spencer White Bartels Walton Smith Jones Noris'.split(' ');
const US_STATES = 'AZ CA ID OR WA WY'.split(' ');
const US_CITIES = 'Phoenix Los_Angeles San_Francisco Boise Portland Bend Redmond Seattle Kent Cheyenne'.split(' ');

const div = (a, b) => Math.floor(a / b);
function lastBase0PersonId(n) {
  const epoch = div(n, 50);
  let offset = n % 50;
  if (offset >= 1) offset = 0;
  return epoch + offset;
}
function lastBase0AuctionId(n) {
  let epoch = div(n, 50);
  let offset = n % 50;
  if (offset < 1) {
    epoch -= 1;
    offset = 2;
  } else if (offset >= 4) offset = 2;
  else offset -= 1;
  return epoch * 3 + offset;
}
function nextBase0PersonId(n, rnd) {
  const people = lastBase0PersonId(n) + 1;
  const active = Math.min(people, 1000);
  return people - active + rnd.nextInt(active + 10);
}
function nextBase0AuctionId(n, rnd) {
  const max = lastBase0AuctionId(n);
  const min = Math.max(max - 100, 0);
  return min + rnd.nextInt(max - min + 1 + 10);
}
const nextPrice = (rnd) => Math.round(10 ** (rnd.nextDouble() * 6) * 100);
function nextString(rnd, len) {
  let s = '';
  for (let i = 0; i < len; i++) s += String.fromCharCode(97 + rnd.nextInt(26));
  return s;
}
function extra(rnd, currentSize, target) {
  const desired = target + rnd.nextInt(div(target, 5) + 1) - div(target, 10);
  return currentSize >= desired ? '' : nextString(rnd, desired - currentSize);
}

function event(n, rate) {
  const rnd = rng(n);
  const dateTime = BASE_TIME + Math.floor((n * 1000) / rate);
  const offset = n % 50;
  if (offset < 1) {
    const id = lastBase0PersonId(n) + 1000;
    const first = FIRST_NAMES[rnd.nextInt(FIRST_NAMES.length)];
    const name = first + ' ' + LAST_NAMES[rnd.nextInt(LAST_NAMES.length)];
    const user = nextString(rnd, 7);
    const emailAddress = user + '@' + nextString(rnd, 5) + '.com';
    const groups = [];
    for (let i = 0; i < 4; i++) groups.push(String(1000 + rnd.nextInt(9000)));
    const creditCard = groups.join(' ');
    const city = US_CITIES[rnd.nextInt(US_CITIES.length)];
    const state = US_STATES[rnd.nextInt(US_STATES.length)];
    const size = name.length + emailAddress.length + creditCard.length + city.length + state.length + 16;
    return { kind: 'person', person: { id, name, emailAddress, creditCard, city, state, dateTime, extra: extra(rnd, size, 200) } };
  }
  if (offset < 4) {
    const id = lastBase0AuctionId(n) + 1000;
    const seller = (rnd.nextInt(4) > 0 ? div(lastBase0PersonId(n), 4) * 4 : nextBase0PersonId(n, rnd)) + 1000;
    const category = 10 + rnd.nextInt(5);
    const initialBid = nextPrice(rnd);
    const expires = dateTime + 10_000 + rnd.nextInt(20_000);
    const reserve = initialBid + nextPrice(rnd);
    const itemName = nextString(rnd, 8);
    const description = nextString(rnd, 20);
    const size = itemName.length + description.length + 8 * 7;
    return {
      kind: 'auction',
      auction: { id, itemName, description, initialBid, reserve, dateTime, expires, seller, category, extra: extra(rnd, size, 500) },
    };
  }
  const auction = (rnd.nextInt(2) > 0 ? div(lastBase0AuctionId(n), 2) * 2 : nextBase0AuctionId(n, rnd)) + 1000;
  const bidder = (rnd.nextInt(4) > 0 ? div(lastBase0PersonId(n), 4) * 4 + 1 : nextBase0PersonId(n, rnd)) + 1000;
  const price = nextPrice(rnd);
  const c = rnd.nextInt(10000);
  const channel = 'channel-' + c;
  const url = 'https://www.nexmark.com/' + nextString(rnd, 5) + '/item.htm?query=1&channel_id=' + c;
  const size = channel.length + url.length + 8 * 4;
  return { kind: 'bid', bid: { auction, bidder, price, channel, url, dateTime, extra: extra(rnd, size, 100) } };
}

function reading(n, rate, devices) {
  const rnd = rng(n);
  const device_id = 'sensor-' + rnd.nextInt(devices);
  const temp = rnd.nextInt(4000) / 100;
  return { device_id, temp, ts: BASE_TIME + Math.floor((n * 1000) / rate) };
}

// ---- the queries, as plain loops over the whole input (bounded: every window fires at the end) ----

const windowStart = (ts, size) => ts - (ts % size);

function runQuery(query, events, rate, devices) {
  const out = [];
  if (query === 'seed') {
    const windows = new Map(); // device -> Map(windowEnd -> mean)
    for (let n = 0; n < events; n++) {
      const r = reading(n, rate, devices);
      let perDevice = windows.get(r.device_id);
      if (!perDevice) windows.set(r.device_id, (perDevice = new Map()));
      for (let start = windowStart(r.ts, 5000); start > r.ts - 10_000; start -= 5000) {
        const end = start + 10_000;
        const acc = perDevice.get(end);
        perDevice.set(end, acc === undefined ? r.temp : (acc + r.temp) / 2);
      }
    }
    for (const [device, perDevice] of windows) for (const [end, temp] of perDevice) out.push(`${device},${end},${Math.round(temp * 1000)}`);
    return out;
  }
  const all = [];
  for (let n = 0; n < events; n++) all.push(event(n, rate));
  const bids = all.filter((e) => e.kind === 'bid').map((e) => e.bid);
  switch (query) {
    case 'q0':
      for (const e of all) out.push(e.kind === 'person' ? `person,${e.person.id}` : e.kind === 'auction' ? `auction,${e.auction.id}` : `bid,${e.bid.auction},${e.bid.bidder},${e.bid.price}`);
      break;
    case 'q1':
      for (const b of bids) out.push(`${b.auction},${b.bidder},${Math.floor((b.price * 908) / 1000)},${b.dateTime}`);
      break;
    case 'q2':
      for (const b of bids) if (b.auction % 123 === 0) out.push(`${b.auction},${b.price}`);
      break;
    case 'q3': {
      const persons = new Map();
      for (const e of all) if (e.kind === 'person' && ['OR', 'ID', 'CA'].includes(e.person.state)) persons.set(e.person.id, e.person);
      for (const e of all) {
        if (e.kind !== 'auction' || e.auction.category !== 10) continue;
        const p = persons.get(e.auction.seller);
        if (p) out.push(`${p.name},${p.city},${p.state},${e.auction.id}`);
      }
      break;
    }
    case 'q5': {
      const counts = new Map(); // windowEnd -> Map(auction -> count)
      for (const b of bids) {
        for (let start = windowStart(b.dateTime, 2000); start > b.dateTime - 10_000; start -= 2000) {
          const end = start + 10_000;
          let perWindow = counts.get(end);
          if (!perWindow) counts.set(end, (perWindow = new Map()));
          perWindow.set(b.auction, (perWindow.get(b.auction) ?? 0) + 1);
        }
      }
      for (const [end, perWindow] of counts) {
        const max = Math.max(...perWindow.values());
        for (const [auction, count] of perWindow) if (count === max) out.push(`${end},${auction},${count}`);
      }
      break;
    }
    case 'q7': {
      const best = new Map();
      const beats = (a, b) =>
        a.price !== b.price ? a.price > b.price : a.bidder !== b.bidder ? a.bidder < b.bidder : a.auction !== b.auction ? a.auction < b.auction : a.dateTime < b.dateTime;
      for (const b of bids) {
        const end = windowStart(b.dateTime, 10_000) + 10_000;
        const current = best.get(end);
        if (!current || beats(b, current)) best.set(end, b);
      }
      for (const [end, b] of best) out.push(`${end},${b.auction},${b.bidder},${b.price}`);
      break;
    }
    case 'q8': {
      const sellers = new Set();
      for (const e of all) if (e.kind === 'auction') sellers.add(`${windowStart(e.auction.dateTime, 10_000)}/${e.auction.seller}`);
      const seen = new Set();
      for (const e of all) {
        if (e.kind !== 'person') continue;
        const start = windowStart(e.person.dateTime, 10_000);
        const key = `${start}/${e.person.id}`;
        if (sellers.has(key) && !seen.has(key)) {
          seen.add(key);
          out.push(`${e.person.id},${e.person.name},${start}`);
        }
      }
      break;
    }
    case 'q11': {
      // Flink merges session windows [t, t + gap) that intersect or touch: a bid exactly `gap` ms
      // after the previous one still joins its session.
      const perBidder = new Map();
      for (const b of bids) {
        let times = perBidder.get(b.bidder);
        if (!times) perBidder.set(b.bidder, (times = []));
        times.push(b.dateTime);
      }
      for (const [bidder, times] of perBidder) {
        times.sort((a, b) => a - b);
        let start = times[0];
        let end = start + 10_000;
        let count = 0;
        for (const t of times) {
          if (t > end) {
            out.push(`${bidder},${count},${start},${end}`);
            start = t;
            count = 0;
          }
          count++;
          end = Math.max(end, t + 10_000);
        }
        out.push(`${bidder},${count},${start},${end}`);
      }
      break;
    }
    default:
      throw new Error(`unknown query ${query}`);
  }
  return out;
}

const args = process.argv.slice(2);
const flag = (name, fallback) => {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : fallback;
};
const query = flag('--query', 'q0');
const devices = Number(flag('--devices', 1000));
const dump = flag('--dump', undefined);
const rate = Number(flag('--rate', dump !== undefined ? (query === 'seed' ? 10_000 : 10_000_000) : query === 'seed' ? 10_000 : 10_000_000));
let lines;
if (dump !== undefined) {
  lines = [];
  for (let n = 0; n < Number(dump); n++) lines.push(JSON.stringify(query === 'seed' ? reading(n, rate, devices) : event(n, rate)));
} else {
  lines = runQuery(query, Number(flag('--events', 20_000)), rate, devices);
  lines.sort(); // UTF-16 code unit order, as Java's String.compareTo
}
if (lines.length > 0) process.stdout.write(lines.join('\n') + '\n');
