// `eddy run`'s progress line and summary: the renderer on its own, and the command on a
// pseudo-terminal (util-linux `script`) and on a pipe.

import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, it } from 'node:test';
import { clock, compactNumber, progressLine, summaryLine } from '../../src/cli/progress-line.js';

const root = fileURLToPath(new URL('../../../', import.meta.url));
const cli = fileURLToPath(new URL('../../src/cli/main.js', import.meta.url));

describe('progress line', () => {
  it('writes counts with three figures and a unit, times as m:ss', () => {
    assert.deepEqual([0, 999, 1234, 45_600, 4_500_000, 2e9].map(compactNumber), ['0', '999', '1.23 k', '45.6 k', '4.50 M', '2.00 G']);
    assert.deepEqual([0, 65_000, 3_725_000].map(clock), ['0:00', '1:05', '1:02:05']);
  });

  it('shows a bar, the share, the rate, the time and an ETA against a known total', () => {
    const line = progressLine({ name: 'job', recordsRead: 2_500_000, recordsReadPerSecond: 500_000, recordsExpected: 10_000_000, elapsedMs: 5000 }, 200, 0);
    assert.equal(line, `job [${'█'.repeat(6)}${'░'.repeat(18)}] 25% 2.50 M/10.0 M records · 500 k/s · 0:05 elapsed · ETA 0:15`);
  });

  it('shows a spinner, the count and the rate when the total is unknown, and fits the terminal', () => {
    const figures = { name: 'unbounded', recordsRead: 1200, recordsReadPerSecond: 300, recordsExpected: null, elapsedMs: 4000 };
    assert.equal(progressLine(figures, 200, 1), 'unbounded ⠙ 1.20 k records · 300/s · 0:04 elapsed');
    const narrow = progressLine(figures, 20, 1);
    assert.equal(narrow.length, 20);
    assert.ok(narrow.endsWith('…'));
  });

  it('sums a job up in one line', () => {
    assert.equal(
      summaryLine({ name: 'sensor', state: 'FINISHED', recordsRead: 1_000_000, recordsReadPerSecond: 0, recordsExpected: null, elapsedMs: 4000, checkpoints: 3, restarts: 1 }),
      'eddy: job "sensor" finished after 4.00 s: 1,000,000 records read (250 k records/s), 3 checkpoints, 1 restart.',
    );
  });
});

describe('eddy run progress', () => {
  const run = (args: string): { status: number | null; output: string } => {
    // script(1) gives the command a terminal; its transcript is what the terminal showed.
    const result = spawnSync('script', ['-qefc', `${JSON.stringify(process.execPath)} ${JSON.stringify(cli)} run ${args}`, '/dev/null'], { cwd: root, encoding: 'utf8', timeout: 60_000, env: { ...process.env, COLUMNS: '160' } });
    assert.equal(result.error, undefined, 'util-linux script(1) runs the command on a pseudo-terminal: install it (Debian: bsdutils)');
    return { status: result.status, output: result.stdout };
  };

  it('redraws a progress bar on a terminal while a bounded job runs, then prints its summary', () => {
    const { status, output } = run('test/fixtures/progress-job.ts');
    assert.equal(status, 0, output);
    const frames = output.split('\r').map((f) => f.replace(/\x1b\[2K/g, '').trim()).filter((f) => f.startsWith('progress job ['));
    assert.ok(frames.length >= 2, `a redrawn bar, got: ${JSON.stringify(output.slice(0, 500))}`);
    assert.ok(frames.some((f) => /\] (\d+)% [\d. kM]+\/30\.0 k records · [\d. kM]+\/s · 0:0\d elapsed · ETA /.test(f)), frames.join('\n'));
    assert.match(output, /eddy: job "progress job" finished after [\d.]+ s: 30,000 records read \([\d. kM]+ records\/s\), 0 checkpoints, 0 restarts\./);
  });

  it('counts without a bar when the source does not know its total', () => {
    const { status, output } = run('test/fixtures/progress-job.ts unknown');
    assert.equal(status, 0, output);
    assert.match(output, /progress job [⠋⠙⠹⠸⠼⠴⠦⠧⠇⠏] [\d. kM]+ records · /);
    assert.doesNotMatch(output, /\[█*░*\]/);
  });

  it('prints only the summary when stderr is not a terminal', () => {
    const result = spawnSync(process.execPath, [cli, 'run', 'test/fixtures/progress-job.ts'], { cwd: root, encoding: 'utf8', timeout: 60_000 });
    assert.equal(result.status, 0, result.stderr);
    assert.doesNotMatch(result.stderr, /\r/);
    assert.match(result.stderr, /^eddy: job "progress job" finished after [\d.]+ s: 30,000 records read/m);
  });
});
