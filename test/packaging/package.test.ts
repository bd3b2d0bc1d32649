// The package as a user gets it: `npm pack` of this repository (which builds through `prepare`),
// installed into a fresh project, then imported, required, run through its `eddy` command and
// compiled against from TypeScript. One pack and one install serve every check below.

import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, before, describe, it } from 'node:test';

const root = fileURLToPath(new URL('../../../', import.meta.url));
const tsc = join(root, 'node_modules', 'typescript', 'bin', 'tsc');
const version = (JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { version: string }).version;

/** `npx` options: the project's own `eddy` bin, never a download. */
const NPX = ['--offline', '--no-install'];

interface Run {
  status: number | null;
  stdout: string;
  stderr: string;
}

function run(command: string, args: string[], cwd: string): Run {
  const result = spawnSync(command, args, { cwd, encoding: 'utf8', timeout: 120_000 });
  if (result.error) throw result.error;
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

function runAsync(command: string, args: string[], cwd: string): Promise<Run> {
  return new Promise((resolvePromise, reject) => {
    const child = spawn(command, args, { cwd, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    child.on('error', reject);
    child.on('close', (status) => resolvePromise({ status, stdout, stderr }));
  });
}

function ok(result: Run, what: string): Run {
  assert.equal(result.status, 0, `${what} exited ${result.status}\n${result.stdout}\n${result.stderr}`);
  return result;
}

/** tsc's errors as "FILE CODE: MESSAGE", FILE relative to the installed package, positions left out. */
function compileErrors(output: string): string[] {
  return output
    .split('\n')
    .map((line) => /^(.*)\(\d+,\d+\): error (TS\d+): (.*)$/.exec(line.trim()))
    .filter((m) => m !== null)
    .map((m) => `${m[1]!.replace(/^.*node_modules\/eddy\//, '')} ${m[2]}: ${m[3]}`)
    .sort();
}

const JOB = `import { StreamExecutionEnvironment } from 'eddy';
const env = StreamExecutionEnvironment.getExecutionEnvironment().setParallelism(2);
const out = await env.fromElements(1, 2, 3).map((x) => x * 2).executeAndCollect();
console.log(JSON.stringify(out.sort((a, b) => a - b)));
`;

const CJS_JOB = `const { StreamExecutionEnvironment } = require('eddy');
(async () => {
  const env = StreamExecutionEnvironment.getExecutionEnvironment().setParallelism(2);
  const out = await env.fromElements(1, 2, 3).map((x) => x * 2).executeAndCollect();
  console.log(JSON.stringify(out.sort((a, b) => a - b)));
})();
`;

const TS_JOB = `import { StreamExecutionEnvironment, type DataStream } from 'eddy';
const env = StreamExecutionEnvironment.getExecutionEnvironment().setParallelism(2);
const doubled: DataStream<number> = env.fromElements(1, 2, 3).map((x: number) => x * 2);
const out: number[] = await doubled.executeAndCollect();
console.log(JSON.stringify(out.sort((a, b) => a - b)));
`;

/** A consumer of the public types; it uses nothing of Node itself, so it needs no @types/node. */
const CONSUMER = `import { StreamExecutionEnvironment, TumblingEventTimeWindows, createHarness, type DataStream, type JobClient, type KeyedStream } from 'eddy';
const env = StreamExecutionEnvironment.getExecutionEnvironment();
const doubled: DataStream<number> = env.fromElements(1, 2, 3).map((x) => x * 2);
export const collected: Promise<number[]> = doubled.executeAndCollect();
export type Client = JobClient;
// The methods the stream modules add to DataStream and KeyedStream are in the .d.ts too.
const keyed: KeyedStream<number, number> = doubled.keyBy((x) => x % 2);
export const sums: DataStream<number> = keyed.window(TumblingEventTimeWindows.of(10)).reduce((a, b) => a + b);
export const all: DataStream<number> = doubled.windowAll(TumblingEventTimeWindows.of(10)).reduce((a, b) => a + b);
export const both: DataStream<string> = doubled.connect(env.fromElements('a')).map((n) => String(n), (s) => s);
export const pairs: DataStream<string> = doubled.join(env.fromElements('a')).where((n) => String(n)).equalTo((s) => s).window(TumblingEventTimeWindows.of(10)).apply((n, s) => s + n);
export const joined: DataStream<number> = keyed.intervalJoin(keyed).between(-5, 5).process((l, r, _ctx, out) => out.collect(l + r));
export const snapshot = createHarness((s: DataStream<number>) => s.keyBy((x) => x).sum()).then((h) => h.snapshot(1));
`;

/** The same through require() (the "require" export condition; TypeScript 5.8+ allows it under nodenext). */
const CJS_CONSUMER = `import eddy = require('eddy');
export const env: eddy.StreamExecutionEnvironment = eddy.StreamExecutionEnvironment.getExecutionEnvironment();
`;

function tsconfig(types: string[]): string {
  return JSON.stringify({
    compilerOptions: {
      strict: true,
      module: 'nodenext',
      moduleResolution: 'nodenext',
      target: 'es2022',
      lib: ['es2023'],
      types,
      // @types/node comes from this repository's own node_modules (not installed in the project).
      typeRoots: [join(root, 'node_modules', '@types')],
      skipLibCheck: false,
      noEmit: true,
    },
    files: ['consumer.ts', 'consumer-require.cts'],
  });
}

describe('the npm package', () => {
  let dir = '';
  let installed = '';
  let packed: string[] = [];
  let compiles: Promise<[Run, Run]>;

  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'eddy-package-'));
    const pack = ok(run('npm', ['pack', '--json', '--pack-destination', dir], root), 'npm pack');
    const [info] = JSON.parse(pack.stdout) as [{ filename: string; files: { path: string }[] }];
    packed = info.files.map((f) => f.path).sort();
    const project = join(dir, 'project');
    mkdirSync(project);
    writeFileSync(join(project, 'package.json'), JSON.stringify({ name: 'consumer', private: true, version: '0.0.0' }));
    ok(
      run('npm', ['install', join(dir, info.filename), '--no-audit', '--no-fund', '--prefer-offline', '--no-package-lock'], project),
      'npm install of the tarball',
    );
    installed = join(project, 'node_modules', 'eddy');
    writeFileSync(join(project, 'job.mjs'), JOB);
    writeFileSync(join(project, 'job.cjs'), CJS_JOB);
    writeFileSync(join(project, 'job.mts'), TS_JOB);
    writeFileSync(join(project, 'throws.mjs'), "import { StreamExecutionEnvironment } from 'eddy';\nStreamExecutionEnvironment.getExecutionEnvironment().setParallelism(0);\n");
    writeFileSync(join(project, 'consumer.ts'), CONSUMER);
    writeFileSync(join(project, 'consumer-require.cts'), CJS_CONSUMER);
    writeFileSync(join(project, 'tsconfig.with-node.json'), tsconfig(['node']));
    writeFileSync(join(project, 'tsconfig.without-node.json'), tsconfig([]));
    // The two compiles take a few seconds each: start them now, alongside the other checks.
    compiles = Promise.all([
      runAsync(process.execPath, [tsc, '-p', 'tsconfig.with-node.json'], project),
      runAsync(process.execPath, [tsc, '-p', 'tsconfig.without-node.json'], project),
    ]);
  });

  after(async () => {
    await compiles?.catch(() => undefined);
    if (dir !== '') rmSync(dir, { recursive: true, force: true });
  });

  const project = (): string => join(dir, 'project');

  it('ships the build, its .d.ts, the sources its maps point at and LICENSE; no tests or benchmarks', () => {
    for (const path of ['package.json', 'LICENSE', 'README.md', 'dist/src/index.js', 'dist/src/index.d.ts', 'dist/src/cli/main.js', 'dist/src/runtime/worker-bootstrap.cjs', 'dist/lib/index.js', 'dist/lib/main.js', 'dist/lib/worker-entry.js', 'dist/lib/worker-bootstrap.cjs', 'src/index.ts']) {
      assert.ok(packed.includes(path), `${path} is not in the tarball`);
    }
    assert.ok(packed.filter((p) => p.endsWith('.d.ts')).length > 10, 'few .d.ts files in the tarball');
    const strays = packed.filter((p) => /^(dist\/)?(test|bench|examples|docs|scratch)\//.test(p) || /\.test\.[cm]?[jt]s$/.test(p));
    assert.deepEqual(strays, []);
    assert.match(readFileSync(join(installed, 'LICENSE'), 'utf8'), /^\s*Apache License\s+Version 2\.0, January 2004/);
  });

  it('every source map and declaration map resolves to a shipped source file', () => {
    const maps = packed.filter((p) => p.endsWith('.map'));
    assert.ok(maps.some((p) => p.endsWith('.d.ts.map')), 'no declaration maps shipped');
    assert.ok(maps.length > 20, `only ${maps.length} maps`);
    const unresolved: string[] = [];
    for (const map of maps) {
      const { sources, sourceRoot } = JSON.parse(readFileSync(join(installed, map), 'utf8')) as { sources: string[]; sourceRoot?: string };
      for (const source of sources) {
        const path = resolve(installed, dirname(map), sourceRoot ?? '', source);
        if (!path.startsWith(installed + '/') || !existsSync(path)) unresolved.push(`${map} -> ${source}`);
      }
    }
    assert.deepEqual(unresolved, []);
  });

  it('node --enable-source-maps shows the installed .ts sources in stack traces', () => {
    const { status, stderr } = run(process.execPath, ['--enable-source-maps', 'throws.mjs'], project());
    assert.notEqual(status, 0);
    const frames = [...stderr.matchAll(/(\/[^\s():]*\/node_modules\/eddy\/[^\s():]+):\d+:\d+/g)].map((m) => m[1]!);
    assert.ok(frames.length > 0, stderr);
    for (const frame of frames) {
      assert.match(frame, /\/node_modules\/eddy\/src\/.*\.ts$/, stderr);
      assert.ok(existsSync(frame), frame);
    }
  });

  it("import('eddy') runs a job end to end (node job.mjs; workers import the script again)", () => {
    const { stdout } = ok(run(process.execPath, ['job.mjs'], project()), 'node job.mjs');
    assert.equal(stdout.trim(), '[2,4,6]');
  });

  it("require('eddy') runs a job end to end (node job.cjs)", () => {
    const { stdout, stderr } = ok(run(process.execPath, ['job.cjs'], project()), 'node job.cjs');
    assert.equal(stdout.trim(), '[2,4,6]');
    // Node 22.12 still calls require(esm) experimental (a warning on stderr); 20.19+ and 22.13+ do not.
    if (!process.versions.node.startsWith('22.12.')) assert.doesNotMatch(stderr, /ExperimentalWarning/);
  });

  it('npx eddy --version prints the version', () => {
    const { stdout } = ok(run('npx', NPX.concat(['eddy', '--version']), project()), 'npx eddy --version');
    assert.equal(stdout.trim(), version);
  });

  it('npx eddy run job.mjs runs the job', () => {
    const { stdout } = ok(run('npx', NPX.concat(['eddy', 'run', 'job.mjs']), project()), 'npx eddy run job.mjs');
    assert.equal(stdout.trim(), '[2,4,6]');
  });

  const stripsTypes = Boolean((process.features as { typescript?: unknown }).typescript);
  if (stripsTypes) {
    it('npx eddy run job.mts without tsx, on a Node that strips types, runs it in the main thread and in the workers', () => {
      const result = run('npx', NPX.concat(['eddy', 'run', 'job.mts']), project());
      assert.equal(ok(result, 'npx eddy run job.mts').stdout.trim(), '[2,4,6]');
    });
  } else {
    it('npx eddy run job.mts without tsx, on a Node that cannot strip types, says what to install', () => {
      const { status, stdout, stderr } = run('npx', NPX.concat(['eddy', 'run', 'job.mts']), project());
      assert.equal(status, 1, stdout + stderr);
      assert.equal(
        stderr.trim(),
        `eddy run needs tsx to run a TypeScript job on Node ${process.versions.node}: ` +
          'install it with `npm install --save-dev tsx`, or use Node 22.18 or newer, which runs TypeScript itself.',
      );
    });
  }

  it('TypeScript consumers type-check against the .d.ts with @types/node (strict, nodenext, skipLibCheck off)', async () => {
    const [withNode] = await compiles;
    assert.deepEqual(compileErrors(withNode.stdout + withNode.stderr), []);
    ok(withNode, 'tsc with @types/node');
  });

  it('TypeScript consumers type-check without @types/node and without the DOM lib: the public .d.ts use no Node types', async () => {
    const [, withoutNode] = await compiles;
    assert.deepEqual(compileErrors(withoutNode.stdout + withoutNode.stderr), []);
    ok(withoutNode, 'tsc without @types/node');
  });
});
