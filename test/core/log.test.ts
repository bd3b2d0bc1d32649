// eddy's logs: levels by name and the error for a bad one, filtering by level, and what a job
// writes to stderr in a child process: JSON lines with the job, operator, subtask and thread
// fields (worker threads included), at the level of EDDY_LOG_LEVEL or env.setLogLevel, and
// pretty text when EDDY_LOG_FORMAT=pretty.

import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, it } from 'node:test';
import { jobLogger, type LogRecord } from '../../src/core/log.js';
import { LOG_LEVELS, parseLogLevel } from '../../src/core/log-levels.js';
import { StreamExecutionEnvironment } from '../../src/index.js';
import { logsDuring } from '../harness/logs.js';

const root = fileURLToPath(new URL('../../../', import.meta.url));

/** Runs a compiled fixture script with `env` added to the environment; its exit status, stdout and stderr. */
function runScript(script: string, env: Record<string, string>, args: string[] = []): { status: number | null; stdout: string; stderr: string } {
  const result = spawnSync(process.execPath, [`dist/test/fixtures/${script}.js`, ...args], { cwd: root, encoding: 'utf8', timeout: 60_000, env: { ...process.env, ...env } });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

/** The JSON log records among the lines of `stderr`. */
function records(stderr: string): LogRecord[] {
  return stderr.split('\n').filter((line) => line.startsWith('{')).map((line) => JSON.parse(line) as LogRecord);
}

describe('log levels', () => {
  it('are the names pino knows, and a bad one is refused with the list', () => {
    for (const level of LOG_LEVELS) assert.equal(parseLogLevel(level, 'EDDY_LOG_LEVEL'), level);
    assert.throws(() => parseLogLevel('loud', 'EDDY_LOG_LEVEL'), { name: 'RangeError', message: 'EDDY_LOG_LEVEL: "loud" is not a log level; use one of trace, debug, info, warn, error, fatal, silent.' });
    assert.throws(() => StreamExecutionEnvironment.getExecutionEnvironment().setLogLevel('WARN' as 'warn'), /env\.setLogLevel: "WARN" is not a log level; use one of trace, debug/);
  });

  it('filter what a logger writes', async () => {
    const { records: seen } = await logsDuring(async () => {
      const log = jobLogger('filtered', 'warn');
      log.info('not written');
      log.warn({ code: 'TEST' }, 'written');
      jobLogger('filtered', 'silent').error('not written either');
    });
    assert.deepEqual(seen.map((r) => [r.level, r.job, r.code, r.msg]), [['warn', 'filtered', 'TEST', 'written']]);
  });
});

describe('a job in a child process', () => {
  it('logs JSON lines to stderr: the job lifecycle from the main thread, its subtasks from the workers with job, operator, subtask and thread', () => {
    const { status, stdout, stderr } = runScript('logged-job', { EDDY_LOG_LEVEL: 'debug', EDDY_LOG_FORMAT: 'json' });
    assert.equal(status, 0, stderr);
    assert.equal(stdout.trim(), '100', 'stdout is the job’s own');
    const logged = records(stderr);
    const started = logged.find((r) => r.msg === 'Job started')!;
    assert.deepEqual([started.level, started.job, started.subtasks, typeof started.threads], ['info', 'logged-job', 4, 'number']);
    const finished = logged.find((r) => r.msg === 'Job finished')!;
    assert.deepEqual([finished.level, finished.restarts, typeof finished.durationMs], ['info', 0, 'number']);
    const subtasks = logged.filter((r) => r.msg === 'Subtask started');
    assert.deepEqual(subtasks.map((r) => `${r.operator} ${r.subtask}`).sort(), ['Doubler -> Collect Sink 0', 'Doubler -> Collect Sink 1', 'Sequence Source 0', 'Sequence Source 1']);
    for (const r of subtasks) {
      assert.equal(r.level, 'debug');
      assert.equal(r.job, 'logged-job');
      assert.equal(typeof r.thread, 'number');
      assert.equal(typeof r.pid, 'number');
    }
  });

  it('logs nothing below EDDY_LOG_LEVEL, in the main thread and the workers; env.setLogLevel overrides it for the job', () => {
    const quiet = runScript('logged-job', { EDDY_LOG_LEVEL: 'warn', EDDY_LOG_FORMAT: 'json' });
    assert.equal(quiet.status, 0, quiet.stderr);
    assert.deepEqual(records(quiet.stderr).filter((r) => r.level !== 'warn'), []);
    const verbose = runScript('logged-job', { EDDY_LOG_LEVEL: 'warn', EDDY_LOG_FORMAT: 'json' }, ['debug']);
    assert.equal(verbose.status, 0, verbose.stderr);
    assert.ok(records(verbose.stderr).some((r) => r.msg === 'Subtask started' && r.thread !== undefined), verbose.stderr);
  });

  it('refuses a bad EDDY_LOG_LEVEL with a sentence naming the levels', () => {
    const { status, stderr } = runScript('logged-job', { EDDY_LOG_LEVEL: 'loud' });
    assert.notEqual(status, 0);
    assert.match(stderr, /EDDY_LOG_LEVEL: "loud" is not a log level; use one of trace, debug, info, warn, error, fatal, silent\./);
  });

  it('logs a failed job as an error with the operator and subtask that failed', () => {
    const { status, stderr } = runScript('failing-job', { EDDY_LOG_LEVEL: 'error', EDDY_LOG_FORMAT: 'json' });
    assert.notEqual(status, 0);
    const failed = records(stderr).find((r) => r.msg === 'Job failed')!;
    assert.equal(failed.level, 'error');
    assert.equal(failed.job, 'failing-job');
    assert.equal(failed.operator, 'Fragile Map');
    assert.ok(failed.subtask === 0 || failed.subtask === 1);
    assert.match(String((failed.err as { message: string }).message), /cannot handle 700/);
  });

  it('writes pretty text when EDDY_LOG_FORMAT=pretty, workers too', () => {
    const { status, stderr } = runScript('logged-job', { EDDY_LOG_LEVEL: 'debug', EDDY_LOG_FORMAT: 'pretty', NO_COLOR: '1' });
    assert.equal(status, 0, stderr);
    assert.deepEqual(records(stderr), [], 'no JSON lines');
    assert.match(stderr, /^\[\d\d:\d\d:\d\d\.\d{3}\] INFO: Job started \{"job":"logged-job",/m);
    assert.match(stderr, /^\[\d\d:\d\d:\d\d\.\d{3}\] DEBUG: Subtask started \{"job":"logged-job","thread":\d+,"operator":"Doubler -> Collect Sink","subtask":[01]\}$/m);
  });
});
