// The fraud-service suite: HTTP load (autocannon) on examples/fraud-service.ts, with the rule in an
// eddy job at parallelism 1 and 2 and inline in the main thread (the floor), each a fresh child
// process, rounds alternated; requests/s, latency percentiles and failures, medians per mode.

import autocannon from 'autocannon';
import { fileURLToPath } from 'node:url';
import { startReadyChild } from '../utils/ready-child.js';
import { formatRate, median } from '../utils/stats.js';

const SERVICE = fileURLToPath(new URL('../../examples/fraud-service.js', import.meta.url));
const ROUNDS = 3;
const WARM_UP_S = 1;
const CARDS = 10_000;
const CITIES = ['Lisbon', 'Porto', 'Madrid', 'Paris', 'Berlin'];

interface Mode {
  name: string;
  flags: string[];
}

const MODES: readonly Mode[] = [
  { name: 'inline (no eddy)', flags: ['--inline'] },
  { name: 'eddy p=1', flags: ['--parallelism', '1'] },
  { name: 'eddy p=2', flags: ['--parallelism', '2'] },
];

interface LoadRun {
  requestsPerS: number;
  p50ms: number;
  p99ms: number;
  p999ms: number;
  non2xx: number;
  errors: number;
}

/**
 * Payment bodies (no time: the service stamps them): each card in turn, at home but every
 * seventh payment in the next city, so about two in seven are alerts (to there and back).
 */
function paymentBodies(): string[] {
  return Array.from({ length: CARDS * 7 }, (_, n) => {
    const card = n % CARDS;
    const city = CITIES[(card + (n % 7 === 0 ? 1 : 0)) % CITIES.length]!;
    return JSON.stringify({ card: `card-${card}`, city });
  });
}

function load(url: string, durationS: number, connections: number, bodies: readonly string[]): Promise<autocannon.Result> {
  let next = 0;
  return autocannon({
    url,
    connections,
    duration: durationS,
    requests: [
      {
        method: 'POST',
        path: '/transactions',
        headers: { 'content-type': 'application/json' },
        setupRequest: (request) => ({ ...request, body: bodies[next++ % bodies.length]! }),
      },
    ],
  });
}

/** One run of one mode: a fresh service, a warm-up load, the measured load, SIGTERM (which must end it with 0). */
async function runMode(mode: Mode, durationS: number, connections: number, bodies: readonly string[]): Promise<LoadRun> {
  const service = await startReadyChild(process.execPath, [SERVICE, '--port', '0', ...mode.flags], /listening on (http:\/\/127\.0\.0\.1:\d+)/);
  const url = service.ready[1]!;
  try {
    await load(url, WARM_UP_S, connections, bodies);
    const result = await load(url, durationS, connections, bodies);
    return {
      requestsPerS: result.requests.average,
      p50ms: result.latency.p50,
      p99ms: result.latency.p99,
      p999ms: result.latency.p99_9,
      non2xx: result.non2xx,
      errors: result.errors,
    };
  } finally {
    const code = await service.stop('SIGTERM');
    if (code !== 0) throw new Error(`fraud-service (${mode.name}) exited with ${code} after SIGTERM:\n${service.output()}`);
  }
}

export async function fraudServiceLoad(options: { durationS: number; connections: number }): Promise<string> {
  const bodies = paymentBodies();
  const runs = new Map<Mode, LoadRun[]>(MODES.map((mode) => [mode, []]));
  for (let round = 0; round < ROUNDS; round++) {
    for (const mode of MODES) runs.get(mode)!.push(await runMode(mode, options.durationS, options.connections, bodies));
  }
  const inlineRate = median(runs.get(MODES[0]!)!.map((r) => r.requestsPerS));
  const rows = MODES.map((mode) => {
    const of = (pick: (r: LoadRun) => number): number => median(runs.get(mode)!.map(pick));
    const total = (pick: (r: LoadRun) => number): number => runs.get(mode)!.reduce((sum, r) => sum + pick(r), 0);
    const rate = of((r) => r.requestsPerS);
    return `| ${mode.name} | ${formatRate(rate)} | ${(rate / inlineRate).toFixed(2)} | ${of((r) => r.p50ms)} | ${of((r) => r.p99ms)} | ${of((r) => r.p999ms)} | ${total((r) => r.non2xx)} | ${total((r) => r.errors)} |`;
  });
  return [
    `POST /transactions, ${options.connections} connections, ${options.durationS} s per run after a ${WARM_UP_S} s warm-up, bodies over ${CARDS} cards; ` +
      `${ROUNDS} rounds alternated, a fresh service per run; medians (non-2xx and errors: totals over the runs).`,
    '',
    '| mode | requests/s | vs inline | p50 (ms) | p99 (ms) | p99.9 (ms) | non-2xx | errors |',
    '|---|---|---|---|---|---|---|---|',
    ...rows,
  ].join('\n');
}
