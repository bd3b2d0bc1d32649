// Bundles the compiled library (dist/src, from tsc) into dist/lib, the files the package's entry
// points name: the public index, the worker threads' entry and the command line, sharing chunks.
// A job then loads a handful of files instead of ~150 modules, in the main thread and again in
// every worker thread, which is most of a small job's start-up (bench: `npm run bench -- startup`).
// Plain JavaScript so that `npm run prepare` (installs from git) runs it after compiling src only.

import { copyFileSync, rmSync } from 'node:fs';
import { build } from 'esbuild';

const outdir = 'dist/lib';
rmSync(outdir, { recursive: true, force: true });
await build({
  entryPoints: {
    index: 'dist/src/index.js',
    'worker-entry': 'dist/src/runtime/worker-entry.js',
    main: 'dist/src/cli/main.js',
  },
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  // Dependencies stay packages of their own (kafkajs, prom-client, pino-pretty load only when used).
  packages: 'external',
  outdir,
  sourcemap: true,
  logLevel: 'warning',
});
// piscina requires this CommonJS file in each worker; it imports ./worker-entry.js beside it.
copyFileSync('dist/src/runtime/worker-bootstrap.cjs', `${outdir}/worker-bootstrap.cjs`);
