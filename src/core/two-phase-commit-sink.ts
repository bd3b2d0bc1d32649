// TwoPhaseCommitSink: the base of exactly-once sinks (Flink's TwoPhaseCommitSinkFunction on eddy's
// Sink contract). A subclass says how to begin, write, pre-commit, commit and abort a transaction;
// the base holds one open transaction per writer and turns checkpoints into commits.

import type { Committer, Sink, SinkInitContext, SinkWriter, SinkWriterContext } from './sink.js';

/**
 * The base class of an exactly-once sink: each subtask writes into one open transaction at a
 * time, and every checkpoint ends it and begins the next.
 *
 * The steps, in the order the runtime drives them for one subtask:
 *
 * 1. When the subtask starts, the committer first commits what the checkpoint it is restored from
 *    pre-committed ({@link commit}, again for transactions that may already be committed). Then
 *    the writer is created: {@link recoverAndAbort} (clean up what an earlier run of the subtask
 *    left open), then {@link beginTransaction}.
 * 2. Each record goes to {@link write} of the open transaction, in arrival order;
 *    {@link flushBuffers} when the subtask has drained its input for now.
 * 3. At a checkpoint's snapshot (`prepareCommit`): {@link preCommit} of the open transaction, then
 *    {@link beginTransaction} of the next; the pre-committed transaction is stored in the
 *    checkpoint.
 * 4. When that checkpoint completes: {@link commit} of the transactions it stored, oldest first.
 * 5. When the writer closes (the end of the job, a cancel): {@link abort} of the open transaction,
 *    which was never pre-committed.
 *
 * Calls into the subclass for one writer never overlap: when one returns a promise, the next waits
 * for it, also where the caller does not wait (a test harness). The `SinkWriterContext` handed to
 * `write` is a copy where the call had to wait, so its `timestamp` is the record's.
 *
 * The guarantee, with checkpointing: once the first checkpoint taken after a record completes,
 * the record is in exactly one committed transaction. A crash after the snapshot and before the
 * commit loses nothing: the restored subtask commits what the checkpoint recorded before it
 * writes again, so `commit` must be idempotent. Records written after the last completed
 * checkpoint are written again by the restored job (the sources rewind), into new transactions;
 * the transactions that held them were never pre-committed or were pre-committed for a
 * checkpoint that never completed, and are never committed: `close` aborts the open one of a
 * writer that closes (a failed job does not close its writers), and the subclass finds the
 * strays of a crash or a failure in {@link recoverAndAbort}. Without a checkpoint nothing is
 * committed.
 *
 * The same sink object serves every subtask on a thread: keep per-subtask state in the
 * transaction (or in a map keyed by it, or by the `SinkInitContext`, which is the same object for
 * every call of one writer), not in fields of the sink.
 *
 * @typeParam T - The records.
 * @typeParam TXN - A transaction. The open one may hold anything (a file handle, a buffer); what
 * {@link preCommit} returns is stored in checkpoints and must be plain data that msgpack carries.
 */
export abstract class TwoPhaseCommitSink<T, TXN> implements Sink<T, TXN> {
  /**
   * Begins a transaction for the writer of subtask `ctx.subtask`: at writer creation, and after
   * each pre-commit. Called by the writer; do not call it yourself.
   */
  abstract beginTransaction(ctx: SinkInitContext): TXN | Promise<TXN>;

  /**
   * Writes one record into the open transaction `txn`, in arrival order. A returned promise holds
   * back the next record until it settles (backpressure); its rejection fails the job. Read `ctx`
   * during the call, not after an `await`: the runtime reuses it for the next record.
   */
  abstract write(txn: TXN, value: T, ctx: SinkWriterContext): void | Promise<void>;

  /**
   * Phase one, at a checkpoint's snapshot: makes everything written into `txn` durable, so that
   * `commit` can make it visible even after this process crashed, and returns the transaction as
   * plain data (msgpack-encodable) for the checkpoint to store. After it, `txn` receives no more
   * records.
   */
  abstract preCommit(txn: TXN): TXN | Promise<TXN>;

  /**
   * Phase two: makes a pre-committed transaction visible, once the checkpoint that stored it
   * completed. Must be idempotent: after a restore it is called again for the transactions the
   * checkpoint stored, some of which may be committed already. Transactions of one subtask are
   * committed oldest first.
   */
  abstract commit(txn: TXN): void | Promise<void>;

  /**
   * Drops a transaction that will never be committed: the open one when the writer closes (never
   * pre-committed), and pre-committed ones the runtime gives up (`Committer.abort`). Must accept a
   * transaction that holds nothing, and one whose pre-commit failed part-way.
   */
  abstract abort(txn: TXN): void | Promise<void>;

