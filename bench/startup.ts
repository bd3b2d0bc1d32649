// Start-up (`npm run bench -- startup`): wall time of a fresh `node` process running a 100-record
// keyed job at parallelism 1 and 2, beside a bare `node` start and one that only imports eddy;
// variants alternated round by round, medians. The figure that matters is the job above bare node.
// `--baseline <folder>`: the same jobs of another built checkout of eddy, alternated with these.

import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { median, spreadPercent } from './utils/stats.js';

interface Variant {
  readonly name: string;
  readonly args: readonly string[];
}

const job = fileURLToPath(new URL('./jobs/startup-job.js', import.meta.url));
const importOnly = fileURLToPath(new URL('./jobs/import-only.js', import.meta.url));

function variants(baseline: string | undefined): Variant[] {
  const own = (label: string, jobFile: string, importFile: string): Variant[] => [
    { name: `import eddy, nothing else${label}`, args: [importFile] },
    { name: `100-record keyed job, p=1${label}`, args: [jobFile, '1'] },
    { name: `100-record keyed job, p=2${label}`, args: [jobFile, '2'] },
  ];
  const other = baseline === undefined ? [] : own(` (baseline: ${baseline})`, join(baseline, 'dist/bench/jobs/startup-job.js'), join(baseline, 'dist/bench/jobs/import-only.js'));
  return [{ name: 'bare node (`node -e ""`)', args: ['-e', ''] }, ...own('', job, importOnly), ...other];
}

/** Wall milliseconds of one fresh process; throws with its stderr when it fails. */
function timeProcess(args: readonly string[]): number {
  const started = process.hrtime.bigint();
  const run = spawnSync(process.execPath, args, { encoding: 'utf8', env: { ...process.env, EDDY_LOG_LEVEL: 'warn' } });
  const ms = Number(process.hrtime.bigint() - started) / 1e6;
  if (run.status !== 0) throw new Error(`node ${args.join(' ')} failed (${run.status}): ${run.stderr}`);
  return ms;
}

export function startupSuite(rounds: number, baseline?: string): string {
  const timed = variants(baseline);
  const [bareNode] = timed;
  for (const v of timed.slice(1)) if (!existsSync(v.args[0]!)) throw new Error(`${v.args[0]} does not exist: build that checkout (npm run build) with this one's bench/jobs/startup-job.ts and import-only.ts in it.`);
  const times = new Map<string, number[]>(timed.map((v) => [v.name, []]));
  for (const v of timed) timeProcess(v.args); // warm the file cache
  for (let round = 0; round < rounds; round++) for (const v of timed) times.get(v.name)!.push(timeProcess(v.args));
  const bare = median(times.get(bareNode!.name)!);
  const rows = timed.map((v) => {
    const ms = times.get(v.name)!;
    const m = median(ms);
    return `| ${v.name} | ${m.toFixed(0)} ms | ±${spreadPercent(ms).toFixed(0)} % | ${v === bareNode ? '' : `${(m - bare).toFixed(0)} ms`} |`;
  });
  return [
    `Fresh \`node\` processes, ${rounds} rounds with the variants alternated; medians, spread = half the range.`,
    '',
    '| process | wall time | spread | above bare node |',
    '|---|---|---|---|',
    ...rows,
  ].join('\n');
}
