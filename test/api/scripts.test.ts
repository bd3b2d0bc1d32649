// Jobs as ordinary scripts: `node job.js` and `eddy run job.ts` (TypeScript through tsx in the
// main thread and the workers), output, exit codes, and code after execute() running once.

import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, it } from 'node:test';

const root = fileURLToPath(new URL('../../../', import.meta.url));
const cli = fileURLToPath(new URL('../../src/cli/main.js', import.meta.url));

function run(args: string[]): { status: number | null; stdout: string; stderr: string } {
  const result = spawnSync(process.execPath, args, { cwd: root, encoding: 'utf8', timeout: 30_000 });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

describe('job scripts', () => {
  it('node job.js prints through print() with subtask prefixes, and runs code after execute() once', () => {
    const { status, stdout, stderr } = run(['dist/test/fixtures/print-job.js']);
    assert.equal(status, 0, stderr);
    const lines = stdout.trim().split('\n');
    const printed = lines.filter((l) => l.startsWith('out:')).map((l) => l.replace(/^out:[12]> /, '')).sort();
    assert.deepEqual(printed, ['10', '20', '30', '40']);
    assert.deepEqual(lines.filter((l) => l.startsWith('done')), ['done print-job on thread 0']);
  });

  it('eddy run job.ts runs TypeScript directly, with arguments after the script', () => {
    const { status, stdout, stderr } = run([cli, 'run', 'test/fixtures/print-job.ts', '--parallelism', '2', '--', '100']);
    assert.equal(status, 0, stderr);
    const printed = stdout.split('\n').filter((l) => l.startsWith('out:')).map((l) => l.replace(/^out:[12]> /, '')).sort();
    assert.deepEqual(printed, ['100', '200', '300', '400']);
  });

  it('a script may run several jobs in sequence', () => {
    const { status, stdout, stderr } = run(['dist/test/fixtures/two-jobs.js']);
    assert.equal(status, 0, stderr);
    assert.deepEqual(JSON.parse(stdout), { first: [2, 3, 4], second: ['A', 'B'] });
  });

  it('executeAndCollect({ limit }) returns that many records and stops the job', () => {
    const { status, stdout, stderr } = run(['dist/test/fixtures/limit-job.js']);
    assert.equal(status, 0, stderr);
    const { count, distinct, ms } = JSON.parse(stdout) as { count: number; distinct: number; ms: number };
    assert.equal(count, 5000);
    assert.equal(distinct, 5000);
    assert.ok(ms < 10_000, `took ${ms} ms`);
  });

  it('a failing job exits non-zero with the operator, the subtask and the message', () => {
    const { status, stderr } = run(['dist/test/fixtures/failing-job.js']);
    assert.notEqual(status, 0);
    assert.match(stderr, /Operator "Fragile Map" \(subtask [01] of 2\) failed: cannot handle 700/);
    assert.match(stderr, /failing-job\.js/);
  });
});
