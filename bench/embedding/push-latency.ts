// The embedding suite: records pushed from the main thread into a keyed, stateful job
// (bench/jobs/push-pipeline.ts) and read back with collectAsync. Measures the highest sustained
// push rate, and push -> result latency (HDR histogram) at a fixed rate, next to the same logic
// called in the main thread (the floor), with the garbage-collection pauses of every thread.

import { execFile } from 'node:child_process';
import { availableParallelism } from 'node:os';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { BroadcastChannel, Worker } from 'node:worker_threads';
import hdr from 'hdr-histogram-js';
import { runJob } from '../../src/index.js';
import { GC_CHANNEL, pipeline, watchGc, type Counted, type GcPauses, type Pushed } from '../jobs/push-pipeline.js';
import { formatRate, median } from '../utils/stats.js';

const JOB = new URL('../jobs/push-pipeline.js', import.meta.url);
const execFileAsync = promisify(execFile);
const KEYS = 1000;
/** How long the pacer spins between two turns of the event loop, ms. */
const SPIN_SLICE_MS = 0.003;
/** How much earlier than the next record a sleeping pacer wakes (a sleep overruns by up to Linux's 50 µs timer slack), ms. */
const SLEEP_MARGIN_MS = 0.06;
/** Atomic loads between two reads of the clock while the pacer spins. */
const SPIN_LOADS = 64;
const spinCell = new Int32Array(new SharedArrayBuffer(4));
/**
 * The first seconds of a paced run are not measured: after the warm-up at full speed, the code a
 * paced run takes (an actor sleeping and waking per record) still gets compiled, and the warm-up's
 * garbage collected, for about 2.5 s on this machine (stalls of 3-30 ms, measured).
 */
const PACED_WARM_UP_S = 3;
/** Records counted at the low rate (1000/s): 20 s. */
const LOW_RATE_RECORDS = 20_000;

export interface LatencyRun {
  label: string;
  rate: number;
  /** The rate the run reached (below `rate` when the job pushed back). */
  achieved: number;
  samples: number;
  p50us: number;
  p99us: number;
  p999us: number;
  maxUs: number;
  /** GC pauses of the main thread, and of the workers together. */
  mainGc: GcPauses;
  workerGc: GcPauses;
}

function histogram(): hdr.Histogram {
  return hdr.build({ lowestDiscernibleValue: 1, highestTrackableValue: 60_000_000, numberOfSignificantValueDigits: 3 });
}

/**
 * Calls `send(i)` for i in 0..count-1 at `rate` per second, each when due, without bursts; when
 * `send` asks to wait (backpressure), waits. Between records it sleeps while `settled(sent)` (every
 * result is in), else spins in short slices. Resolves with the rate achieved.
 */
function paced(count: number, rate: number, send: (i: number) => void | Promise<void>, settled: (sent: number) => boolean): Promise<number> {
  return new Promise((done) => {
    const start = performance.now();
    let sent = 0;
    const step = (): void => {
      const due = Math.min(count, Math.floor(((performance.now() - start) * rate) / 1000));
      while (sent < due) {
        const room = send(sent++);
        if (room !== undefined) {
          void room.then(step);
          return;
        }
      }
      if (sent === count) {
        done(count / ((performance.now() - start) / 1000));
        return;
      }
      // Wait for the next record in slices of SPIN_SLICE_MS, each a turn of the event loop, in
      // which results arrive: a turn per slice, not per microsecond, keeps the pacer's own
      // garbage (and so its GC pauses in the latencies) small.
      const next = start + ((sent + 1) * 1000) / rate;
      const now = performance.now();
      // Every result is in: the thread sleeps until shortly before the next record is due, as a
      // service's main thread idles between requests, instead of taking a core from the workers.
      if (settled(sent) && next - now > SLEEP_MARGIN_MS * 2) Atomics.wait(spinCell, 0, 0, next - now - SLEEP_MARGIN_MS);
      const until = Math.min(next, performance.now() + SPIN_SLICE_MS);
      // performance.now() allocates its result: read the clock every SPIN_LOADS loads, not in a tight loop.
      do for (let i = 0; i < SPIN_LOADS; i++) Atomics.load(spinCell, 0);
      while (performance.now() < until);
      setImmediate(step);
    };
    step();
  });
}

