// The checkpoint coordinator on its own, with one fake actor that acknowledges every trigger:
// one checkpoint at a time even when savepoints, the final checkpoint and the periodic timer ask
// together; ids increase; retention; failures counted against tolerableFailures; what it logs.

import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import type { CheckpointTrigger } from '../../src/actors/thread-task.js';
import { resolveCheckpointConfig, type CheckpointingOptions } from '../../src/checkpoint/checkpoint-config.js';
import { CheckpointStorage } from '../../src/checkpoint/checkpoint-storage.js';
import type { StreamError } from '../../src/core/errors.js';
import type { PlannedJob } from '../../src/core/job-plan.js';
import { jobLogger, logSettings, type LogRecord } from '../../src/core/log.js';
import type { LogLevel } from '../../src/core/log-levels.js';
import { CheckpointCoordinator } from '../../src/runtime/checkpoint-coordinator.js';
import { logsDuring } from '../harness/logs.js';

const base = mkdtempSync(join(tmpdir(), 'eddy-coordinator-'));
// The coordinator's timers do not hold the process open (a job's workers do): this does, in the tests.
const keepAlive = setInterval(() => undefined, 1000);
after(() => {
  clearInterval(keepAlive);
  rmSync(base, { recursive: true, force: true });
});
let dirs = 0;

/** What the coordinator reads of a planned job with one source subtask that holds state. */
const PLANNED = {
  nodes: [{ id: 0, name: 'Source' }],
  uids: ['source'],
  job: { maxParallelism: 128, parallelism: [1], vertexOf: [0], vertices: [{ name: 'Source' }] },
  plan: { actors: [{ index: 0, vertexId: 0, subtask: 0 }] },
} as unknown as PlannedJob;

interface Run {
  coordinator: CheckpointCoordinator;
  triggers: CheckpointTrigger[];
  /** Ids in flight at each trigger (must always be 0 before it). */
  overlaps: number[];
  completed: number[];
  failures: StreamError[];
}

/** A coordinator whose one actor writes its file and acknowledges each trigger after `ackMs`. */
function coordinated(intervalMs: number, options: CheckpointingOptions = {}, ackMs = 5, logLevel: LogLevel = logSettings().level): Run {
  const dir = join(base, `job-${dirs++}`);
  let inFlight = 0;
  const run: Run = { coordinator: undefined as unknown as CheckpointCoordinator, triggers: [], overlaps: [], completed: [], failures: [] };
  run.coordinator = new CheckpointCoordinator(
    resolveCheckpointConfig(intervalMs, { dir, ...options }),
    PLANNED,
    'test job',
    {
      trigger: (trigger) => {
        run.overlaps.push(inFlight++);
        run.triggers.push(trigger);
        setTimeout(() => {
          // A checkpoint that timed out meanwhile was discarded with its folder: like an actor, give up on it.
          CheckpointStorage.writeSubtaskFile(trigger.folder, 'subtask-0-0.state', new Uint8Array([trigger.checkpointId])).then(
            (file) => run.coordinator.onAck({ checkpointId: trigger.checkpointId, actor: 0, file, statefulUids: ['source'], syncMs: 0, asyncMs: 0, alignmentMs: 0 }),
            () => undefined,
          );
        }, ackMs);
      },
      complete: () => inFlight--,
      abort: () => inFlight--,
      finish: () => undefined,
      fail: (error) => run.failures.push(error),
      completed: (id) => run.completed.push(id),
    },
    1,
    jobLogger('test job', logLevel),
  );
  return run;
}

