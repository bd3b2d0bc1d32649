// TwoPhaseCommitSink, the base class, with a transaction log in memory: begin, write, pre-commit,
// commit and abort in the order the runtime drives them through the harness, one step at a time
// even when the steps are asynchronous, and what happens on a restore and on a failure.

import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import { describe, it } from 'node:test';
import { createHarness, TwoPhaseCommitSink, type DataStream, type HarnessSnapshot, type SinkInitContext, type SinkWriterContext } from '../../src/index.js';

interface Txn {
  readonly id: number;
  readonly records: number[];
}

/** Logs every step; commits into `committed`, once per transaction id. */
class MemorySink extends TwoPhaseCommitSink<number, Txn> {
  readonly log: string[] = [];
  readonly committed: number[] = [];
  private readonly done = new Set<number>();
  private next = 0;

  /** With `delay`, every step but `commit` and `abort` is asynchronous and takes that long (ms). */
  constructor(private readonly delay?: number) {
    super();
  }

  override recoverAndAbort(ctx: SinkInitContext): void | Promise<void> {
    this.log.push(`recover ${ctx.subtask}/${ctx.parallelism}`);
  }

  beginTransaction(): Txn | Promise<Txn> {
    const txn = { id: this.next++, records: [] };
    return this.step(`begin ${txn.id}`, () => txn);
  }

  write(txn: Txn, value: number, ctx: SinkWriterContext): void | Promise<void> {
    return this.step(`write ${txn.id} ${value}@${ctx.timestamp ?? '-'}`, () => void txn.records.push(value));
  }

  override flushBuffers(txn: Txn): void {
    this.log.push(`flush ${txn.id}`);
  }

  preCommit(txn: Txn): Txn | Promise<Txn> {
    return this.step(`preCommit ${txn.id}`, () => ({ id: txn.id, records: [...txn.records] }));
  }

  commit(txn: Txn): void {
    this.log.push(`commit ${txn.id}`);
    if (this.done.has(txn.id)) return;
    this.done.add(txn.id);
    this.committed.push(...txn.records);
  }

  abort(txn: Txn): void {
    this.log.push(`abort ${txn.id}`);
  }

  /** Logs `what` and runs `then`, at once or after the delay. */
  private step<R>(what: string, then: () => R): R | Promise<R> {
    if (this.delay === undefined) {
      this.log.push(what);
      return then();
    }
    return sleep(this.delay).then(() => {
      this.log.push(what);
      return then();
    });
  }
}

function into(sink: MemorySink): (s: DataStream<number>) => DataStream<number> {
  return (s) => {
    s.sinkTo(sink);
    return s;
  };
}

