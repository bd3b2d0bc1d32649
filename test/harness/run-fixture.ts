// Runs a defineJob fixture module from test/fixtures at a given parallelism and returns what its
// collected stream produced (or the job's error).

import type { JobExecutionResult } from '../../src/index.js';
import { runJob } from '../../src/index.js';

/** URL of a compiled fixture module (test/fixtures/NAME.ts -> dist/test/fixtures/NAME.js). */
export function fixtureUrl(name: string): URL {
  return new URL(`../fixtures/${name}.js`, import.meta.url);
}

/** Runs fixture `name` with `args` and returns its result. */
export async function runFixture(name: string, parallelism: number, args: unknown = {}): Promise<JobExecutionResult> {
  const client = await runJob(fixtureUrl(name), { parallelism, args, jobName: name });
  return client.result;
}

/** Runs fixture `name` and returns the records of its collected stream. */
export async function collectFixture<T>(name: string, parallelism: number, args: unknown = {}): Promise<T[]> {
  const result = await runFixture(name, parallelism, args);
  return result.collected[0] as T[];
}

/** Parallelisms every dataflow test runs at (timely's 1w/2w/3w). */
export const PARALLELISMS = [1, 2, 4] as const;
