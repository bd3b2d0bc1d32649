// eddy's own small interface to Kafka transactions, for an exactly-once sink's two-phase commit:
// a transactional producer whose producer id and epoch can be read (so that a checkpoint can
// record the open transaction), and the commit of such a recorded transaction from another
// process after a crash. kafkajs hides the ids, so this reaches into its internals (its cluster,
// EOS manager and message producer, and the EndTxn request); they are looked up once, and a
// kafkajs version that moved them fails here, loudly, not in a sink.

import { createRequire } from 'node:module';
import type { Kafka, Message } from 'kafkajs';
import { StreamError } from '../../core/errors.js';
import { stablePartitioner } from './kafka-partitioner.js';

/** The producer id and epoch the transaction coordinator gave a transactional id. */
export interface KafkaProducerIds {
  /** A 64-bit integer, as the decimal string kafkajs reads it as. */
  readonly producerId: string;
  readonly producerEpoch: number;
}

/** What a checkpoint records of a pre-committed transaction: enough to commit it from anywhere. */
export interface KafkaTransactionHandle extends KafkaProducerIds {
  readonly transactionalId: string;
}

export interface TopicMessages {
  readonly topic: string;
  readonly messages: Message[];
}

/** One transactional producer: one open transaction at a time. */
export interface TransactionalProducer {
  readonly transactionalId: string;
  /**
   * Sends InitProducerId now, also when the producer was initialized before: aborts whatever is
   * open under the transactional id (a crashed owner's transaction, or this producer's own) and
   * bumps the producer epoch, so that handles of earlier transactions under the id can no longer
   * end a later one. Resolves with the new ids: epoch 0 means the id was never initialized before
   * (or its epochs ran out and the broker gave it a new producer id).
   */
  initialize(): Promise<KafkaProducerIds>;
  /** Starts a transaction (the first call initializes the transactional id, which aborts whatever a crashed owner left open under it). */
  begin(): Promise<void>;
  /** Sends into the open transaction and resolves once every partition acknowledged (acks = all). */
  send(batches: readonly TopicMessages[]): Promise<void>;
  /** The open transaction's handle, for a checkpoint: its records are all sent and acknowledged. */
  handle(): KafkaTransactionHandle;
  commit(): Promise<void>;
  abort(): Promise<void>;
  close(): Promise<void>;
}

interface EosManager {
  initProducerId(): Promise<void>;
  beginTransaction(): void;
  commit(): Promise<void>;
  abort(): Promise<void>;
  getProducerId(): string;
  getProducerEpoch(): number;
  isInTransaction(): boolean;
}

interface Cluster {
  connect(): Promise<void>;
  disconnect(): Promise<void>;
  findGroupCoordinator(options: { groupId: string; coordinatorType: number }): Promise<{
    endTxn(options: { transactionalId: string; producerId: string; producerEpoch: number; transactionResult: boolean }): Promise<unknown>;
  }>;
}

interface Internals {
  readonly version: string;
  /** A cluster of `kafka`'s brokers; `options` as kafkajs's own consumers and producers pass them. */
  readonly createCluster: (kafka: Kafka, options?: { maxInFlightRequests?: number; isolationLevel?: number }) => Cluster;
  /** kafkajs's fetched batch of one partition: drops control records and aborted transactions' records. */
  readonly Batch: new (topic: string, fetchedOffset: string, partitionData: unknown) => { messages: unknown[]; messagesWithinOffset: { offset: string }[] };
  readonly createEosManager: (options: { logger: unknown; cluster: Cluster; transactional: true; transactionalId: string; transactionTimeout: number }) => EosManager;
  readonly createMessageProducer: (options: {
    logger: unknown;
    cluster: Cluster;
    partitioner: unknown;
    eosManager: EosManager;
    idempotent: true;
    retrier: unknown;
    getConnectionStatus: () => string;
  }) => { sendBatch(options: { acks: -1; topicMessages: TopicMessages[] }): Promise<unknown> };
  readonly createRetry: (options: unknown) => unknown;
  readonly transactionCoordinator: number;
  readonly loggerOf: (kafka: Kafka) => { namespace(name: string): unknown };
}

let cached: Internals | undefined;

