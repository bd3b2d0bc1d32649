#!/usr/bin/env node
// The `eddy` command: `eddy run job.ts|job.mjs [--parallelism N] [-- job args]` runs a job script,
// TypeScript included (through tsx where it is installed, else Node's own type stripping).

import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { Command, InvalidArgumentError } from 'commander';
import { launchContext } from '../runtime/launch-context.js';

function parseParallelism(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new InvalidArgumentError('expected a whole number of at least 1.');
  return n;
}

/** This package's own version, read at run time from its package.json (dist/src/cli -> root). */
function packageVersion(): string {
  const url = new URL('../../../package.json', import.meta.url);
  return (JSON.parse(readFileSync(url, 'utf8')) as { version: string }).version;
}

/**
 * Lets this thread import a .ts job, and says whether it can: through tsx (an optional peer
 * dependency) when it can be imported, else through Node's own type stripping
 * (`process.features.typescript`: Node 22.18+ / 23.6+). Workers make the same choice (job-loader).
 */
async function registerTypeScript(): Promise<boolean> {
  try {
    (await import('tsx/esm/api')).register();
    return true;
  } catch (error) {
    const code = (error as { code?: unknown }).code;
    if (code !== 'ERR_MODULE_NOT_FOUND' || !String((error as Error).message).includes("'tsx'")) throw error;
  }
  return Boolean((process.features as { typescript?: unknown }).typescript);
}

const program = new Command()
  .name('eddy')
  .description('Stateful stream processing for Node.js: runs a job script on every core.')
  .version(packageVersion());

program
  .command('run')
  .description('Run a job script (.mjs, .js or .ts)')
  .argument('<job>', 'the job script')
  .argument('[args...]', 'arguments for the job script (process.argv.slice(2) in the job)')
  .option('-p, --parallelism <n>', 'default parallelism of the job (default: number of cores)', parseParallelism)
  .action(async (job: string, args: string[], options: { parallelism?: number }) => {
    const path = resolve(job);
    const url = pathToFileURL(path).href;
    const ctx = launchContext();
    ctx.scriptUrl = url;
    ctx.defaultParallelism = options.parallelism;
    process.argv = [process.argv[0]!, path, ...args];
    if (/\.(c|m)?tsx?$/.test(path) && !(await registerTypeScript())) {
      program.error(
        `eddy run needs tsx to run a TypeScript job on Node ${process.versions.node}: ` +
          'install it with `npm install --save-dev tsx`, or use Node 22.18 or newer, which runs TypeScript itself.',
      );
    }
    await import(url);
  });

program.parseAsync().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
