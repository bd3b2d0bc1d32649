// KafkaSink with the 'exactly-once' guarantee, on TwoPhaseCommitSink: one Kafka transaction per
// subtask per checkpoint, sent and acknowledged at the barrier (pre-commit), committed when the
// checkpoint completes, through the live producer or, after a restore, by its recorded ids.

import type { Kafka } from 'kafkajs';
import { StreamError } from '../../core/errors.js';
import type { JobSettings } from '../../core/job-plan.js';
import { logger } from '../../core/log.js';
import type { SinkInitContext, SinkWriter } from '../../core/sink.js';
import { TwoPhaseCommitSink } from '../../core/two-phase-commit-sink.js';
import { createKafka, retryWhileUnavailable } from './kafka-connection.js';
import { RecordBatcher } from './kafka-record-batcher.js';
import { checkExactlyOnceJob, describeSink, recordEncoder, type EncodedRecord, type KafkaSinkTransaction, type ResolvedSinkOptions } from './kafka-sink-options.js';
import { SubtaskSlots, type SlotSettings, type TransactionSlot } from './kafka-transaction-slots.js';
import { abortRecordedTransaction, commitRecordedTransaction, endedBefore } from './kafka-transactions.js';

/** The warning a commit by handle prints when Kafka can no longer say whether the transaction was committed. */
export const COMMIT_UNCERTAIN_WARNING = 'EDDY_KAFKA_COMMIT_UNCERTAIN';

/** What an open transaction holds in memory: its slot and its outgoing records. */
interface OpenTransaction {
  readonly slot: TransactionSlot;
  readonly batcher: RecordBatcher;
  records: number;
}

/**
 * The sink of {@link KafkaSink.create} for `'exactly-once'`.
 *
 * Each subtask `i` writes into one Kafka transaction at a time, under the transactional id
 * `<prefix>-<i>-<slot>`, one kafkajs producer per slot. A new transaction takes the smallest slot
 * that holds neither the open transaction nor a pre-committed one still waiting for its commit,
 * so the slots in use stay 0, 1 (and 2 when a checkpoint's commit comes late).
 *
 * - At a checkpoint's barrier (pre-commit) everything buffered is sent and acknowledged, and the
 *   transaction's ids `{ transactionalId, producerId, producerEpoch, records, openedAt }` go into
 *   the checkpoint; the next transaction begins in another slot.
 * - When the checkpoint completes, the transaction commits through the producer that opened it.
 *   After a restore (the producer is gone) it commits by its recorded ids (EndTxn at the
 *   transaction coordinator), before the writer starts. A transaction without records was never
 *   begun on the broker and needs no commit.
 * - Committing again is harmless: the same ids commit once. A slot's producer takes a new epoch
 *   (InitProducerId) before it begins a transaction after one that reached the broker, so the
 *   handle of a committed transaction can never end a later one in its slot; committing that
 *   handle again is refused as fenced, which, within the transaction timeout of its start, can
 *   only mean it was committed. Later than that the broker may also have aborted it for its
 *   timeout: Kafka cannot tell which, and the sink goes on with a process warning
 *   (`EDDY_KAFKA_COMMIT_UNCERTAIN`).
 * - When the writer starts, after the restored transactions were committed, it aborts what an
 *   earlier run left open: it initializes the subtask's slots 0, 1, 2 ... until one never used,
 *   and the slots of old subtasks `i + m * parallelism` that a lower parallelism removed.
 * - Closing the writer aborts the open transaction. A failed job leaves its open transactions to
 *   the next run's recovery (or to the broker's timeout).
 */
export class ExactlyOnceKafkaSink<T> extends TwoPhaseCommitSink<T, KafkaSinkTransaction> {
  private readonly encode: (value: T) => EncodedRecord;
  private readonly settings: SlotSettings;
  /** The slots of each subtask's writer in this thread, by subtask. */
  private readonly subtasks = new Map<number, SubtaskSlots>();
  /** Every live slot of this thread, by transactional id: where a commit finds the producer that opened a transaction. */
  private readonly live = new Map<string, TransactionSlot>();
  /** The in-memory side of each open transaction. */
  private readonly openTransactions = new WeakMap<KafkaSinkTransaction, OpenTransaction>();
  /** The client of commits and aborts by handle, created at the first. */
  private client: Kafka | undefined;

