// Sums the CPU profiles `node --cpu-prof` wrote (one per thread) into where the time went: the
// share of every thread's samples spent in garbage collection, idle, and the functions with the
// most self time. `node tools/cpu-profile-summary.mjs <folder> [--top N]`.

import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

const [folder, ...rest] = process.argv.slice(2);
if (folder === undefined) {
  console.error('usage: node tools/cpu-profile-summary.mjs <folder of .cpuprofile files> [--top N]');
  process.exit(2);
}
const topIndex = rest.indexOf('--top');
const top = topIndex === -1 ? 25 : Number(rest[topIndex + 1]);
if (!Number.isInteger(top) || top <= 0) {
  console.error(`--top expects a positive whole number, got ${rest[topIndex + 1]}`);
  process.exit(2);
}

const files = readdirSync(folder).filter((name) => name.endsWith('.cpuprofile'));
if (files.length === 0) {
  console.error(`${folder} holds no .cpuprofile files: run the job with node --cpu-prof --cpu-prof-dir ${folder} first.`);
  process.exit(2);
}

/** Self time per function (name and place), microseconds, over all threads. */
const self = new Map();
let totalUs = 0;
for (const name of files) {
  const profile = JSON.parse(readFileSync(join(folder, name), 'utf8'));
  const byId = new Map(profile.nodes.map((node) => [node.id, node]));
  // timeDeltas[i] is the time before sample i: the sample before it ran for that long.
  for (let i = 1; i < profile.samples.length; i++) {
    const node = byId.get(profile.samples[i - 1]);
    const { functionName, url, lineNumber } = node.callFrame;
    const file = url === '' ? '' : ` ${url.replace(/^.*\/(dist|node_modules)\//, '$1/')}:${lineNumber + 1}`;
    const key = `${functionName === '' ? '(anonymous)' : functionName}${file}`;
    const us = profile.timeDeltas[i];
    self.set(key, (self.get(key) ?? 0) + us);
    totalUs += us;
  }
}

const share = (us) => `${((100 * us) / totalUs).toFixed(1)} %`;
const of = (name) => self.get(name) ?? 0;
console.log(`${files.length} profiles, ${(totalUs / 1e6).toFixed(2)} s of samples`);
console.log(`garbage collector ${share(of('(garbage collector)'))}, idle ${share(of('(idle)'))}, program ${share(of('(program)'))}`);
const busy = totalUs - of('(idle)');
console.log(`\nself time, share of the samples that were not idle (${(busy / 1e6).toFixed(2)} s):`);
for (const [name, us] of [...self].filter(([name]) => name !== '(idle)').sort((a, b) => b[1] - a[1]).slice(0, top)) {
  console.log(`${((100 * us) / busy).toFixed(1).padStart(5)} %  ${name}`);
}
