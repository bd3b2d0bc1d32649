// Writes a suite's table into bench/RESULTS.md, replacing that suite's previous section (the
// history lives in git), with the date, the machine and the command that produced it.

import { readFileSync, writeFileSync, existsSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { join } from 'node:path';
import { projectRoot } from './project-root.js';

/** One line naming the machine: cores, CPU model, memory, Node version. */
export function machineLine(): string {
  const cores = cpus();
  return `${cores.length} × ${cores[0]?.model.trim() ?? 'unknown CPU'}, ${(totalmem() / 2 ** 30).toFixed(0)} GiB, Node ${process.version}`;
}

export function writeSection(suite: string, title: string, command: string, body: string): void {
  const start = `<!-- suite:${suite} -->`;
  const end = `<!-- /suite:${suite} -->`;
  const section = [
    start,
    `## ${title}`,
    '',
    `Measured ${new Date().toISOString().slice(0, 10)} on ${machineLine()}, with \`${command}\`.`,
    '',
    body,
    end,
  ].join('\n');
  const results = join(projectRoot(), 'bench', 'RESULTS.md');
  const current = existsSync(results) ? readFileSync(results, 'utf8') : '# eddy benchmark results\n\nEach section is replaced when its suite is re-measured; history lives in git.\n';
  const from = current.indexOf(start);
  const to = current.indexOf(end);
  const next = from === -1 || to === -1 ? `${current.trimEnd()}\n\n${section}\n` : `${current.slice(0, from)}${section}${current.slice(to + end.length)}`;
  writeFileSync(results, next);
}
