// The transactional producers of one subtask of an exactly-once KafkaSink: one per slot, under the
// ids <prefix>-<subtask>-<slot>, the smallest free slot taken for each new transaction; and the
// recovery that aborts what an earlier run left open under the subtask's ids (and under those of
// subtasks that a change of parallelism removed).

import type { Kafka } from 'kafkajs';
import type { SinkInitContext } from '../../core/sink.js';
import { retryWhileUnavailable } from './kafka-connection.js';
import type { KafkaSinkTransaction } from './kafka-sink-options.js';
import { createTransactionalProducer, type TransactionalProducer } from './kafka-transactions.js';

/** What a slot's producer is doing. */
export type SlotState = 'free' | 'open' | 'pre-committed';

/** The transactional id of slot `slot` of subtask `subtask`. */
export function transactionalId(prefix: string, subtask: number, slot: number): string {
  return `${prefix}-${subtask}-${slot}`;
}

/** What the slots need to know of the sink. */
export interface SlotSettings {
  readonly prefix: string;
  readonly brokers: readonly string[];
  readonly brokerTimeoutMs: number;
  readonly transactionTimeoutMs: number;
  /** "sink into topic 'x'", for errors. */
  readonly what: string;
}

/**
 * One transactional id of a subtask and its live producer. A slot holds at most one transaction:
 * the open one, or a pre-committed one until its commit; only a free slot begins a new one.
 */
export class TransactionSlot {
  producer: TransactionalProducer | undefined = undefined;
  /** Whether `producer` has sent InitProducerId. */
  initialized = false;
  /**
   * Whether the producer must send InitProducerId again before its next transaction: its last
   * one reached the broker. Kafka keeps the producer epoch from one transaction to the next of a
   * producer, so without the new epoch the recorded handle of the last one (which a restore
   * commits again) would end the next one; with it, that handle is refused as fenced.
   */
  needsInit = false;
  state: SlotState = 'free';
  /** The transaction the slot holds, open or pre-committed. */
  txn: KafkaSinkTransaction | undefined = undefined;

  constructor(readonly transactionalId: string) {}

  /** Whether the slot holds `txn` (the same ids) in `state`. */
  holds(txn: KafkaSinkTransaction, state: SlotState): boolean {
    const own = this.txn;
    return this.state === state && own !== undefined && own.producerEpoch === txn.producerEpoch && String(own.producerId) === String(txn.producerId) && own.openedAt === txn.openedAt;
  }

  /** The slot's transaction ended (committed or aborted): the slot is free for the next one. */
  release(reachedBroker: boolean): void {
    this.state = 'free';
    this.txn = undefined;
    if (reachedBroker) this.needsInit = true;
  }

  /** Closes the producer, whatever it was doing (the broker keeps what it left open); the next transaction gets a fresh one. */
  async drop(): Promise<void> {
    const producer = this.producer;
    this.producer = undefined;
    this.initialized = false;
    await producer?.close().catch(() => undefined);
  }
}

/** The slots of one subtask. The sink's `live` map finds a slot by its transactional id, for commits. */
export class SubtaskSlots {
  private readonly slots: TransactionSlot[] = [];

  constructor(
    private readonly subtask: number,
    private readonly kafka: Kafka,
    private readonly settings: SlotSettings,
    private readonly live: Map<string, TransactionSlot>,
  ) {}

  /**
   * Aborts what an earlier run left open (call it after the restored transactions were
   * committed): initializes slot 0, 1, 2 ... of this subtask until one that was never used
   * (producer epoch 0 once initialized), keeping their producers for this writer; then the same,
   * with throw-away producers, for the ids of old subtasks `subtask + m * parallelism` (m = 1, 2
   * ...) that no longer exist, stopping at the first whose slot 0 was never used. (Kafka also
   * starts an id again at epoch 0, with a new producer id, once its epochs ran out, after about
   * 32 000 transactions in one slot: recovery then stops early, and a transaction left open in a
   * later slot waits for its timeout, or for this writer to take that slot, which aborts it.)
   */
  async recover(ctx: SinkInitContext): Promise<void> {
    for (let i = 0; ; i++) {
      const slot = this.slot(i);
      const epoch = await this.initialize(slot);
      if (epoch === 0) break;
    }
    for (let old = ctx.subtask + ctx.parallelism; ; old += ctx.parallelism) {
      let used = 0;
      while (await this.probe(transactionalId(this.settings.prefix, old, used))) used++;
      if (used === 0) break;
    }
  }

  /** The smallest free slot, its producer ready to begin a transaction (created and initialized as needed). */
  async acquire(): Promise<TransactionSlot> {
    let index = this.slots.findIndex((s) => s.state === 'free');
    if (index < 0) index = this.slots.length;
    const slot = this.slot(index);
    if (!slot.initialized || slot.needsInit) await this.initialize(slot);
    return slot;
  }

  /** Closes every producer of the subtask and forgets its slots (a pre-committed transaction is then committed by its handle). */
  async close(): Promise<void> {
    for (const slot of this.slots) {
      if (this.live.get(slot.transactionalId) === slot) this.live.delete(slot.transactionalId);
      await slot.drop();
    }
    this.slots.length = 0;
  }

  private slot(index: number): TransactionSlot {
    let slot = this.slots[index];
    if (slot === undefined) {
      slot = new TransactionSlot(transactionalId(this.settings.prefix, this.subtask, index));
      this.slots[index] = slot;
      this.live.set(slot.transactionalId, slot);
    }
    return slot;
  }

  /** Sends InitProducerId for the slot (creating its producer first when it has none); returns the new epoch. */
  private async initialize(slot: TransactionSlot): Promise<number> {
    slot.producer ??= await this.retry(() => createTransactionalProducer(this.kafka, slot.transactionalId, this.settings.transactionTimeoutMs), `connecting ${slot.transactionalId}`);
    const producer = slot.producer;
    const ids = await this.retry(() => producer.initialize(), `initializing transactional id ${slot.transactionalId}`);
    slot.initialized = true;
    slot.needsInit = false;
    return ids.producerEpoch;
  }

  /** Initializes `id` with a throw-away producer (aborting what is open under it); true when it was used before. */
  private async probe(id: string): Promise<boolean> {
    const producer = await this.retry(() => createTransactionalProducer(this.kafka, id, this.settings.transactionTimeoutMs), `connecting ${id}`);
    try {
      const ids = await this.retry(() => producer.initialize(), `initializing transactional id ${id}`);
      return ids.producerEpoch > 0;
    } finally {
      await producer.close().catch(() => undefined);
    }
  }

  private retry<R>(call: () => Promise<R>, what: string): Promise<R> {
    const { brokers, brokerTimeoutMs } = this.settings;
    return retryWhileUnavailable(call, `${this.settings.what}: ${what}`, brokers, brokerTimeoutMs);
  }
}
