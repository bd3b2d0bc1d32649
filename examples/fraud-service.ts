// The fraud rule as an HTTP service: POST /transactions with {card, city, time?} answers whether the
// payment is fraud (the same card in another city within ten minutes). Each request goes through
// an eddy job (env.fromRequests keyed by card, examples/fraud-detector.ts) to the worker thread
// that holds its card's last use, and the detector's alert, if any, is the reply. With --inline
// the same rule runs in the main thread on a plain Map, without eddy: the baseline of
// bench/embedding/http-load.ts.
//
// Run:  node dist/examples/fraud-service.js [--port 8080] [--parallelism N] [--inline]
//       (or PORT=8080 INLINE=1; --port 0 picks a free port; SIGINT/SIGTERM shut it down cleanly)
// Try:  curl -s -XPOST 127.0.0.1:8080/transactions -d '{"card":"c1","city":"Lisbon"}'  -> {"fraud":false}
//       curl -s -XPOST 127.0.0.1:8080/transactions -d '{"card":"c1","city":"Paris"}'   -> {"fraud":true,"alert":{...}}
// `time` (epoch ms, default: now) is the event time the rule compares: send a card's payments in time order.

import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { Command, InvalidArgumentError } from 'commander';
import { StreamExecutionEnvironment, WatermarkStrategy } from 'eddy';
import { secondCityAlert, TwoCitiesWithinTenMinutes, type Alert, type CardUse, type LastUse } from './fraud-detector.js';

function wholeNumber(min: number): (value: string) => number {
  return (value) => {
    const n = Number(value);
    if (!Number.isInteger(n) || n < min) throw new InvalidArgumentError(`expected a whole number of at least ${min}.`);
    return n;
  };
}

const options = new Command()
  .option('--port <n>', 'port on 127.0.0.1, 0 for any free one (default: $PORT or 8080)', wholeNumber(0), Number(process.env['PORT'] ?? 8080))
  .option('--parallelism <n>', 'parallelism of the job (default: the number of cores)', wholeNumber(1))
  .option('--inline', 'apply the rule in the main thread without eddy (also INLINE=1)', process.env['INLINE'] === '1')
  .parse(process.argv)
  .opts<{ port: number; parallelism?: number; inline: boolean }>();

/** What the service needs of the rule, with or without eddy. */
interface Detector {
  check(use: CardUse): Promise<Alert | undefined>;
  /** Answers what was sent, then stops. */
  close(): Promise<void>;
}

/** The rule in an eddy job. In its worker threads, which run this script to build the job, this never returns. */
async function eddyDetector(parallelism: number | undefined): Promise<Detector> {
  const env = StreamExecutionEnvironment.getExecutionEnvironment();
  if (parallelism !== undefined) env.setParallelism(parallelism);
  const checks = env.fromRequests<CardUse, Alert>('transactions', {
    keyBy: (use) => use.card,
    watermarks: WatermarkStrategy.forMonotonousTimestamps<CardUse>().withTimestampAssigner((use) => use.time),
  });
  checks.process(new TwoCitiesWithinTenMinutes()).name('Two Cities Within Ten Minutes').reply();
  const job = await env.executeAsync('fraud-service');
  console.log(`fraud-service: eddy at parallelism ${env.getParallelism()}`);
  // A failed job fails the requests (503); it is reported here once, and again by close().
  job.result.catch((error: unknown) => console.error(`fraud-service: the job failed: ${String(error)}`));
  return {
    check: (use) => checks.request(use),
    close: async () => {
      await checks.close();
      await job.result;
    },
  };
}

/** The rule in the main thread: each card's last use in a Map (kept forever: no timers). */
function inlineDetector(): Detector {
  console.log('fraud-service: inline, without eddy');
  const lastUses = new Map<string, LastUse>();
  return {
    check: async (use) => {
      const now = { city: use.city, time: use.time };
      const alert = secondCityAlert(use.card, lastUses.get(use.card), now);
      lastUses.set(use.card, now);
      return alert;
    },
    close: async () => undefined,
  };
}

/** The payment in a request body, or the reason it is not one. */
function parseCardUse(body: string): CardUse | string {
  let value: unknown;
  try {
    value = JSON.parse(body);
  } catch {
    return 'the body is not JSON: send {"card": string, "city": string, "time"?: epoch ms}.';
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return 'the body must be a JSON object {"card", "city", "time"?}.';
  const { card, city, time = Date.now() } = value as Record<string, unknown>;
  if (typeof card !== 'string' || card === '') return '"card" must be a non-empty string.';
  if (typeof city !== 'string' || city === '') return '"city" must be a non-empty string.';
  if (typeof time !== 'number' || !Number.isSafeInteger(time) || time < 0) return '"time" must be epoch milliseconds (a whole number of 0 or more).';
  return { card, city, time };
}

function send(res: ServerResponse, status: number, body: object): void {
  res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

async function handle(detector: Detector, req: IncomingMessage, res: ServerResponse): Promise<void> {
  if (req.url !== '/transactions') return send(res, 404, { error: `no such path: ${req.url}; POST /transactions.` });
  if (req.method !== 'POST') return send(res.setHeader('allow', 'POST'), 405, { error: `${req.method} is not allowed; POST /transactions.` });
  const use = parseCardUse(await readBody(req));
  if (typeof use === 'string') return send(res, 400, { error: use });
  let alert: Alert | undefined;
  try {
    alert = await detector.check(use);
  } catch (error) {
    return send(res, 503, { error: error instanceof Error ? error.message : String(error) });
  }
  send(res, 200, alert === undefined ? { fraud: false } : { fraud: true, alert });
}

const detector = options.inline ? inlineDetector() : await eddyDetector(options.parallelism);
const server = createServer((req, res) => {
  handle(detector, req, res).catch(() => res.destroy());
});
server.listen(options.port, '127.0.0.1', () => {
  const address = server.address();
  console.log(`listening on http://127.0.0.1:${typeof address === 'object' && address !== null ? address.port : options.port}`);
});

async function shutDown(signal: string): Promise<void> {
  console.log(`fraud-service: ${signal}, shutting down`);
  server.close();
  server.closeIdleConnections();
  try {
    await detector.close();
  } catch {
    process.exitCode = 1;
  }
  server.closeAllConnections();
}
process.once('SIGINT', (signal) => void shutDown(signal));
process.once('SIGTERM', (signal) => void shutDown(signal));
