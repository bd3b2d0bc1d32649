// The KafkaSink's buffer of outgoing records: collects messages per topic and hands them to a send
// function in batches, one send at a time and in order, without the writer waiting for each; a
// failed send is kept and thrown by the next call, and `drain` waits until all is acknowledged.

import type { Message } from 'kafkajs';
import type { TopicMessages } from './kafka-transactions.js';

/** Records in a batch before it is handed on without waiting for the subtask to drain its input. */
export const MAX_BATCH_RECORDS = 2_000;

/** Bytes (about) in a batch before it is handed on: well under the broker's 1 MB message.max.bytes. */
export const MAX_BATCH_BYTES = 512 * 1024;

/**
 * One writer's outgoing records. `add` buffers; a full buffer, `handOn` and `drain` start a send
 * when none is running, and a send that ends starts the next with what was buffered meanwhile,
 * so at most one batch is in flight and one fills. Sends never overlap, so records keep their
 * order. The first failed send fails every later call.
 */
export class RecordBatcher {
  private buffer = new Map<string, Message[]>();
  private records = 0;
  private bytes = 0;
  /** The send in flight; it never rejects (its failure goes to `failure`). */
  private sending: Promise<void> | null = null;
  private failure: { error: unknown } | null = null;
  /** Records whose send was acknowledged. */
  acknowledged = 0;

  constructor(private readonly send: (batch: TopicMessages[]) => Promise<void>) {}

  /**
   * Buffers one message. When the buffer is full and the send before it still runs, returns a
   * promise that settles once that send ended (and the full buffer's send began): backpressure.
   */
  add(topic: string, message: Message, size: number): void | Promise<void> {
    this.throwIfFailed();
    let messages = this.buffer.get(topic);
    if (messages === undefined) this.buffer.set(topic, (messages = []));
    messages.push(message);
    this.records++;
    this.bytes += size;
    if (this.records < MAX_BATCH_RECORDS && this.bytes < MAX_BATCH_BYTES) return;
    if (this.sending === null) {
      this.start();
      return;
    }
    return this.sending.then(() => this.throwIfFailed());
  }

  /** Starts sending what is buffered, unless a send runs (it sends the buffer when it ends). */
  handOn(): void {
    this.throwIfFailed();
    if (this.sending === null && this.records > 0) this.start();
  }

  /** Sends everything buffered and resolves once all of it is acknowledged; rejects with the first failure. */
  async drain(): Promise<void> {
    for (;;) {
      this.throwIfFailed();
      if (this.sending !== null) await this.sending;
      else if (this.records > 0) this.start();
      else return;
    }
  }

  /** Resolves once no send runs, whatever became of it; what is still buffered is dropped. */
  async settle(): Promise<void> {
    this.buffer = new Map();
    this.records = 0;
    while (this.sending !== null) await this.sending;
  }

  throwIfFailed(): void {
    if (this.failure !== null) throw this.failure.error;
  }

  private start(): void {
    const batch = [...this.buffer].map(([topic, messages]) => ({ topic, messages }));
    const count = this.records;
    this.buffer = new Map();
    this.records = 0;
    this.bytes = 0;
    const run: Promise<void> = Promise.resolve()
      .then(() => this.send(batch))
      .then(
        () => {
          this.acknowledged += count;
        },
        (error: unknown) => {
          this.failure ??= { error };
        },
      )
      .then(() => {
        this.sending = null;
        if (this.failure === null && this.records > 0) this.start();
      });
    this.sending = run;
  }
}
