// `npm run bench -- against --baseline <checkout> [--suite efficiency] [--count N] [--rounds R]`:
// a throughput suite (efficiency or sensor) of this checkout and of another built checkout of
// eddy (the baseline: an earlier commit), each round one fresh process per checkout, the order
// flipped every round; per variant the medians of records/s and records per CPU-second in both,
// and after / before. Both run on the same machine in one sitting, so the ratio is what to quote.

import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { formatRate, median } from './utils/stats.js';

const OWN = fileURLToPath(new URL('../..', import.meta.url));

interface Row {
  readonly variant: string;
  readonly rate: number;
  readonly perCpu: number;
}

/** "4.12 M" / "812.3 k" / "950" as a number. */
function parseRate(text: string): number {
  const match = /^([\d.]+)\s*([Mk]?)$/.exec(text.trim());
  if (match === null) throw new Error(`not a rate: ${JSON.stringify(text)}`);
  return Number(match[1]) * (match[2] === 'M' ? 1e6 : match[2] === 'k' ? 1e3 : 1);
}

/** One round of `suite` in `checkout`: the rows of its table (variant, records/s, records per CPU-second). */
function runOnce(checkout: string, suite: string, count: number): Row[] {
  const run = spawnSync(process.execPath, [join(checkout, 'dist/bench/run.js'), suite, '--count', String(count), '--rounds', '1'], {
    cwd: checkout,
    encoding: 'utf8',
    env: { ...process.env, EDDY_LOG_LEVEL: 'warn' },
  });
  if (run.status !== 0) throw new Error(`${suite} in ${checkout} failed (${run.status}): ${run.stderr}`);
  const rows = run.stdout
    .split('\n')
    .filter((line) => /^\| (plain loop|eddy )/.test(line))
    .map((line) => line.split('|').map((cell) => cell.trim()))
    .map((cells): Row => ({ variant: cells[1]!, rate: parseRate(cells[2]!), perCpu: parseRate(cells[4]!) }));
  if (rows.length === 0) throw new Error(`${suite} in ${checkout} printed no table:\n${run.stdout}`);
  return rows;
}

export function againstBaseline(options: { baseline: string; suite: string; count: number; rounds: number }): string {
  const runs = { own: [] as Row[][], baseline: [] as Row[][] };
  for (let round = 0; round < options.rounds; round++) {
    const order: ('own' | 'baseline')[] = round % 2 === 0 ? ['baseline', 'own'] : ['own', 'baseline'];
    for (const which of order) runs[which].push(runOnce(which === 'own' ? OWN : options.baseline, options.suite, options.count));
  }
  const variants = runs.own[0]!.map((r) => r.variant);
  const medianOf = (which: 'own' | 'baseline', variant: string, field: 'rate' | 'perCpu'): number =>
    median(runs[which].map((rows) => rows.find((r) => r.variant === variant)?.[field] ?? Number.NaN));
  const lines = variants.map((v) => {
    const [rb, ro, cb, co] = [medianOf('baseline', v, 'rate'), medianOf('own', v, 'rate'), medianOf('baseline', v, 'perCpu'), medianOf('own', v, 'perCpu')];
    return `| ${v} | ${formatRate(rb)} | ${formatRate(ro)} | **${(ro / rb).toFixed(2)}** | ${formatRate(cb)} | ${formatRate(co)} | **${(co / cb).toFixed(2)}** |`;
  });
  return [
    `${options.suite}, ${options.count} records per run, ${options.rounds} rounds; each round one fresh process of each checkout, the order flipped every round; medians. Baseline: ${options.baseline}. ` +
      "(The plain loop runs once per process here, so its row is a gauge of the machine, not the suite's baseline.)",
    '',
    '| variant | records/s before | after | after / before | per CPU-second before | after | after / before |',
    '|---|---|---|---|---|---|---|',
    ...lines,
  ].join('\n');
}