describe('checkpoint coordinator', () => {
  it('takes savepoints asked for together one after the other, each with its own id', async () => {
    const run = coordinated(60_000);
    run.coordinator.start();
    const dir = join(base, 'savepoints');
    const paths = await Promise.all([run.coordinator.triggerSavepoint(dir), run.coordinator.triggerSavepoint(dir), run.coordinator.triggerSavepoint(dir)]);
    run.coordinator.stop();
    assert.equal(new Set(paths).size, 3);
    for (const path of paths) assert.ok(existsSync(join(path, '_metadata')), path);
    assert.deepEqual(run.triggers.map((t) => t.checkpointId), [1, 2, 3]);
    assert.deepEqual(run.overlaps, [0, 0, 0], 'no checkpoint was triggered while another was in flight');
  });

  it('never has two checkpoints in flight when the periodic timer and a savepoint ask at once', async () => {
    const run = coordinated(10);
    run.coordinator.start();
    const dir = join(base, 'savepoints-periodic');
    for (let i = 0; i < 10; i++) {
      await new Promise((r) => setTimeout(r, 7 + i));
      await run.coordinator.triggerSavepoint(dir);
    }
    run.coordinator.stop();
    await run.coordinator.quiesce();
    assert.ok(run.overlaps.every((n) => n === 0), `in flight at the triggers: ${run.overlaps}`);
    const ids = run.triggers.map((t) => t.checkpointId);
    assert.deepEqual(ids, [...ids].sort((a, b) => a - b));
    assert.deepEqual(run.coordinator.history.map((c) => c.checkpointId), run.completed);
  });

  it('takes the final checkpoint once every actor finished, and nothing after it', async () => {
    const run = coordinated(60_000);
    run.coordinator.start();
    run.coordinator.onActorFinished(0);
    while (run.completed.length === 0) await new Promise((r) => setTimeout(r, 2));
    await new Promise((r) => setTimeout(r, 30));
    assert.deepEqual(run.completed, [1]);
    await assert.rejects(run.coordinator.triggerSavepoint(join(base, 'late')), /has ended/);
  });

  it('keeps the newest `retained` checkpoints', async () => {
    const run = coordinated(10, { retained: 2 });
    run.coordinator.start();
    while (run.completed.length < 5) await new Promise((r) => setTimeout(r, 2));
    run.coordinator.stop();
    await run.coordinator.quiesce();
    const storage = new CheckpointStorage(run.triggers[0]!.folder.replace(/\/chk-\d+$/, ''));
    const newest = run.completed.at(-1)!;
    assert.equal(await storage.highestId(), newest);
    assert.ok(!existsSync(storage.checkpointPath(newest - 2)), 'older checkpoints were deleted');
    assert.ok(existsSync(join(storage.checkpointPath(newest - 1), '_metadata')));
  });

  it('aborts a checkpoint that times out and fails the job past tolerableFailures', async () => {
    const run = coordinated(10, { timeoutMs: 5, tolerableFailures: 2 }, 50);
    run.coordinator.start();
    while (run.failures.length === 0) await new Promise((r) => setTimeout(r, 2));
    run.coordinator.stop();
    assert.equal(run.failures[0]!.code, 'CHECKPOINT_FAILED');
    assert.match(run.failures[0]!.message, /3 checkpoints in a row failed, more than the 2 the job tolerates/);
    const failed = run.coordinator.history.filter((c) => c.status === 'failed');
    assert.equal(failed.length, 3);
    assert.match(failed[0]!.failure!, /did not complete within 5 ms \(timeoutMs\)/);
  });

  it('logs each checkpoint: triggered (debug), completed (info, with its duration, size and alignment), failed (warn); a savepoint with its path', async () => {
    const { records } = await logsDuring(async () => {
      const run = coordinated(60_000, {}, 5, 'debug');
      run.coordinator.start();
      const path = await run.coordinator.triggerSavepoint(join(base, 'logged-savepoints'));
      run.coordinator.onActorFinished(0);
      while (run.completed.length < 2) await new Promise((r) => setTimeout(r, 2));
      const timingOut = coordinated(10, { timeoutMs: 5, tolerableFailures: 5 }, 50, 'warn');
      timingOut.coordinator.start();
      while (timingOut.coordinator.history.length === 0) await new Promise((r) => setTimeout(r, 2));
      timingOut.coordinator.stop();
      return path;
    });
    const of = (msg: string): LogRecord[] => records.filter((r) => r.msg === msg);
    assert.deepEqual(of('Savepoint triggered').map((r) => [r.level, r.job, r.checkpoint]), [['debug', 'test job', 1]]);
    const [savepoint] = of('Savepoint completed');
    assert.equal(savepoint!.level, 'info');
    assert.match(String(savepoint!.path), /logged-savepoints/);
    const [checkpoint] = of('Checkpoint completed');
    assert.deepEqual([checkpoint!.level, checkpoint!.job, checkpoint!.checkpoint, checkpoint!.sizeBytes, checkpoint!.alignmentMs], ['info', 'test job', 2, 1, 0]);
    assert.equal(typeof checkpoint!.durationMs, 'number');
    const failed = records.find((r) => r.code === 'EDDY_CHECKPOINT_FAILED')!;
    assert.equal(failed.level, 'warn');
    assert.match(failed.msg, /^Checkpoint 1 of job "test job" failed: it did not complete within 5 ms \(timeoutMs\)\.$/);
  });
});
