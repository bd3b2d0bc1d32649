// KafkaSink without transactions, for the 'none' and 'at-least-once' guarantees: one kafkajs
// producer per subtask sends the records in batches without the writer waiting for each; at
// least once, every checkpoint (and the end of the input) waits until all sent is acknowledged.

import type { Committer, Sink, SinkInitContext, SinkWriter } from '../../core/sink.js';
import { kafkaClients, type PlainProducer } from './kafka-clients.js';
import { retryWhileUnavailable } from './kafka-connection.js';
import { stablePartitioner } from './kafka-partitioner.js';
import { RecordBatcher } from './kafka-record-batcher.js';
import { describeSink, recordEncoder, type EncodedRecord, type KafkaSinkTransaction, type ResolvedSinkOptions } from './kafka-sink-options.js';

/**
 * The sink of {@link KafkaSink.create} for `'none'` and `'at-least-once'`. Its committables are
 * always empty: at least once, the checkpoint's pre-commit is the wait for the acknowledgements.
 */
export class PlainKafkaSink<T> implements Sink<T, KafkaSinkTransaction> {
  constructor(private readonly options: ResolvedSinkOptions<T>) {}

  /** Connects a producer for the subtask (retrying while no broker answers, up to `brokerTimeoutMs`). */
  async createWriter(_ctx: SinkInitContext): Promise<SinkWriter<T, KafkaSinkTransaction>> {
    const { options } = this;
    // At least once the producer is idempotent: kafkajs resends a whole request when one of its
    // partitions fails (a new topic's partition not ready yet), which would write the records of
    // the other partitions twice without a failure; the broker drops such resends by sequence
    // (the partitioner keeps each record in its partition for that).
    // Its retries stay bounded (kafkajs would retry forever) so that brokerTimeoutMs still holds:
    // eddy's own retry resends the batch with the same sequence numbers. 'none' sends acks 1,
    // which an idempotent producer cannot.
    const idempotent = options.deliveryGuarantee === 'at-least-once';
    const producer = kafkaClients().plainProducer(options.brokers, options.clientId, {
      createPartitioner: stablePartitioner,
      allowAutoTopicCreation: true,
      idempotent,
      maxInFlightRequests: 1,
      ...(idempotent ? { retry: { retries: 5, initialRetryTime: 100, maxRetryTime: 1_000 } } : {}),
    });
    const what = describeSink(options);
    await retryWhileUnavailable(() => producer.connect(), `${what}: connecting`, options.brokers, options.brokerTimeoutMs);
    const Writer = options.deliveryGuarantee === 'none' ? PlainKafkaWriter : AtLeastOnceKafkaWriter;
    return new Writer(producer, options, what);
  }

  /** Nothing to commit: the pre-commit waited for the acknowledgements. */
  createCommitter(_ctx: SinkInitContext): Committer<KafkaSinkTransaction> {
    return { commit: () => undefined };
  }
}

/** The writer of one subtask: encodes each record, batches, sends; `'none'` waits only at the end. */
class PlainKafkaWriter<T> implements SinkWriter<T, KafkaSinkTransaction> {
  protected readonly batcher: RecordBatcher;
  private readonly encode: (value: T) => EncodedRecord;
  private closing = false;

  constructor(
    private readonly producer: PlainProducer,
    options: ResolvedSinkOptions<T>,
    what: string,
  ) {
    this.encode = recordEncoder(options);
    const acks = options.deliveryGuarantee === 'none' ? 1 : -1;
    this.batcher = new RecordBatcher((topicMessages) =>
      retryWhileUnavailable(
        () => producer.sendBatch({ acks, topicMessages }).then(() => undefined),
        `${what}: sending`,
        options.brokers,
        options.brokerTimeoutMs,
        () => this.closing,
      ),
    );
  }

  /** Buffers the record; a full buffer whose previous batch is still in flight holds back the next record. */
  write(value: T): void | Promise<void> {
    const { topic, message, size } = this.encode(value);
    return this.batcher.add(topic, message, size);
  }

  /** Hands the buffer on, without waiting; a failed send fails the next call. */
  flushBuffers(): void {
    this.batcher.handOn();
  }

  /** At the end of the input: waits until every record is acknowledged. */
  async flush(): Promise<void> {
    await this.batcher.drain();
  }

  /** Stops retrying, waits for the send in flight and disconnects; what is still buffered is dropped. */
  async close(): Promise<void> {
    this.closing = true;
    await this.batcher.settle();
    await this.producer.disconnect().catch(() => undefined);
  }
}

/** At least once: every checkpoint waits until all sent before its barrier is acknowledged. */
class AtLeastOnceKafkaWriter<T> extends PlainKafkaWriter<T> {
  async prepareCommit(): Promise<KafkaSinkTransaction[]> {
    await this.batcher.drain();
    return [];
  }
}
