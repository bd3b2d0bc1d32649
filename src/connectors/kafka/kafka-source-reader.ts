// One subtask's reader of a KafkaSource: it owns the partitions the assignment rule gives it,
// fetches them in the background (a few fetches ahead of what the job has taken, no more: that is
// its backpressure), hands their records out per partition so that watermarks are per partition,
// keeps each partition's next offset for checkpoints, finds new partitions at an interval, and
// commits the offsets of a completed checkpoint to the consumer group.

import { StreamError } from '../../core/errors.js';
import { logger } from '../../core/log.js';
import { pollDeadline, pollSpent, type InputStatus, type ReaderOutput, type SourceReader, type SourceReaderContext } from '../../core/source.js';
import { kafkaClients, type ReadClient } from './kafka-clients.js';
import { retryWhileUnavailable } from './kafka-connection.js';
import { partitionOwner } from './kafka-partition-assignment.js';
import { partitionKey, type FetchedPartition, type OffsetSpec, type TopicPartition } from './kafka-read-client.js';
import { createDeserializer, deserializationError, type KafkaRecord } from './kafka-record.js';
import type { ResolvedKafkaSourceOptions } from './kafka-source-options.js';

/** A partition's position as checkpoints store it. */
export interface KafkaPartitionSplit {
  readonly topic: string;
  readonly partition: number;
  /** The offset of the next record not emitted yet. */
  readonly offset: number;
  /** For a bounded source: the offset it stops before. */
  readonly stopAt: number | undefined;
}

/** A partition this reader owns. */
interface PartitionState {
  readonly topic: string;
  readonly partition: number;
  readonly key: string;
  /** Next offset to emit. */
  offset: number;
  /** Next offset to fetch: past what is queued. */
  fetchOffset: number;
  readonly stopAt: number | undefined;
  /** Fetched records not emitted yet, oldest first, and the offset after each fetch. */
  readonly queue: FetchedPartition[];
  /** Index of the next record in `queue[0]`. */
  next: number;
  queued: number;
  output: ReaderOutput<unknown> | undefined;
}

/** Records handed out per poll, so the actor flushes and takes barriers between polls. */
const PER_POLL = 500;
/** A partition is fetched again when fewer of its records than this wait to be emitted. */
const QUEUE_LOW = 2_000;
/** How long a fetch waits at the broker for new records. */
const FETCH_WAIT_MS = 100;
/** Skipped records warned about, per reader; the rest are only counted. */
const SKIPS_LOGGED = 5;

export class KafkaSourceReader<T> implements SourceReader<T, KafkaPartitionSplit> {
  recordsSkipped = 0;
  private readonly client: ReadClient;
  private readonly deserialize: (record: KafkaRecord) => T;
  private readonly owned = new Map<string, PartitionState>();
  /** Every partition known to exist, whichever reader owns it; a partition not known is new. */
  private readonly known = new Set<string>();
  private ready = false;
  /** Set when partitions were assigned that have no output yet. */
  private unopened = false;
  private closed = false;
  private failure: { error: unknown } | undefined;
  private signal: (() => void) | undefined;
  private fetcherWake: (() => void) | undefined;
  private readonly loop: Promise<void>;
  /** The offsets each checkpoint recorded, until it completes (then they go to the group). */
  private readonly recorded = new Map<number, KafkaPartitionSplit[]>();
  /** The newest completed checkpoint's offsets not sent to the group yet (older ones are superseded). */
  private toCommit: KafkaPartitionSplit[] | undefined;
  /** The commit in flight, if any; it sends `toCommit` again when that changed meanwhile. */
  private committing: Promise<void> | undefined;

  constructor(
    private readonly options: ResolvedKafkaSourceOptions<T>,
    private readonly ctx: SourceReaderContext<KafkaPartitionSplit>,
  ) {
    this.client = kafkaClients().readClient(options.brokers, `${options.clientId}-${ctx.subtask}`);
    this.deserialize = createDeserializer(options.deserializer);
    this.loop = this.run().catch((error: unknown) => {
      this.failure = { error };
      this.notify();
    });
  }

  pollNext(output: ReaderOutput<T>): InputStatus {
    if (this.failure !== undefined) throw this.failure.error;
    if (!this.ready) return 'nothing-available';
    // A partition holds the watermark back from when it is assigned, not from its first record.
    if (this.unopened) {
      this.unopened = false;
      for (const state of this.owned.values()) state.output ??= (output as ReaderOutput<unknown>).createOutputForSplit(state.key);
      // No partition here: say so, so that this subtask is idle instead of holding event time back.
      if (this.owned.size === 0) output.releaseOutputForSplit('');
    }
    let emitted = 0;
    let more = false;
    const deadline = pollDeadline();
    for (const state of this.owned.values()) {
      if (emitted >= PER_POLL || performance.now() > deadline) {
        more = true;
        break;
      }
      emitted += this.emitFrom(state, output as ReaderOutput<unknown>, PER_POLL - emitted, deadline);
      if (state.queued > 0) more = true;
      if (state.queued < QUEUE_LOW) this.fetcherWake?.();
    }
    if (this.options.bounded && [...this.owned.values()].every((s) => this.finished(s))) {
      for (const state of this.owned.values()) if (state.output !== undefined) output.releaseOutputForSplit(state.key);
      return 'end-of-input';
    }
    return more ? 'more-available' : 'nothing-available';
  }

