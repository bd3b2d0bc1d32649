#!/usr/bin/env node
// The `eddy` command: `eddy run job.ts|job.mjs [--parallelism N] [--restore path|latest] [--ui
// [--port N]] [-- job args]` runs a job script, TypeScript included (through tsx where it is
// installed, else Node's own type stripping), optionally from a checkpoint or savepoint, with the
// dashboard on, a progress line on a terminal and a summary line when each job ended.

import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { Command, InvalidArgumentError } from 'commander';
import { launchContext } from '../runtime/launch-context.js';
import { packageVersion } from '../runtime/package-version.js';
import { enableTypeScriptJobs, isTypeScript } from '../runtime/typescript-jobs.js';
import { webServer } from '../runtime/monitor/web-server.js';
import { resolveWebUIOptions } from '../runtime/monitor/web-ui-options.js';
import { JobProgress } from './job-progress.js';

function parseParallelism(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new InvalidArgumentError('expected a whole number of at least 1.');
  return n;
}

function parsePort(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0 || n > 65535) throw new InvalidArgumentError('expected a port from 0 to 65535 (0: any free port).');
  return n;
}

interface RunOptions {
  parallelism?: number;
  restore?: string;
  allowNonRestoredState: boolean;
  ui?: boolean;
  port?: number;
  host?: string;
  progress: boolean;
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
  .option('--ui', 'serve the dashboard, /metrics and the REST API while the job runs, and after it until Ctrl-C')
  .option('--port <n>', 'port of the dashboard (default 8081)', parsePort)
  .option('--host <address>', 'address of the dashboard (default 127.0.0.1)')
  .option('--no-progress', 'no progress line on the terminal')
  .action(async (job: string, args: string[], options: RunOptions) => {
    const path = resolve(job);
    const url = pathToFileURL(path).href;
    const ctx = launchContext();
    ctx.scriptUrl = url;
    ctx.defaultParallelism = options.parallelism;
    if (options.allowNonRestoredState && options.restore === undefined) program.error('--allow-non-restored-state needs --restore <path|latest>.');
    if (options.restore !== undefined) ctx.restoreFrom = { path: options.restore, allowNonRestoredState: options.allowNonRestoredState };
    if ((options.port !== undefined || options.host !== undefined) && options.ui !== true) program.error('--port and --host set where --ui serves the dashboard: add --ui.');
    if (options.ui === true) {
      try {
        const server = await webServer(resolveWebUIOptions({ port: options.port, host: options.host }, 'eddy run --ui'));
        server.keepOpen();
        ctx.webUI = server;
        console.error(`eddy: dashboard at ${server.url}`);
      } catch (error) {
        program.error((error as Error).message);
      }
    }
    process.argv = [process.argv[0]!, path, ...args];
    if (isTypeScript(path)) {
      try {
        await enableTypeScriptJobs();
      } catch (error) {
        program.error((error as Error).message);
      }
    }
    const progress = new JobProgress(process.stderr, options.progress && process.stderr.isTTY);
    progress.start();
    try {
      await import(url);
    } finally {
      await progress.untilIdle();
      progress.stop();
      if (ctx.webUI !== undefined) console.error(`eddy: the dashboard stays at ${ctx.webUI.url} with the ended job; press Ctrl-C to stop.`);
    }
  });

program.parseAsync().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