describe('TwoPhaseCommitSink', () => {
  it('begins at writer creation, writes into the open transaction, pre-commits and begins the next at a snapshot, commits oldest first, aborts the open one on close', async () => {
    const sink = new MemorySink();
    const h = await createHarness(into(sink));
    h.processElement(1, 10);
    h.processElement(2);
    await h.snapshot(1);
    h.processElement(3, 30);
    await h.snapshot(2);
    assert.deepEqual(sink.committed, [], 'nothing is committed before its checkpoint completes');
    await h.notifyCheckpointComplete(2);
    assert.deepEqual(sink.committed, [1, 2, 3]);
    h.processElement(4);
    await h.endInput();
    await h.close();
    assert.deepEqual(sink.log, [
      'recover 0/1',
      'begin 0',
      'write 0 1@10',
      'write 0 2@-',
      'preCommit 0',
      'begin 1',
      'write 1 3@30',
      'preCommit 1',
      'begin 2',
      'commit 0',
      'commit 1',
      'write 2 4@-',
      'flush 2',
      'abort 2',
    ]);
    assert.deepEqual(sink.committed, [1, 2, 3], 'the aborted transaction is never committed');
  });

  it('runs asynchronous steps one after the other, even where the caller does not wait, with each record its own timestamp', async () => {
    const sink = new MemorySink(2);
    const h = await createHarness(into(sink));
    // The harness does not wait for the promises write returns: the writer must keep the order.
    h.processElement(1, 100);
    h.processElement(2, 200);
    h.processElement(3);
    await h.snapshot(1);
    await h.notifyCheckpointComplete(1);
    await h.close();
    assert.deepEqual(sink.log, ['recover 0/1', 'begin 0', 'write 0 1@100', 'write 0 2@200', 'write 0 3@-', 'preCommit 0', 'begin 1', 'commit 0', 'abort 1']);
    assert.deepEqual(sink.committed, [1, 2, 3]);
  });

  it('a restore commits what the checkpoint pre-committed before the writer recovers and begins; a commit repeated after a restore is harmless', async () => {
    const sink = new MemorySink();
    const first = await createHarness(into(sink));
    first.processElement(1);
    const snapshot: HarnessSnapshot = await first.snapshot(5);
    await first.notifyCheckpointComplete(5);
    // The process dies after the commit: the restore commits transaction 0 again.
    sink.log.length = 0;
    const restored = await createHarness(into(sink), { restoreFrom: snapshot });
    restored.processElement(2);
    await restored.snapshot(6);
    await restored.notifyCheckpointComplete(6);
    await restored.close();
    assert.deepEqual(sink.log, ['commit 0', 'recover 0/1', 'begin 2', 'write 2 2@-', 'preCommit 2', 'begin 3', 'commit 2', 'abort 3']);
    assert.deepEqual(sink.committed, [1, 2]);
  });

  it('a failed write fails the next steps with its error; closing the writer still aborts the open transaction', async () => {
    class FailingSink extends MemorySink {
      override write(txn: Txn, value: number, ctx: SinkWriterContext): void | Promise<void> {
        if (value === 2) return Promise.reject(new Error('disk full'));
        return super.write(txn, value, ctx);
      }
    }
    const sink = new FailingSink();
    const h = await createHarness(into(sink));
    h.processElement(1);
    h.processElement(2);
    await assert.rejects(h.snapshot(1), /disk full/);
    assert.throws(() => h.processElement(3), /disk full/);
    // A failed job does not close its operators (neither does the harness): its open transaction
    // is a stray for recoverAndAbort when the subtask starts again.
    await assert.rejects(h.close(), /disk full/);
    assert.deepEqual(sink.log, ['recover 0/1', 'begin 0', 'write 0 1@-']);

    const direct = new FailingSink();
    const writer = await direct.createWriter({ subtask: 0, parallelism: 1 });
    await writer.write(1, { timestamp: undefined });
    await assert.rejects(async () => writer.write(2, { timestamp: undefined }), /disk full/);
    await assert.rejects(async () => writer.prepareCommit!(1), /disk full/);
    assert.throws(() => writer.flushBuffers!(), /disk full/);
    await writer.close!();
    await writer.close!();
    assert.deepEqual(direct.log, ['recover 0/1', 'begin 0', 'write 0 1@-', 'abort 0'], 'aborted once, never pre-committed');
  });

  it('when the next transaction cannot begin, the checkpoint fails and close aborts the transaction it pre-committed', async () => {
    class NoSecondBegin extends MemorySink {
      private begun = 0;
      override beginTransaction(): Txn | Promise<Txn> {
        if (this.begun++ === 1) throw new Error('no connection');
        return super.beginTransaction();
      }
      override abort(txn: Txn): void {
        this.log.push(`abort ${txn.id} [${txn.records.join(',')}]`);
      }
    }
    const sink = new NoSecondBegin();
    const writer = await sink.createWriter({ subtask: 0, parallelism: 1 });
    await writer.write(1, { timestamp: undefined });
    await assert.rejects(async () => writer.prepareCommit!(1), /no connection/);
    await writer.close!();
    assert.deepEqual(sink.log, ['recover 0/1', 'begin 0', 'write 0 1@-', 'preCommit 0', 'abort 0 [1]']);
  });

  it("the committer commits and aborts each transaction in order with the subclass's steps", async () => {
    const sink = new MemorySink();
    const committer = sink.createCommitter({ subtask: 0, parallelism: 1 });
    await committer.commit([
      { id: 7, records: [7] },
      { id: 8, records: [8] },
    ]);
    await committer.abort!([{ id: 9, records: [9] }]);
    assert.deepEqual(sink.log, ['commit 7', 'commit 8', 'abort 9']);
    assert.deepEqual(sink.committed, [7, 8]);
  });
});
