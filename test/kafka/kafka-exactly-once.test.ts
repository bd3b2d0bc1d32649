// Exactly once from Kafka to Kafka, proven by failing: a job reading sensor readings from a topic,
// windowing them per sensor and writing the window sums to another topic with an exactly-once
// KafkaSink, run in a child process that throws once, is killed with SIGKILL mid-way and
// restored (at another parallelism), is killed right after a checkpoint completed and before its
// transaction was committed, or sees its broker stopped and started again mid-job. A
// read-committed consumer must see every window exactly once.

import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { freePort, startBroker, stopBroker } from '../../tools/kafka/broker.js';
import { hasCheckpoint } from '../it/exactly-once-runs.js';
import { afterFirstCheckpoint, kafkaRun, runToEnd, startJob, windowProblems } from '../it/kafka-exactly-once-runs.js';
import { useTestBroker } from './test-broker.js';

const { brokers } = useTestBroker();

describe('Kafka to Kafka, exactly once', () => {
  it('a user function that throws once: the job restarts from its checkpoint and every window is committed once', async () => {
    const run = await kafkaRun(brokers(), { throwAt: 3000 });
    const ended = runToEnd(run.args);
    assert.equal(ended.status, 0, ended.output);
    assert.deepEqual(await windowProblems(run), []);
  });

  it('SIGKILL of the whole process mid-way, restored at another parallelism: every window once', async () => {
    const run = await kafkaRun(brokers());
    const job = startJob(run.args);
    await afterFirstCheckpoint(run.args, 300);
    job.kill();
    await job.exited;
    assert.ok(hasCheckpoint(run.args.checkpoints), 'a checkpoint completed before the kill');
    const ended = runToEnd({ ...run.args, parallelism: 3, restore: true });
    assert.equal(ended.status, 0, ended.output);
    assert.deepEqual(await windowProblems(run), []);
  });

  it('SIGKILL after a checkpoint completed and before its transaction was committed: the restore commits it, every window once', async () => {
    const run = await kafkaRun(brokers(), { killBeforeCommit: true });
    const killed = runToEnd(run.args);
    assert.equal(killed.status, null, 'the process was killed at the commit');
    const ended = runToEnd({ ...run.args, killBeforeCommit: undefined, restore: true });
    assert.equal(ended.status, 0, ended.output);
    assert.deepEqual(await windowProblems(run), []);
  });

  it('the broker stopped mid-job and started again 2 s later: the job carries on (or restarts from its checkpoint), every window once', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'eddy-kafka-eo-broker-'));
    const broker = { dir, port: await freePort(), controllerPort: await freePort() };
    const own = [(await startBroker(broker)).bootstrap];
    try {
      const run = await kafkaRun(own);
      const job = startJob(run.args);
      await afterFirstCheckpoint(run.args, 200);
      await stopBroker(dir);
      await new Promise((r) => setTimeout(r, 2_000));
      await startBroker(broker);
      const ended = await job.exited;
      assert.equal(ended.status, 0, ended.output);
      assert.deepEqual(await windowProblems(run), []);
    } finally {
      await stopBroker(dir);
    }
  });
});