/** The kafkajs internals, checked once; throws a sentence naming what moved. */
export function kafkajsInternals(): Internals {
  if (cached !== undefined) return cached;
  const require = createRequire(import.meta.url);
  const version = (require('kafkajs/package.json') as { version: string }).version;
  const moved = (what: string): never => {
    throw new StreamError(
      'INTERNAL',
      `kafkajs ${version} no longer has ${what}, which eddy's exactly-once Kafka sink needs to commit a transaction after a restore. ` +
        'eddy is tested with kafkajs 2.2.4: install that version (npm install kafkajs@2.2.4).',
      { domain: 'internal' },
    );
  };
  const load = (path: string): unknown => {
    try {
      return require(path) as unknown;
    } catch {
      return moved(path);
    }
  };
  const createEosManager = load('kafkajs/src/producer/eosManager');
  const createMessageProducer = load('kafkajs/src/producer/messageProducer');
  const createRetry = load('kafkajs/src/retry');
  const coordinatorTypes = load('kafkajs/src/protocol/coordinatorTypes') as { TRANSACTION?: unknown };
  const batch = load('kafkajs/src/consumer/batch');
  if (typeof batch !== 'function') moved('src/consumer/batch as a class');
  if (typeof createEosManager !== 'function') moved('src/producer/eosManager as a function');
  if (typeof createMessageProducer !== 'function') moved('src/producer/messageProducer as a function');
  if (typeof createRetry !== 'function') moved('src/retry as a function');
  if (typeof coordinatorTypes.TRANSACTION !== 'number') moved('COORDINATOR_TYPES.TRANSACTION in src/protocol/coordinatorTypes');
  const privateSymbol = (kafka: Kafka, description: string): unknown => {
    const symbol = Object.getOwnPropertySymbols(kafka).find((s) => s.description === description);
    return symbol === undefined ? moved(`the private ${description} member of its Kafka client`) : (kafka as unknown as Record<symbol, unknown>)[symbol];
  };
  cached = {
    version,
    createCluster: (kafka, options = { maxInFlightRequests: 1 }) => {
      const create = privateSymbol(kafka, 'private:Kafka:createCluster');
      if (typeof create !== 'function') moved('private:Kafka:createCluster as a function');
      return (create as (options: object) => Cluster)(options);
    },
    Batch: batch as Internals['Batch'],
    createEosManager: createEosManager as Internals['createEosManager'],
    createMessageProducer: createMessageProducer as Internals['createMessageProducer'],
    createRetry: createRetry as Internals['createRetry'],
    transactionCoordinator: coordinatorTypes.TRANSACTION as number,
    loggerOf: (kafka) => privateSymbol(kafka, 'private:Kafka:logger') as { namespace(name: string): unknown },
  };
  return cached;
}

/** A transactional producer on `kafka` whose open transaction can be recorded and committed elsewhere. */
export async function createTransactionalProducer(kafka: Kafka, transactionalId: string, transactionTimeoutMs: number): Promise<TransactionalProducer> {
  const internals = kafkajsInternals();
  const cluster = internals.createCluster(kafka);
  const logger = internals.loggerOf(kafka).namespace('eddy.TransactionalProducer');
  const eos = internals.createEosManager({ logger, cluster, transactional: true, transactionalId, transactionTimeout: transactionTimeoutMs });
  const producer = internals.createMessageProducer({
    logger,
    cluster,
    partitioner: stablePartitioner(),
    eosManager: eos,
    idempotent: true,
    retrier: internals.createRetry({ retries: 5 }),
    getConnectionStatus: () => 'connected',
  });
  await cluster.connect();
  let initialized = false;
  return {
    transactionalId,
    async initialize() {
      await eos.initProducerId();
      initialized = true;
      return { producerId: eos.getProducerId(), producerEpoch: eos.getProducerEpoch() };
    },
    async begin() {
      if (!initialized) {
        await eos.initProducerId();
        initialized = true;
      }
      eos.beginTransaction();
    },
    async send(batches) {
      await producer.sendBatch({ acks: -1, topicMessages: [...batches] });
    },
    handle() {
      return { transactionalId, producerId: eos.getProducerId(), producerEpoch: eos.getProducerEpoch() };
    },
    commit: () => eos.commit(),
    abort: () => eos.abort(),
    close: () => cluster.disconnect(),
  };
}

/**
 * Commits a transaction a checkpoint recorded as pre-committed, from any process (its producer
 * may be gone): EndTxn(commit) at the transaction coordinator with the recorded ids. Committing
 * it again succeeds. Must run before anything initializes that transactional id, which would
 * abort the transaction instead.
 */
export async function commitRecordedTransaction(kafka: Kafka, handle: KafkaTransactionHandle): Promise<void> {
  await endRecordedTransaction(kafka, handle, true);
}

/**
 * Aborts a transaction by its recorded handle, from any process: EndTxn(abort) with the recorded
 * ids. Aborting it again succeeds.
 */
export async function abortRecordedTransaction(kafka: Kafka, handle: KafkaTransactionHandle): Promise<void> {
  await endRecordedTransaction(kafka, handle, false);
}

/**
 * Whether ending a transaction by its handle failed because the transactional id moved on: its
 * producer epoch is newer than the handle's (INVALID_PRODUCER_EPOCH, PRODUCER_FENCED), so the
 * transaction was ended before (committed, or aborted by an InitProducerId or by the broker
 * after its timeout), or the handle's transaction was never begun on the broker
 * (INVALID_TXN_STATE: nothing was sent in it, or it ended the other way).
 */
export function endedBefore(error: unknown): 'epoch' | 'state' | undefined {
  for (let e = error as { type?: unknown; code?: unknown; cause?: unknown } | null | undefined, depth = 0; e !== null && e !== undefined && depth < 4; e = e.cause as typeof e, depth++) {
    if (e.type === 'INVALID_PRODUCER_EPOCH' || e.type === 'PRODUCER_FENCED' || e.code === 47 || e.code === 90) return 'epoch';
    if (e.type === 'INVALID_TXN_STATE' || e.code === 48) return 'state';
  }
  return undefined;
}

async function endRecordedTransaction(kafka: Kafka, handle: KafkaTransactionHandle, commit: boolean): Promise<void> {
  const internals = kafkajsInternals();
  const cluster = internals.createCluster(kafka);
  await cluster.connect();
  try {
    const coordinator = await cluster.findGroupCoordinator({ groupId: handle.transactionalId, coordinatorType: internals.transactionCoordinator });
    const { transactionalId, producerId, producerEpoch } = handle;
    await coordinator.endTxn({ transactionalId, producerId, producerEpoch, transactionResult: commit });
  } finally {
    await cluster.disconnect();
  }
}