  isAvailable(): Promise<void> {
    if (this.failure !== undefined || (this.ready && [...this.owned.values()].some((s) => s.queued > 0 || this.finished(s)))) return Promise.resolve();
    return new Promise((resolve) => {
      const previous = this.signal;
      this.signal = () => {
        previous?.();
        resolve();
      };
    });
  }

  snapshotState(checkpointId: number): KafkaPartitionSplit[] {
    const splits = [...this.owned.values()].map((s) => ({ topic: s.topic, partition: s.partition, offset: s.offset, stopAt: s.stopAt }));
    this.recorded.set(checkpointId, splits);
    return splits;
  }

  /** Commits the checkpoint's offsets to the group in the background: they are for monitoring, a failure only delays them. */
  notifyCheckpointComplete(checkpointId: number): void {
    const splits = this.recorded.get(checkpointId);
    for (const id of this.recorded.keys()) if (id <= checkpointId) this.recorded.delete(id);
    if (splits === undefined || splits.length === 0) return;
    this.toCommit = splits;
    this.committing ??= this.commitNewest().finally(() => (this.committing = undefined));
  }

  async close(): Promise<void> {
    this.closed = true;
    this.fetcherWake?.();
    await this.loop;
    await this.committing;
    await this.client.close();
  }

  /** Sends the newest offsets until none are waiting; a failed commit is dropped (the next checkpoint's replaces it). */
  private async commitNewest(): Promise<void> {
    for (let splits = this.toCommit; splits !== undefined; splits = this.toCommit) {
      this.toCommit = undefined;
      await this.client.commitOffsets(this.options.groupId, splits).catch(() => undefined);
    }
  }

  private finished(state: PartitionState): boolean {
    return state.stopAt !== undefined && state.offset >= state.stopAt;
  }

  /** Emits up to `limit` queued records of `state`, stopping early past `deadline`; returns how many it emitted (or skipped). */
  private emitFrom(state: PartitionState, output: ReaderOutput<unknown>, limit: number, deadline: number): number {
    let count = 0;
    while (count < limit && state.queue.length > 0) {
      const chunk = state.queue[0]!;
      const records = chunk.records;
      while (count < limit && state.next < records.length) {
        const record = records[state.next++]!;
        state.queued--;
        if (pollSpent(++count, deadline)) limit = count;
        if (state.stopAt !== undefined && record.offset >= state.stopAt) continue;
        this.emitRecord(record, state.output!, output);
        state.offset = record.offset + 1;
      }
      if (state.next < records.length) break;
      // Past control records and aborted transactions' records too.
      state.offset = Math.max(state.offset, state.stopAt === undefined ? chunk.nextOffset : Math.min(chunk.nextOffset, state.stopAt));
      state.queue.shift();
      state.next = 0;
    }
    return count;
  }

  private emitRecord(record: KafkaRecord, split: ReaderOutput<unknown>, output: ReaderOutput<unknown>): void {
    let value: T;
    try {
      value = this.deserialize(record);
    } catch (cause) {
      const policy = this.options.onDeserializationError;
      const error = deserializationError(record, typeof this.options.deserializer === 'string' ? this.options.deserializer : typeof this.options.deserializer === 'function' ? 'the deserializer function' : 'json', cause, policy === 'fail');
      if (policy === 'fail') throw error;
      if (policy === 'skip') {
        if (++this.recordsSkipped <= SKIPS_LOGGED) {
          const fields = { code: 'EDDY_RECORD_SKIPPED', subtask: this.ctx.subtask, topic: record.topic, partition: record.partition, offset: record.offset };
          logger().warn(fields, `${error.message} Skipped (onDeserializationError: 'skip').${this.recordsSkipped === SKIPS_LOGGED ? ' Further skipped records are only counted.' : ''}`);
        }
        return;
      }
      output.collectSide(policy.deadLetter.id, { ...record, error: error.message }, record.timestamp);
      return;
    }
    split.collect(value, record.timestamp);
  }

  private notify(): void {
    const signal = this.signal;
    this.signal = undefined;
    signal?.();
  }

  private retry<R>(call: () => Promise<R>, what: string): Promise<R> {
    return retryWhileUnavailable(call, what, this.options.brokers, this.options.brokerTimeoutMs, () => this.closed);
  }

