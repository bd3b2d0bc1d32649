// KafkaSink: eddy's sink into Kafka topics (Flink's KafkaSink). `KafkaSink.create(options)` checks
// the options and returns the sink of the chosen delivery guarantee: a batching producer ('none',
// 'at-least-once') or one Kafka transaction per subtask per checkpoint ('exactly-once').

import type { Sink } from '../../core/sink.js';
import { ExactlyOnceKafkaSink } from './kafka-exactly-once-sink.js';
import { PlainKafkaSink } from './kafka-plain-sink.js';
import { resolveSinkOptions, type KafkaSinkOptions, type KafkaSinkTransaction } from './kafka-sink-options.js';

export { COMMIT_UNCERTAIN_WARNING } from './kafka-exactly-once-sink.js';
export type { DeliveryGuarantee, KafkaSinkOptions, KafkaSinkTransaction } from './kafka-sink-options.js';

/**
 * Writes a stream into Kafka: `stream.sinkTo(KafkaSink.create({ brokers, topic }))`.
 *
 * ```ts
 * env.enableCheckpointing(5_000, { dir: './checkpoints' });
 * orders.sinkTo(
 *   KafkaSink.create<Order>({
 *     brokers: ['127.0.0.1:9092'],
 *     topic: 'orders-out',
 *     key: (o) => o.customer,
 *     deliveryGuarantee: 'exactly-once',
 *     transactionalIdPrefix: 'orders-job',
 *   }),
 * );
 * ```
 *
 * Each subtask sends its records in batches: a batch is handed to Kafka whenever the subtask has
 * drained its input for now (or at 2000 records or 512 KiB), one batch in flight at a time, so
 * records of one subtask keep their order per partition. A failed send fails the job at the
 * writer's next call; while no broker answers, connecting and sending are retried with backoff
 * for up to `brokerTimeoutMs` (then BROKER_UNAVAILABLE).
 *
 * The guarantees ({@link DeliveryGuarantee}):
 *
 * - `'none'`: `acks: 1`; nothing waits at checkpoints; the end of the input waits for every
 *   acknowledgement.
 * - `'at-least-once'` (default): `acks: -1`; each checkpoint's barrier waits until everything sent
 *   before it is acknowledged, and so does the end of the input. After a restore, records since
 *   the checkpoint are written again.
 * - `'exactly-once'`: one Kafka transaction per subtask per checkpoint, under the transactional
 *   ids `<transactionalIdPrefix>-<subtask>-<slot>`; visible to `read_committed` consumers once the
 *   checkpoint completes. Needs `env.enableCheckpointing(ms)` and a `transactionTimeoutMs` above
 *   the checkpoint interval + restart delay + 10 s: the job is refused before it runs otherwise.
 *   Consumers that read uncommitted see aborted records too.
 *
 * Records get Kafka's default timestamp (the time they are sent), not their event time.
 *
 * **Exactly once, in detail.** A subtask's transaction takes the smallest slot (transactional
 * id) that holds neither the open transaction nor a pre-committed one waiting for its commit, so
 * a subtask uses slots 0 and 1 (2 when a checkpoint completes late). At a checkpoint's barrier
 * the sink sends what it buffered, waits for the acknowledgements and stores the transaction's
 * ids ({@link KafkaSinkTransaction}) in the checkpoint; when the checkpoint completes it commits
 * through the producer that opened it. A restored job commits the transactions its checkpoint
 * stored by their ids (EndTxn at the transaction coordinator) before its writers start; then
 * each writer initializes its subtask's slots 0, 1, 2 ... until one never used, and those of
 * subtasks that a lower parallelism removed, which aborts what a crashed run left open. A
 * slot's producer takes a new epoch before it reuses the slot after a transaction that reached
 * the broker, so a stored handle can only ever commit its own transaction: committing it again
 * is refused as fenced, which within the transaction timeout means it was committed. Later
 * than that the broker may also have aborted it for its timeout; Kafka cannot tell which, and
 * the sink prints a process warning (code `EDDY_KAFKA_COMMIT_UNCERTAIN`) and goes on. Give every
 * job its own `transactionalIdPrefix`: two writers under one id fence each other.
 */
export class KafkaSink {
  private constructor() {}

  /**
   * A sink into Kafka with `options` (see {@link KafkaSinkOptions}): the topic (or a function
   * naming each record's), the key, the serializer (default JSON, strings included: `'abc'` is
   * written as `"abc"`), headers and the delivery guarantee (default `'at-least-once'`).
   *
   * @throws StreamError INVALID_ARGUMENT when an option is missing or wrong: no brokers, no topic,
   * a topic neither a string nor a function, an unknown guarantee, exactly-once without a
   * `transactionalIdPrefix`, a key, serializer or headers that is not a function, a duration
   * that is not a positive number.
   */
  static create<T>(options: KafkaSinkOptions<T>): Sink<T, KafkaSinkTransaction> {
    const resolved = resolveSinkOptions(options);
    return resolved.deliveryGuarantee === 'exactly-once' ? new ExactlyOnceKafkaSink(resolved) : new PlainKafkaSink(resolved);
  }
}