/** The workers' GC pauses, as each reports them when the job ends. */
function workerGcReports(): { readonly pauses: GcPauses; close(): void } {
  const pauses: GcPauses = { count: 0, totalMs: 0, maxMs: 0 };
  const channel = new BroadcastChannel(GC_CHANNEL);
  channel.onmessage = (event) => {
    const report = (event as { data: GcPauses }).data;
    pauses.count += report.count;
    pauses.totalMs += report.totalMs;
    pauses.maxMs = Math.max(pauses.maxMs, report.maxMs);
  };
  return { pauses, close: () => channel.close() };
}

/** Records pushed, and their results awaited, before a run starts: the workers are up and their code is warm. */
const WARM_UP_RECORDS = 50_000;

/**
 * Runs the job at `parallelism`, warms it up, hands its input to `feed`, and calls `onResult` for
 * every result of what `feed` pushed.
 */
async function withPipeline(parallelism: number, onResult: (r: Counted) => void, feed: (push: (r: Pushed) => void | Promise<void>) => Promise<void>): Promise<void> {
  const client = await runJob(JOB, { parallelism });
  const input = pipeline.input!;
  let warming = WARM_UP_RECORDS;
  let warm!: () => void;
  const warmedUp = new Promise<void>((resolve) => (warm = resolve));
  const reading = (async () => {
    for await (const r of pipeline.output!) {
      if (warming === 0) onResult(r);
      else if (--warming === 0) warm();
    }
  })();
  for (let i = 0; i < WARM_UP_RECORDS; i++) {
    const room = input.push({ key: i % KEYS, sentAt: 0 });
    if (room !== undefined) await room;
  }
  await warmedUp;
  await feed((r) => input.push(r));
  await input.close();
  await client.result;
  await reading;
}

/**
 * Records per second the job sustains from push to result, pushing as fast as push lets it, with
 * the main thread doing what it does in a latency run too (a clock read per record, a histogram).
 */
export async function maxPushRate(parallelism: number, count: number): Promise<number> {
  const latencies = histogram();
  let received = 0;
  let started = 0;
  let lastAt = 0;
  await withPipeline(
    parallelism,
    (r) => {
      received++;
      lastAt = performance.now();
      latencies.recordValue(Math.max(1, Math.round((lastAt - r.sentAt) * 1000)));
    },
    async (push) => {
      started = performance.now();
      for (let i = 0; i < count; i++) {
        const room = push({ key: i % KEYS, sentAt: performance.now() });
        if (room !== undefined) await room;
      }
    },
  );
  if (received !== count) throw new Error(`expected ${count} results, got ${received}`);
  return count / ((lastAt - started) / 1000);
}

/**
 * push -> result latency of `count` records paced at `rate`, through the job at `parallelism`.
 * The pacer spins between records, or with `sleepBetween` sleeps while every result is in.
 */
export async function pushLatency(parallelism: number, rate: number, measured: number, sleepBetween = false): Promise<LatencyRun> {
  const latencies = histogram();
  const warmUp = rate * PACED_WARM_UP_S;
  const count = warmUp + measured;
  const workers = workerGcReports();
  let received = 0;
  let main: ReturnType<typeof watchGc> | undefined;
  let achieved = 0;
  await withPipeline(
    parallelism,
    (r) => {
      if (received++ >= warmUp) latencies.recordValue(Math.max(1, Math.round((performance.now() - r.sentAt) * 1000)));
    },
    async (push) => {
      main = watchGc();
      achieved = await paced(count, rate, (i) => push({ key: i % KEYS, sentAt: performance.now() }), (sent) => sleepBetween && received === sent);
    },
  );
  main!.stop();
  // The workers' reports were posted as their operators closed, before the job ended.
  await new Promise((resolve) => setTimeout(resolve, 50));
  workers.close();
  const label = `eddy p=${parallelism}${sleepBetween ? ', main thread sleeping between records' : ''}`;
  return { ...summary(label, rate, achieved, latencies), mainGc: main!.pauses, workerGc: workers.pauses };
}

