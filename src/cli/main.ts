#!/usr/bin/env node
// The `eddy` command: `eddy run job.ts|job.mjs [--parallelism N] [--restore path|latest] [-- job args]`
// runs a job script, TypeScript included (through tsx where it is installed, else Node's own type
// stripping), optionally from a checkpoint or savepoint.

import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { Command, InvalidArgumentError } from 'commander';
import { launchContext } from '../runtime/launch-context.js';
import { packageVersion } from '../runtime/package-version.js';
import { enableTypeScriptJobs, isTypeScript } from '../runtime/typescript-jobs.js';

function parseParallelism(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new InvalidArgumentError('expected a whole number of at least 1.');
  return n;
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
  .option('-r, --restore <path|latest>', "start from a checkpoint or savepoint folder, or 'latest': the newest checkpoint in the job's checkpoint dir")
  .option('--allow-non-restored-state', 'with --restore: leave behind state of operators the job no longer has', false)
  .action(async (job: string, args: string[], options: { parallelism?: number; restore?: string; allowNonRestoredState: boolean }) => {
    const path = resolve(job);
    const url = pathToFileURL(path).href;
    const ctx = launchContext();
    ctx.scriptUrl = url;
    ctx.defaultParallelism = options.parallelism;
    if (options.allowNonRestoredState && options.restore === undefined) program.error('--allow-non-restored-state needs --restore <path|latest>.');
    if (options.restore !== undefined) ctx.restoreFrom = { path: options.restore, allowNonRestoredState: options.allowNonRestoredState };
    process.argv = [process.argv[0]!, path, ...args];
    if (isTypeScript(path)) {
      try {
        await enableTypeScriptJobs();
      } catch (error) {
        program.error((error as Error).message);
      }
    }
    await import(url);
  });

program.parseAsync().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
