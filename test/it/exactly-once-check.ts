// What the exactly-once tests check in the committed output of the fixture job
// (test/fixtures/exactly-once-job.ts): its part files hold each expected line exactly once.

import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { WINDOW_MS, type ExactlyOnceArgs } from '../fixtures/exactly-once-args.js';

/** The committed lines: every line of every `part-*` file anywhere under `dir`. */
export function committedLines(dir: string): string[] {
  const lines: string[] = [];
  for (const entry of readdirSync(dir, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile() || !entry.name.startsWith('part-')) continue;
    for (const line of readFileSync(join(entry.parentPath, entry.name), 'utf8').split('\n')) if (line !== '') lines.push(line);
  }
  return lines;
}

/** The lines the job must commit, each once (any order). */
export function expectedLines(args: Pick<ExactlyOnceArgs, 'kind' | 'count' | 'keys'>): string[] {
  const lines: string[] = [];
  if (args.kind === 'count') {
    // Per key the counts are 1, 2, 3 ... in arrival order, which differs between runs: the
    // multiset of (key, count) is fixed, and every n appears once. Checked by `problems` below.
    for (let n = 0; n < args.count; n++) lines.push(`${n} ${n % args.keys}`);
    return lines;
  }
  const windows = new Map<string, number>();
  for (let n = 0; n < args.count; n++) {
    const id = `${n % args.keys} ${Math.floor(n / WINDOW_MS) * WINDOW_MS}`;
    windows.set(id, (windows.get(id) ?? 0) + 1);
  }
  for (const [id, count] of windows) lines.push(`${id} ${count}`);
  return lines;
}

/** What is wrong with the committed output (empty: every record exactly once). */
export function problems(dir: string, args: Pick<ExactlyOnceArgs, 'kind' | 'count' | 'keys'>): string[] {
  const committed = committedLines(dir);
  const found: string[] = [];
  if (args.kind === 'count') {
    const seen = new Map<string, number>();
    const counts = new Map<string, Set<number>>();
    for (const line of committed) {
      const [n, key, count] = line.split(' ');
      seen.set(`${n} ${key}`, (seen.get(`${n} ${key}`) ?? 0) + 1);
      const set = counts.get(key!) ?? new Set<number>();
      if (set.has(Number(count))) found.push(`key ${key}: count ${count} twice`);
      set.add(Number(count));
      counts.set(key!, set);
    }
    for (const expected of expectedLines(args)) {
      const times = seen.get(expected) ?? 0;
      if (times !== 1) found.push(`${expected}: ${times} times`);
    }
    if (committed.length !== args.count) found.push(`${committed.length} lines, expected ${args.count}`);
    return found.slice(0, 20);
  }
  const expected = new Map(expectedLines(args).map((line) => [line, 0]));
  for (const line of committed) {
    if (!expected.has(line)) found.push(`unexpected line ${line}`);
    else expected.set(line, expected.get(line)! + 1);
  }
  for (const [line, times] of expected) if (times !== 1) found.push(`${line}: ${times} times`);
  return found.slice(0, 20);
}