  constructor(private readonly options: ResolvedSinkOptions<T>) {
    super();
    this.encode = recordEncoder(options);
    this.settings = {
      prefix: options.transactionalIdPrefix!,
      brokers: options.brokers,
      brokerTimeoutMs: options.brokerTimeoutMs,
      transactionTimeoutMs: options.transactionTimeoutMs,
      what: describeSink(options),
    };
  }

  /**
   * Refuses a job without checkpointing, and one whose `transactionTimeoutMs` does not exceed the
   * checkpoint interval + the restart delay + 10 s.
   */
  checkJob(settings: JobSettings): void {
    checkExactlyOnceJob(settings, this.options.transactionTimeoutMs);
  }

  /** Creates the subtask's writer (recovery first, then its first transaction); closing it also closes the subtask's producers. */
  override async createWriter(ctx: SinkInitContext): Promise<SinkWriter<T, KafkaSinkTransaction>> {
    let writer: SinkWriter<T, KafkaSinkTransaction>;
    try {
      writer = await super.createWriter(ctx);
    } catch (error) {
      await this.closeSubtask(ctx.subtask);
      throw error;
    }
    const own = this.subtasks.get(ctx.subtask);
    const close = writer.close!.bind(writer);
    writer.close = async () => {
      try {
        await close();
      } finally {
        // Only this writer's producers: a later writer of the subtask may have replaced them.
        if (this.subtasks.get(ctx.subtask) === own) this.subtasks.delete(ctx.subtask);
        await own?.close();
      }
    };
    return writer;
  }

  /** Aborts what an earlier run of the subtask left open under its transactional ids (and under those of removed subtasks). */
  override async recoverAndAbort(ctx: SinkInitContext): Promise<void> {
    // A writer of the same subtask before this one, in this thread (a test harness restored): its producers are stale.
    await this.closeSubtask(ctx.subtask);
    const slots = new SubtaskSlots(ctx.subtask, createKafka(this.options.brokers, this.options.clientId), this.settings, this.live);
    this.subtasks.set(ctx.subtask, slots);
    await slots.recover(ctx);
  }

  /** Begins a transaction in the subtask's smallest free slot. */
  async beginTransaction(ctx: SinkInitContext): Promise<KafkaSinkTransaction> {
    const slots = this.subtasks.get(ctx.subtask);
    if (slots === undefined) throw internal(`subtask ${ctx.subtask} has no producers: its writer was closed`);
    const slot = await slots.acquire();
    const producer = slot.producer!;
    await producer.begin();
    const { producerId, producerEpoch } = producer.handle();
    const txn: KafkaSinkTransaction = { transactionalId: slot.transactionalId, producerId, producerEpoch, records: 0, openedAt: Date.now() };
    slot.state = 'open';
    slot.txn = txn;
    // No eddy-level retry of a send: the idempotent producer retries itself, and a batch sent twice would be in the transaction twice.
    this.openTransactions.set(txn, { slot, batcher: new RecordBatcher((batch) => producer.send(batch)), records: 0 });
    return txn;
  }

  /** Buffers the record into the open transaction; a full buffer whose batch before is still in flight holds back the next record. */
  write(txn: KafkaSinkTransaction, value: T): void | Promise<void> {
    const open = this.open(txn, 'write to');
    const { topic, message, size } = this.encode(value);
    const added = open.batcher.add(topic, message, size);
    open.records++;
    return added;
  }

  /** Hands the buffered records on to Kafka, without waiting. */
  override flushBuffers(txn: KafkaSinkTransaction): void {
    this.openTransactions.get(txn)?.batcher.handOn();
  }

  /** Sends what is buffered and waits until every record of the transaction is acknowledged; returns its handle. */
  async preCommit(txn: KafkaSinkTransaction): Promise<KafkaSinkTransaction> {
    const open = this.open(txn, 'pre-commit');
    await open.batcher.drain();
    const handle: KafkaSinkTransaction = { ...txn, records: open.records };
    this.openTransactions.delete(txn);
    open.slot.state = 'pre-committed';
    open.slot.txn = handle;
    return handle;
  }

