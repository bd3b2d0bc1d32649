// What watching a job costs (issue: at most 2 % of the keyed pipeline's throughput): the keyed
// pipeline generate -> map -> keyBy -> rolling sum -> discard at parallelism 1 and 2, unwatched
// and with the dashboard on (sampled every second), a browser-like client reading the live
// stream and Prometheus scraping /metrics every second, alternated over several rounds. Each run
// is a process of its own (monitoring-child.ts), so that a watched run's server and sampling
// clock do not outlive it into an unwatched one.

import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { runJob } from '../src/index.js';
import { measure } from './utils/measure.js';
import { formatRate, median, spreadPercent } from './utils/stats.js';

export interface MonitoringCostOptions {
  readonly count: number;
  readonly keys: number;
  readonly rounds: number;
  readonly parallelisms: readonly number[];
}

interface Row {
  readonly variant: string;
  readonly parallelism: number;
  readonly rates: number[];
}

/** Reads the job's live stream to its end, as the dashboard does, and scrapes /metrics every second meanwhile. */
async function watch(webUI: string, jobId: string, done: Promise<unknown>): Promise<void> {
  const controller = new AbortController();
  const stream = fetch(new URL(`jobs/${jobId}/events`, webUI), { signal: controller.signal }).then(async (response) => {
    for await (const _ of response.body as AsyncIterable<Uint8Array>);
  });
  const scrape = setInterval(() => void fetch(new URL('metrics', webUI)).then((r) => r.text()), 1000);
  await done.catch(() => undefined);
  clearInterval(scrape);
  controller.abort();
  await stream.catch(() => undefined);
}

async function run(count: number, keys: number, parallelism: number, watched: boolean): Promise<void> {
  const job = await runJob(new URL('./jobs/keyed-sum.js', import.meta.url), { parallelism, args: { count, keys }, webUI: watched ? { port: 0 } : false });
  if (watched) await watch(job.webUI!, job.id, job.result);
  await job.result;
}

/** One run in this process, after a warm-up run of the same kind: its records per second. */
export async function measuredRun(count: number, keys: number, parallelism: number, watched: boolean): Promise<number> {
  await run(200_000, keys, parallelism, watched);
  const m = await measure(() => run(count, keys, parallelism, watched));
  return count / m.seconds;
}

const execFileAsync = promisify(execFile);

/** One run in a child process. */
async function childRun(count: number, keys: number, parallelism: number, watched: boolean): Promise<number> {
  const child = new URL('./monitoring-child.js', import.meta.url);
  const { stdout } = await execFileAsync(process.execPath, [child.pathname, String(count), String(keys), String(parallelism), watched ? 'watched' : 'unwatched'], { maxBuffer: 1 << 20 });
  return Number(JSON.parse(stdout));
}

export async function monitoringCost(options: MonitoringCostOptions): Promise<string> {
  const rows: Row[] = options.parallelisms.flatMap((parallelism) => [
    { variant: 'unwatched', parallelism, rates: [] },
    { variant: 'dashboard + live stream + /metrics every 1 s', parallelism, rates: [] },
  ]);
  // Each round runs the pair back to back, in the order flipped every round (ABBA), so that drift
  // of the machine's speed falls on both; the cost is the median of the rounds' paired ratios.
  for (let round = 0; round < options.rounds; round++) {
    for (const parallelism of options.parallelisms) {
      const pair = rows.filter((r) => r.parallelism === parallelism);
      for (const row of round % 2 === 0 ? pair : [...pair].reverse()) row.rates.push(await childRun(options.count, options.keys, row.parallelism, row.variant !== 'unwatched'));
    }
  }
  const lines = ['| parallelism | variant | records/s (median) | spread | vs unwatched (median of paired rounds) |', '|---|---|---|---|---|'];
  for (const row of rows) {
    const base = rows.find((r) => r.parallelism === row.parallelism && r.variant === 'unwatched')!.rates;
    const paired = row.rates.map((rate, i) => rate / base[i]! - 1);
    lines.push(`| ${row.parallelism} | ${row.variant} | ${formatRate(median(row.rates))} | ±${spreadPercent(row.rates).toFixed(0)} % | ${(median(paired) * 100).toFixed(1)} % |`);
  }
  return `${options.count} records, ${options.keys} keys, ${options.rounds} rounds, the pair in flipped order each round, each run in a fresh process after a warm-up run; medians, spread = half the range.\n\n${lines.join('\n')}`;
}