  /** Connects, takes the initial partitions, then fetches until closed (or the bounded end). */
  private async run(): Promise<void> {
    await this.retry(() => this.client.connect(), 'source: connecting');
    await this.retry(() => this.assign(true), 'source: reading the topics\' partitions');
    this.unopened = true;
    this.ready = true;
    this.notify();
    let nextDiscovery = Date.now() + this.options.partitionDiscoveryIntervalMs;
    while (!this.closed) {
      const wanted = [...this.owned.values()].filter((s) => s.queued < QUEUE_LOW && (s.stopAt === undefined || s.fetchOffset < s.stopAt));
      if (wanted.length === 0) {
        if (this.options.bounded && [...this.owned.values()].every((s) => this.finished(s))) {
          this.notify();
          return;
        }
        await this.sleep(this.options.bounded ? 1_000 : Math.max(1, nextDiscovery - Date.now()));
      } else {
        const fetched = await this.retry(() => this.client.fetch(wanted.map((s) => ({ topic: s.topic, partition: s.partition, offset: s.fetchOffset })), FETCH_WAIT_MS), 'source: fetching');
        for (const result of fetched) this.enqueue(result);
      }
      if (!this.options.bounded && Date.now() >= nextDiscovery && !this.closed) {
        await this.retry(() => this.assign(false), 'source: discovering partitions');
        nextDiscovery = Date.now() + this.options.partitionDiscoveryIntervalMs;
      }
    }
  }

  private enqueue(result: FetchedPartition): void {
    const state = this.owned.get(partitionKey(result.topic, result.partition));
    if (state === undefined || result.nextOffset <= state.fetchOffset) return;
    state.fetchOffset = result.nextOffset;
    state.queue.push(result);
    state.queued += result.records.length;
    this.notify();
  }

  /** Waits `ms`, or until a poll drained a queue (or close). */
  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(done, ms);
      function done(): void {
        clearTimeout(timer);
        resolve();
      }
      this.fetcherWake = () => {
        this.fetcherWake = undefined;
        done();
      };
    });
  }

  /**
   * Takes the partitions this reader owns that it does not read yet: at the start those of the
   * checkpoint restored from (at their offsets) and the rest at the starting offsets; later, new
   * partitions from their first record.
   */
  private async assign(initial: boolean): Promise<void> {
    const { subtask, parallelism } = this.ctx;
    const restored = initial ? this.ctx.allRestoredSplits : undefined;
    const adopted: PartitionState[] = [];
    // Nothing is marked known until every call below succeeded: the whole assignment is retried
    // when one fails (a broker going away), and a retry must find the same partitions new.
    const known = new Set(this.known);
    for (const split of restored ?? []) {
      known.add(partitionKey(split.topic, split.partition));
      if (partitionOwner(split.topic, split.partition, parallelism) === subtask) adopted.push(this.state(split, split.offset, split.stopAt));
    }
    const fresh = (await this.client.partitionsOf(this.options.topics)).filter((p) => {
      const key = partitionKey(p.topic, p.partition);
      const isNew = !known.has(key);
      known.add(key);
      return isNew && partitionOwner(p.topic, p.partition, parallelism) === subtask;
    });
    // A job restored from a checkpoint, and any partition found later, reads new partitions whole.
    const startAt = initial && this.ctx.allRestoredSplits === undefined ? await this.startingOffsets(fresh) : await this.client.offsetsAt(fresh, 'earliest');
    const stops = this.options.bounded && fresh.length > 0 ? await this.client.offsetsAt(fresh, 'latest') : undefined;
    for (const p of fresh) {
      const key = partitionKey(p.topic, p.partition);
      adopted.push(this.state(p, startAt.get(key) ?? 0, stops?.get(key)));
    }
    for (const key of known) this.known.add(key);
    for (const state of adopted) this.owned.set(state.key, state);
    if (adopted.length > 0) this.unopened = true;
    if (initial && this.options.topics instanceof Array && this.known.size === 0) {
      throw new StreamError(
        'INVALID_ARGUMENT',
        `KafkaSource: none of the topics ${this.options.topics.map((t) => `"${t}"`).join(', ')} exists on ${this.options.brokers.join(', ')}. Create them first (kafka-topics.sh --create, or admin.createTopics), or check the names.`,
      );
    }
  }

  private state(p: TopicPartition, offset: number, stopAt: number | undefined): PartitionState {
    return { topic: p.topic, partition: p.partition, key: partitionKey(p.topic, p.partition), offset, fetchOffset: offset, stopAt, queue: [], next: 0, queued: 0, output: undefined };
  }

  private async startingOffsets(partitions: readonly TopicPartition[]): Promise<Map<string, number>> {
    const spec = this.options.startingOffsets;
    if (spec === 'earliest' || spec === 'latest') return this.client.offsetsAt(partitions, spec);
    if (typeof spec === 'object' && 'timestamp' in spec && typeof spec.timestamp === 'number') return this.client.offsetsAt(partitions, spec as OffsetSpec);
    const earliest = await this.client.offsetsAt(partitions, 'earliest');
    const chosen = spec === 'committed' ? await this.client.committedOffsets(this.options.groupId, partitions) : new Map(Object.entries(spec as Record<string, number>));
    for (const [key, offset] of chosen) if (earliest.has(key)) earliest.set(key, offset);
    return earliest;
  }
}
