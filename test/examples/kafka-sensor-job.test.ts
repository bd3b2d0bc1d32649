// examples/kafka-sensor-job.ts against the real broker: it writes 3000 readings and a malformed
// record, and its job writes every sliding-window average to the output topic once (each reading
// in two windows), skipping and counting the malformed record; killed mid-way and run again with
// --restore, the output still holds each window once.

import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { hasCheckpoint } from '../it/exactly-once-runs.js';
import { readTopic, uniqueTopic } from '../kafka/kafka-client.js';
import { useTestBroker } from '../kafka/test-broker.js';

const { brokers } = useTestBroker();
const EXAMPLE = fileURLToPath(new URL('../../examples/kafka-sensor-job.js', import.meta.url));
const READINGS = 3000;
/** 3 sensors, a reading every 100 ms: 300 s, in 10 s windows every 5 s, 61 windows per sensor. */
const WINDOWS = 183;

interface WindowAverage {
  device_id: string;
  windowStart: number;
  count: number;
}

function options(): string[] {
  return ['--brokers', brokers()[0]!, '--input', uniqueTopic('readings'), '--output', uniqueTopic('averages'), '--checkpoints', join(mkdtempSync(join(tmpdir(), 'eddy-kafka-example-')), 'chk'), '--parallelism', '2'];
}

async function assertEveryWindowOnce(output: string): Promise<void> {
  const windows = (await readTopic(brokers(), output, WINDOWS)).map((v) => JSON.parse(v) as WindowAverage);
  assert.equal(new Set(windows.map((w) => `${w.device_id} ${w.windowStart}`)).size, windows.length, 'no window twice');
  assert.equal(windows.length, WINDOWS);
  assert.equal(windows.reduce((sum, w) => sum + w.count, 0), 2 * READINGS, 'each reading in two windows');
}

describe('examples/kafka-sensor-job', () => {
  it('writes every window average once and skips the malformed record', async () => {
    const args = options();
    const run = spawnSync(process.execPath, [EXAMPLE, ...args, '--generate', String(READINGS)], { encoding: 'utf8', timeout: 90_000 });
    assert.equal(run.status, 0, run.stderr);
    assert.match(run.stdout, new RegExp(`${WINDOWS} window averages written .* exactly once, 1 malformed record\\(s\\) skipped`));
    await assertEveryWindowOnce(args[5]!);
  });

  it('killed with SIGKILL after a checkpoint and run again with --restore: every window once', async () => {
    const args = options();
    const checkpoints = args[7]!;
    const child = spawn(process.execPath, [EXAMPLE, ...args, '--generate', String(READINGS * 20)], { stdio: 'ignore' });
    const exited = new Promise((resolve) => child.on('exit', resolve));
    const started = Date.now();
    while (!hasCheckpoint(checkpoints) && Date.now() - started < 60_000) await new Promise((r) => setTimeout(r, 20));
    child.kill('SIGKILL');
    await exited;
    assert.ok(hasCheckpoint(checkpoints), 'a checkpoint completed before the kill');
    const run = spawnSync(process.execPath, [EXAMPLE, ...args, '--restore'], { encoding: 'utf8', timeout: 120_000 });
    assert.equal(run.status, 0, run.stderr);
    const windows = (await readTopic(brokers(), args[5]!, 3 * 1201)).map((v) => JSON.parse(v) as WindowAverage);
    assert.equal(new Set(windows.map((w) => `${w.device_id} ${w.windowStart}`)).size, windows.length, 'no window twice');
    assert.equal(windows.reduce((sum, w) => sum + w.count, 0), 2 * READINGS * 20, 'each reading in two windows, none lost');
  });
});