  /**
   * Called once per writer, before its first {@link beginTransaction} and after the transactions of
   * the restored checkpoint were committed: abort what an earlier run of subtask `ctx.subtask` left
   * behind that no checkpoint will commit (transactions that were open when it crashed). Default:
   * nothing.
   */
  recoverAndAbort(_ctx: SinkInitContext): void | Promise<void> {}

  /**
   * Called when the subtask has drained its input for now, and at the end of the input: a subclass
   * that buffers records in `txn` hands the buffer on here, so records never wait for more records
   * to arrive. Synchronous: a subclass that starts asynchronous work here must report its failure
   * from a later call, and wait for it in `preCommit` and `abort`. Default: nothing.
   */
  flushBuffers(_txn: TXN): void {}

  /** Creates the writer of one subtask: recovers, then begins its first transaction. */
  async createWriter(ctx: SinkInitContext): Promise<SinkWriter<T, TXN>> {
    await this.recoverAndAbort(ctx);
    return new TransactionWriter(this, ctx, await this.beginTransaction(ctx));
  }

  /** Creates the committer of one subtask: `commit` and `abort` for each transaction, in order. */
  createCommitter(_ctx: SinkInitContext): Committer<TXN> {
    return {
      commit: async (transactions) => {
        for (const txn of transactions) await this.commit(txn);
      },
      abort: async (transactions) => {
        for (const txn of transactions) await this.abort(txn);
      },
    };
  }
}

/** A step of the writer that may have to wait for the one before it. */
type Step = () => void | Promise<void>;

/** The writer of one subtask: holds the open transaction and runs the subclass's steps in order. */
class TransactionWriter<T, TXN> implements SinkWriter<T, TXN> {
  /** The last step still running, or null when none is. */
  private busy: Promise<void> | null = null;
  /** The first step that failed: every later step fails with it (close still aborts). */
  private failure: { error: unknown } | null = null;
  private closed = false;

  constructor(
    private readonly sink: TwoPhaseCommitSink<T, TXN>,
    private readonly ctx: SinkInitContext,
    private txn: TXN,
  ) {}

  write(value: T, ctx: SinkWriterContext): void | Promise<void> {
    if (this.busy === null) {
      this.throwIfFailed();
      return this.track(this.sink.write(this.txn, value, ctx));
    }
    // The runtime reuses its context object: keep this record's timestamp for the deferred call.
    const own: SinkWriterContext = { timestamp: ctx.timestamp };
    return this.run(() => this.sink.write(this.txn, value, own));
  }

  flushBuffers(): void {
    // Nobody waits for a deferred flush: its failure is kept and reported by the next call.
    this.run(() => this.sink.flushBuffers(this.txn))?.catch(() => undefined);
  }

  async flush(): Promise<void> {
    await this.run(() => this.sink.flushBuffers(this.txn));
  }

  async prepareCommit(): Promise<TXN[]> {
    const prepared: TXN[] = [];
    await this.run(async () => {
      const txn = await this.sink.preCommit(this.txn);
      prepared.push(txn);
      // Until the next one begins, close aborts this one: no checkpoint holds it if begin fails.
      this.txn = txn;
      this.txn = await this.sink.beginTransaction(this.ctx);
    });
    return prepared;
  }

  async close(): Promise<void> {
    // What is still running finishes first; its failure was reported to whoever waited for it.
    while (this.busy !== null) await this.busy.catch(() => undefined);
    if (this.closed) return;
    this.closed = true;
    await this.sink.abort(this.txn);
  }

  /** Runs `step` now when nothing is running, else after what is. */
  private run(step: Step): void | Promise<void> {
    if (this.busy === null) {
      this.throwIfFailed();
      return this.track(step());
    }
    return this.track(this.busy.then(step));
  }

  /** Makes a step's promise the one later steps wait for; a step that returned nothing is done. */
  private track(result: void | Promise<void>): void | Promise<void> {
    // A method typed `void` may still return a value (an arrow function's): only promises wait.
    if (typeof (result as Partial<PromiseLike<void>> | undefined)?.then !== 'function') return undefined;
    const tracked: Promise<void> = Promise.resolve(result).then(
      () => {
        if (this.busy === tracked) this.busy = null;
      },
      (error: unknown) => {
        this.failure ??= { error };
        if (this.busy === tracked) this.busy = null;
        throw error;
      },
    );
    this.busy = tracked;
    return tracked;
  }

  private throwIfFailed(): void {
    if (this.failure !== null) throw this.failure.error;
  }
}