/** The same logic (a count per key in a Map) called directly in the main thread, paced alike: the floor. */
export async function inlineFloor(rate: number, measured: number): Promise<LatencyRun> {
  const latencies = histogram();
  const warmUp = rate * PACED_WARM_UP_S;
  const count = warmUp + measured;
  const counts = new Map<number, number>();
  const gc = watchGc();
  let received = 0;
  const achieved = await paced(count, rate, (i) => {
    const record: Pushed = { key: i % KEYS, sentAt: performance.now() };
    const result: Counted = { key: record.key, sentAt: record.sentAt, count: (counts.get(record.key) ?? 0) + 1 };
    counts.set(result.key, result.count);
    if (received++ >= warmUp) latencies.recordValue(Math.max(1, Math.round((performance.now() - result.sentAt) * 1000)));
  }, () => true);
  gc.stop();
  return { ...summary('inline (the floor)', rate, achieved, latencies), mainGc: gc.pauses, workerGc: { count: 0, totalMs: 0, maxMs: 0 } };
}

function summary(label: string, rate: number, achieved: number, h: hdr.Histogram): Omit<LatencyRun, 'mainGc' | 'workerGc'> {
  return { label, rate, achieved, samples: h.totalCount, p50us: h.getValueAtPercentile(50), p99us: h.getValueAtPercentile(99), p999us: h.getValueAtPercentile(99.9), maxUs: h.maxValue };
}

function gcCell(pauses: GcPauses, seconds: number): string {
  if (pauses.count === 0) return '-';
  return `${pauses.count} (${(pauses.totalMs / seconds).toFixed(1)} ms/s, max ${pauses.maxMs.toFixed(1)} ms)`;
}

interface Hiccups {
  over1ms: number;
  over5ms: number;
  maxMs: number;
}

/** `machineHiccups` in the main thread while `others` more threads spin too: one thread per subtask and the main thread, as in a run. */
async function hiccupsWithSpinners(seconds: number, others: number): Promise<Hiccups> {
  const spin = `const end = performance.now() + ${seconds * 1000 + 200}; while (performance.now() < end);`;
  const spinners = Array.from({ length: others }, () => new Worker(spin, { eval: true }));
  await Promise.all(spinners.map((w) => new Promise((resolve) => w.once('online', resolve))));
  const hiccups = machineHiccups(seconds);
  await Promise.all(spinners.map((w) => w.terminate()));
  return hiccups;
}

/**
 * How often this machine takes the CPU away from a running thread: one thread spins on the clock
 * for `seconds` and counts the gaps between two reads above 1 ms (the host's scheduling, with
 * nothing else of ours running). Latencies above this come from the machine, not the engine.
 */
function machineHiccups(seconds: number): Hiccups {
  const end = performance.now() + seconds * 1000;
  let last = performance.now();
  const hiccups: Hiccups = { over1ms: 0, over5ms: 0, maxMs: 0 };
  for (let now = last; now < end; now = performance.now()) {
    const gap = now - last;
    if (gap > 1) hiccups.over1ms++;
    if (gap > 5) hiccups.over5ms++;
    hiccups.maxMs = Math.max(hiccups.maxMs, gap);
    last = now;
  }
  return hiccups;
}

/** One latency run in a fresh process (bench/embedding/latency-child.ts). */
async function inChild(what: 'floor' | 'eddy', parallelism: number, rate: number, records: number, pacer: 'spin' | 'sleep'): Promise<LatencyRun> {
  const child = fileURLToPath(new URL('./latency-child.js', import.meta.url));
  const { stdout } = await execFileAsync(process.execPath, [child, what, String(parallelism), String(rate), String(records), pacer], { maxBuffer: 1 << 20 });
  return JSON.parse(stdout) as LatencyRun;
}

