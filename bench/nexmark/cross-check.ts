// Checks that eddy and the Flink reference compute the same thing (bench/nexmark/SPEC.md): the
// first events of both generators, then every query's sorted output lines on a small input.
//
//   node dist/bench/nexmark/cross-check.js --flink "java -cp <classpath> eddy.reference.Run" \
//     [--events 20000] [--rate 10000000] [--parallelism 1] [--dump 1000] [--queries q0,q5,seed]
//
// The Flink command gets SPEC.md's flags appended (--query, --events, --parallelism, --rate,
// --output FILE; --dump N [--query seed]). Prints one line per check and exits non-zero if any differs.
// The seed job is compared at parallelism 1 only: its pairwise mean depends on arrival order.

import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Command, InvalidArgumentError, Option } from 'commander';
import { DEFAULT_RATE, eventAt } from './generator.js';
import { QUERIES } from './queries.js';
import { eventJson, runNexmark } from './run.js';
import { DEFAULT_SEED_RATE, readingAt } from './sensor.js';

function wholeNumber(min: number) {
  return (value: string): number => {
    const n = Number(value);
    if (!Number.isSafeInteger(n) || n < min) throw new InvalidArgumentError(`expected a whole number of at least ${min}.`);
    return n;
  };
}

interface Options {
  flink: string;
  events: number;
  rate?: number;
  parallelism: number;
  dump: number;
  queries: string;
}

/** Runs the Flink command with `args` appended (through the shell: the command may hold a class path); returns stdout. */
function flink(command: string, args: string[]): string {
  const result = spawnSync('sh', ['-c', `${command} ${args.map((a) => `'${a}'`).join(' ')}`], { encoding: 'utf8', maxBuffer: 1 << 30 });
  if (result.status !== 0) throw new Error(`Flink run failed (${result.status}): ${command} ${args.join(' ')}\n${result.stderr.slice(-2000)}`);
  return result.stdout;
}

/** The first line where two texts differ, for the report. */
function firstDifference(a: string, b: string): string {
  const la = a.split('\n');
  const lb = b.split('\n');
  for (let i = 0; i < Math.max(la.length, lb.length); i++) {
    if (la[i] !== lb[i]) return `line ${i + 1}: eddy ${JSON.stringify(la[i])} vs flink ${JSON.stringify(lb[i])}`;
  }
  return 'none';
}

async function main(): Promise<void> {
  const o = new Command()
    .name('cross-check')
    .requiredOption('--flink <command>', 'the Flink reference runner, e.g. "java -cp <cp> eddy.reference.Run"')
    .addOption(new Option('--events <n>', 'events per query').argParser(wholeNumber(1)).default(20_000))
    .addOption(new Option('--rate <r>', 'events per second of event time (default: each job\'s own)').argParser(wholeNumber(1)))
    .addOption(new Option('--parallelism <p>', 'parallelism of both engines').argParser(wholeNumber(1)).default(1))
    .addOption(new Option('--dump <n>', 'events (and readings) of both generators to compare; 0 skips').argParser(wholeNumber(0)).default(1000))
    .option('--queries <list>', 'comma-separated queries', [...Object.keys(QUERIES), 'seed'].join(','))
    .parse()
    .opts<Options>();
  let failures = 0;
  const report = (ok: boolean, what: string, detail: string): void => {
    if (!ok) failures++;
    console.log(`${ok ? 'same   ' : 'DIFFERS'} ${what}${detail === '' ? '' : `: ${detail}`}`);
  };

  if (o.dump > 0) {
    const nexmarkRate = o.rate ?? DEFAULT_RATE;
    const mine = Array.from({ length: o.dump }, (_, n) => `${eventJson(eventAt(n, nexmarkRate))}\n`).join('');
    const theirs = flink(o.flink, ['--dump', String(o.dump), '--rate', String(nexmarkRate)]);
    report(mine === theirs, `generator, first ${o.dump} events`, mine === theirs ? '' : firstDifference(mine, theirs));
    const seedRate = o.rate ?? DEFAULT_SEED_RATE;
    const readings = Array.from({ length: o.dump }, (_, n) => `${JSON.stringify(readingAt(n, seedRate))}\n`).join('');
    const theirReadings = flink(o.flink, ['--dump', String(o.dump), '--query', 'seed', '--rate', String(seedRate)]);
    report(readings === theirReadings, `readings, first ${o.dump}`, readings === theirReadings ? '' : firstDifference(readings, theirReadings));
  }

  const dir = mkdtempSync(join(tmpdir(), 'nexmark-cross-check-'));
  try {
    for (const query of o.queries.split(',').map((q) => q.trim())) {
      const parallelism = query === 'seed' ? 1 : o.parallelism;
      const rateArgs = o.rate === undefined ? [] : ['--rate', String(o.rate)];
      const { lines } = await runNexmark({ query, events: o.events, parallelism, collect: true, ...(o.rate === undefined ? {} : { rate: o.rate }) });
      const mine = lines!.map((l) => `${l}\n`).join('');
      const file = join(dir, `${query}.txt`);
      flink(o.flink, ['--query', query, '--events', String(o.events), '--parallelism', String(parallelism), ...rateArgs, '--output', file]);
      const theirs = readFileSync(file, 'utf8');
      const what = `${query} (${o.events} events, p=${parallelism}, ${lines!.length} lines)`;
      report(mine === theirs, what, mine === theirs ? '' : firstDifference(mine, theirs));
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  if (failures > 0) {
    console.log(`${failures} check(s) differ`);
    process.exitCode = 1;
  }
}

await main();