  /** Commits a pre-committed transaction: through its live producer, else by its recorded ids; idempotent. */
  async commit(txn: KafkaSinkTransaction): Promise<void> {
    const slot = this.live.get(txn.transactionalId);
    const held = slot !== undefined && slot.holds(txn, 'pre-committed') ? slot : undefined;
    if (txn.records === 0) {
      // Nothing reached the broker: ending it is local to kafkajs (no EndTxn), but its producer must end it to begin again.
      if (held !== undefined) await this.endEmpty(held);
      return;
    }
    if (held?.producer !== undefined) {
      try {
        await held.producer.commit();
        held.release(true);
        return;
      } catch {
        // The producer's state is unknown now: a fresh one takes the slot, and the ids decide.
        await held.drop();
      }
    }
    await this.endByHandle(txn, true);
    // Freed only once committed: a slot that begins again initializes its id, which would abort it.
    held?.release(true);
  }

  /** Aborts the open transaction (or a pre-committed one): through its producer, else by its ids. */
  async abort(txn: KafkaSinkTransaction): Promise<void> {
    const open = this.openTransactions.get(txn);
    if (open !== undefined) {
      this.openTransactions.delete(txn);
      await open.batcher.settle();
      await this.abortIn(open.slot, open.records > 0);
      return;
    }
    const slot = this.live.get(txn.transactionalId);
    if (slot !== undefined && slot.holds(txn, 'pre-committed')) await this.abortIn(slot, txn.records > 0);
    else if (txn.records > 0) await this.endByHandle(txn, false);
  }

  /** Ends the empty transaction of `slot` in its producer (kafkajs sends nothing for it) and frees the slot. */
  private async endEmpty(slot: TransactionSlot): Promise<void> {
    try {
      await slot.producer?.commit();
    } catch {
      await slot.drop();
    } finally {
      slot.release(false);
    }
  }

  private async abortIn(slot: TransactionSlot, reachedBroker: boolean): Promise<void> {
    try {
      await slot.producer?.abort();
    } catch {
      // The broker aborts it later: the next InitProducerId of the slot, or its timeout.
      await slot.drop();
    } finally {
      slot.release(reachedBroker);
    }
  }

  /** Ends a transaction by its recorded ids. A transaction whose id moved on was ended before: see the class notes. */
  private async endByHandle(txn: KafkaSinkTransaction, commit: boolean): Promise<void> {
    this.client ??= createKafka(this.options.brokers, this.options.clientId);
    const client = this.client;
    const end = commit ? commitRecordedTransaction : abortRecordedTransaction;
    const what = `${this.settings.what}: ${commit ? 'committing' : 'aborting'} transaction ${txn.transactionalId}`;
    try {
      await retryWhileUnavailable(() => end(client, txn), what, this.options.brokers, this.options.brokerTimeoutMs);
    } catch (error) {
      const why = endedBefore(error);
      if (why === undefined) throw error;
      if (!commit) return;
      const age = Date.now() - txn.openedAt;
      if (why === 'epoch' && age < this.options.transactionTimeoutMs) return;
      logger().warn(
        { code: COMMIT_UNCERTAIN_WARNING, transactionalId: txn.transactionalId },
        `Kafka ${this.settings.what}: the transaction ${txn.transactionalId} (producer ${txn.producerId}, epoch ${txn.producerEpoch}, ${txn.records} records) of a restored checkpoint ` +
          `could not be committed again: ${why === 'epoch' ? `its id moved on, and it began ${Math.round(age / 1000)} s ago, more than its ${this.options.transactionTimeoutMs} ms timeout, ` +
            'so it was either committed before or aborted by the broker for its timeout (Kafka cannot tell which; then its records are lost)' : 'the broker says it is in another state (aborted, or never begun)'}. ` +
          'Restore from the newest checkpoint within the transaction timeout, and give every job its own transactionalIdPrefix.',
      );
    }
  }

  private async closeSubtask(subtask: number): Promise<void> {
    const slots = this.subtasks.get(subtask);
    this.subtasks.delete(subtask);
    await slots?.close();
  }

  private open(txn: KafkaSinkTransaction, what: string): OpenTransaction {
    const open = this.openTransactions.get(txn);
    if (open === undefined) throw internal(`asked to ${what} transaction ${txn.transactionalId}, which is not open (it was pre-committed or aborted)`);
    return open;
  }
}

function internal(what: string): StreamError {
  return new StreamError('INTERNAL', `KafkaSink: ${what}.`, { domain: 'internal' });
}