/** The suite: max rate at p=1 and p=2 (median of `rounds`), then latency at 10 k/s, 50 k/s and half the p=2 maximum. */
export async function embeddingSuite(options: { rounds: number; count: number }): Promise<string> {
  const maxCount = Math.max(200_000, Math.min(options.count, 2_000_000));
  const rates: Record<number, number[]> = { 1: [], 2: [] };
  for (let round = 0; round < options.rounds; round++) {
    for (const p of [1, 2]) rates[p]!.push(await maxPushRate(p, maxCount));
  }
  const max1 = median(rates[1]!);
  const max2 = median(rates[2]!);
  const half = Math.round(max2 / 2 / 1000) * 1000;
  console.error(`max push rate: p=1 ${rates[1]!.map(formatRate).join(', ')}; p=2 ${rates[2]!.map(formatRate).join(', ')}`);
  const latencyCount = 100_000;
  const runs: LatencyRun[] = [];
  // 1000/s: a low rate, where the workers sleep between records and each one pays their wake-up.
  runs.push(await inChild('eddy', 2, 1000, LOW_RATE_RECORDS, 'spin'));
  for (const rate of [10_000, 50_000, half]) {
    const measured = Math.max(latencyCount, Math.round(rate * 3));
    runs.push(await inChild('floor', 1, rate, measured, 'spin'));
    if (rate === 10_000) runs.push(await inChild('eddy', 1, rate, measured, 'spin'));
    runs.push(await inChild('eddy', 2, rate, measured, 'spin'));
    if (rate === 10_000) runs.push(await inChild('eddy', 2, rate, measured, 'sleep'));
  }
  const rows = runs.map((r) => {
    const seconds = r.samples / r.achieved + PACED_WARM_UP_S;
    return `| ${r.label} | ${formatRate(r.rate)} (${formatRate(r.achieved)}) | ${r.samples} | ${r.p50us} µs | ${r.p99us} µs | ${r.p999us} µs | ${r.maxUs} µs | ${gcCell(r.mainGc, seconds)} | ${gcCell(r.workerGc, seconds)} |`;
  });
  const alone = machineHiccups(5);
  const crowded = await hiccupsWithSpinners(5, 2);
  const hiccupLine = (h: Hiccups): string => `more than 1 ms ${h.over1ms} times, more than 5 ms ${h.over5ms} times (longest ${h.maxMs.toFixed(1)} ms)`;
  return [
    `Keyed stateful pipeline: push (keyed straight to the subtask) -> count per key (ValueState) -> collectAsync, ${KEYS} keys.`,
    '',
    `Highest sustained push rate (${maxCount} records pushed as fast as push takes them, awaiting room, to the last result, with a latency histogram kept as below; median of ${options.rounds} alternated rounds): p=1 ${formatRate(max1)} records/s, p=2 ${formatRate(max2)} records/s.`,
    '',
    'push -> result latency, records paced one by one by the main thread, which spins between them (taking a core) or, where the row says so, sleeps while every result is in (as a service idles between requests); at parallelism 2 (and 1 at 10 k/s); each run in a fresh process, after 50 000 records pushed and read back to warm the job up; the first 3 s of each run are not counted (the paced path still compiles then). GC: pauses, their time per second of the run, the longest.',
    '',
    '| pipeline | rate, records/s (reached) | samples | p50 | p99 | p99.9 | max | main thread GC | worker GC (all) |',
    '|---|---|---|---|---|---|---|---|---|',
    ...rows,
    '',
    `The machine itself: a thread spinning on the clock for 5 s lost the CPU ${hiccupLine(alone)} alone, and ${hiccupLine(crowded)} ` +
      `with two more threads spinning (a run at p=2: the main thread and two workers, on ${availableParallelism()} cores).`,
  ].join('\n');
}
