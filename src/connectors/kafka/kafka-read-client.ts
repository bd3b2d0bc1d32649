// eddy's own small interface for reading Kafka partitions by hand, the way Flink's source does
// (assigned partitions and offsets that eddy keeps itself, no consumer-group membership): topic
// metadata, offsets at the start, the end or a time, fetches of several partitions at given
// offsets (read committed, decided by kafka-committed-records.ts), and the group's committed
// offsets. kafkajs consumers only join groups, so fetching goes through its cluster and Batch
// internals (see kafka-transactions.ts, where they are looked up and checked).

import type { Kafka } from 'kafkajs';
import type { KafkaBytes, KafkaRecord } from './kafka-record.js';
import { committedRecords, type AbortedTransaction, type FetchedLogRecord } from './kafka-committed-records.js';
import { kafkajsInternals } from './kafka-transactions.js';

export interface TopicPartition {
  readonly topic: string;
  readonly partition: number;
}

/** What one fetch brought of one partition. */
export interface FetchedPartition extends TopicPartition {
  /** Records from the requested offset on, committed ones only. */
  readonly records: KafkaRecord[];
  /** The offset to fetch next: past the records, and past control records and aborted ones. */
  readonly nextOffset: number;
}

/** Where a partition starts reading. */
export type OffsetSpec = 'earliest' | 'latest' | { readonly timestamp: number };

/** kafkajs's cluster, as far as reading needs it. */
interface ReadCluster {
  connect(): Promise<void>;
  disconnect(): Promise<void>;
  refreshMetadata(): Promise<void>;
  addMultipleTargetTopics(topics: string[]): Promise<void>;
  findTopicPartitionMetadata(topic: string): { partitionId: number; leader: number }[];
  findBroker(options: { nodeId: string }): Promise<{
    fetch(request: {
      isolationLevel: number;
      maxWaitTime: number;
      minBytes: number;
      maxBytes: number;
      topics: { topic: string; partitions: { partition: number; fetchOffset: string; maxBytes: number }[] }[];
    }): Promise<{ responses: { topicName: string; partitions: { partition: number; abortedTransactions?: AbortedTransaction[] }[] }[] }>;
  }>;
  findGroupCoordinator(options: { groupId: string }): Promise<{
    offsetCommit(request: {
      groupId: string;
      groupGenerationId: number;
      memberId: string;
      topics: { topic: string; partitions: { partition: number; offset: string }[] }[];
    }): Promise<unknown>;
  }>;
  fetchTopicsOffset(
    topics: { topic: string; partitions: { partition: number }[]; fromBeginning?: boolean; fromTimestamp?: number }[],
  ): Promise<{ topic: string; partitions: { partition: number; offset: string }[] }[]>;
}

interface FetchedMessage extends FetchedLogRecord {
  offset: string;
  timestamp: string;
  key: KafkaBytes | null;
  value: KafkaBytes | null;
  headers: Record<string, KafkaBytes | KafkaBytes[] | undefined>;
}

const READ_COMMITTED = 1;
/** Bytes a fetch may bring per partition (Kafka's consumer default, max.partition.fetch.bytes). */
const MAX_BYTES_PER_PARTITION = 1_048_576;

export const partitionKey = (topic: string, partition: number): string => `${topic}-${partition}`;

export class KafkaReadClient {
  private readonly cluster: ReadCluster;
  private readonly admin;

  constructor(kafka: Kafka) {
    this.cluster = kafkajsInternals().createCluster(kafka, { isolationLevel: READ_COMMITTED }) as unknown as ReadCluster;
    this.admin = kafka.admin();
  }

  async connect(): Promise<void> {
    await this.cluster.connect();
    await this.admin.connect();
  }

  async close(): Promise<void> {
    await Promise.allSettled([this.cluster.disconnect(), this.admin.disconnect()]);
  }

  /** The partitions of the topics that exist now (by name, or every topic matching a pattern). */
  async partitionsOf(topics: readonly string[] | RegExp): Promise<TopicPartition[]> {
    const all = await this.admin.listTopics();
    const names = topics instanceof RegExp ? all.filter((t) => !t.startsWith('__') && topics.test(t)) : topics.filter((t) => all.includes(t));
    if (names.length === 0) return [];
    await this.cluster.addMultipleTargetTopics(names);
    await this.cluster.refreshMetadata();
    return names.flatMap((topic) =>
      this.cluster
        .findTopicPartitionMetadata(topic)
        .map((p) => ({ topic, partition: p.partitionId }))
        .sort((a, b) => a.partition - b.partition),
    );
  }

  /** Each partition's offset at `spec` (latest: the last stable offset, past committed transactions only). */
  async offsetsAt(partitions: readonly TopicPartition[], spec: OffsetSpec): Promise<Map<string, number>> {
    const byTopic = groupByTopic(partitions);
    const request = [...byTopic].map(([topic, ps]) => ({
      topic,
      partitions: ps.map((partition) => ({ partition })),
      ...(spec === 'earliest' ? { fromBeginning: true } : spec === 'latest' ? { fromBeginning: false } : { fromTimestamp: spec.timestamp }),
    }));
    const offsets = new Map<string, number>();
    if (request.length === 0) return offsets;
    const result = await this.cluster.fetchTopicsOffset(request);
    for (const { topic, partitions: ps } of result) for (const p of ps) offsets.set(partitionKey(topic, p.partition), Number(p.offset));
    // A time after the last record: the partition's end.
    const past = typeof spec === 'object' ? partitions.filter((p) => (offsets.get(partitionKey(p.topic, p.partition)) ?? -1) < 0) : [];
    if (past.length > 0) for (const [key, offset] of await this.offsetsAt(past, 'latest')) offsets.set(key, offset);
    return offsets;
  }

  /** The offsets `groupId` committed for `partitions`; a partition without one is missing from the map. */
  async committedOffsets(groupId: string, partitions: readonly TopicPartition[]): Promise<Map<string, number>> {
    const topics = [...groupByTopic(partitions).keys()];
    const committed = new Map<string, number>();
    if (topics.length === 0) return committed;
    for (const { topic, partitions: ps } of await this.admin.fetchOffsets({ groupId, topics })) {
      for (const p of ps) if (Number(p.offset) >= 0) committed.set(partitionKey(topic, p.partition), Number(p.offset));
    }
    return committed;
  }

  /**
   * Commits `offsets` (the next offset to read, by partition) for `groupId` in one request to the
   * group's coordinator, as a member of no generation: the way a consumer that assigns its own
   * partitions commits (Flink's source does the same). kafkajs's admin.setOffsets would join the
   * group with a consumer first, which takes seconds and fails while a member is active.
   */
  async commitOffsets(groupId: string, offsets: readonly (TopicPartition & { readonly offset: number })[]): Promise<void> {
    const byTopic = new Map<string, { partition: number; offset: string }[]>();
    for (const o of offsets) byTopic.set(o.topic, [...(byTopic.get(o.topic) ?? []), { partition: o.partition, offset: String(o.offset) }]);
    if (byTopic.size === 0) return;
    const coordinator = await this.cluster.findGroupCoordinator({ groupId });
    await coordinator.offsetCommit({ groupId, groupGenerationId: -1, memberId: '', topics: [...byTopic].map(([topic, partitions]) => ({ topic, partitions })) });
  }

  /** Fetches the partitions from their leaders at the given offsets, waiting up to `maxWaitMs` for records. */
  async fetch(requests: readonly (TopicPartition & { readonly offset: number })[], maxWaitMs: number): Promise<FetchedPartition[]> {
    const byLeader = new Map<number, (TopicPartition & { readonly offset: number })[]>();
    for (const request of requests) {
      const leader = this.cluster.findTopicPartitionMetadata(request.topic).find((p) => p.partitionId === request.partition)?.leader;
      if (leader === undefined || leader < 0) {
        await this.cluster.refreshMetadata();
        throw Object.assign(new Error(`no leader known for ${request.topic} partition ${request.partition}`), { retriable: true });
      }
      byLeader.set(leader, [...(byLeader.get(leader) ?? []), request]);
    }
    const { Batch } = kafkajsInternals();
    const fetched = await Promise.all(
      [...byLeader].map(async ([leader, ofLeader]) => {
        const broker = await this.cluster.findBroker({ nodeId: String(leader) });
        const topics = [...groupByTopic(ofLeader)].map(([topic, ps]) => ({
          topic,
          partitions: ps.map((partition) => ({ partition, fetchOffset: String(ofLeader.find((r) => r.topic === topic && r.partition === partition)!.offset), maxBytes: MAX_BYTES_PER_PARTITION })),
        }));
        const { responses } = await broker.fetch({ isolationLevel: READ_COMMITTED, maxWaitTime: maxWaitMs, minBytes: 1, maxBytes: MAX_BYTES_PER_PARTITION * 8, topics });
        return responses.flatMap(({ topicName, partitions }) =>
          partitions.map((data) => {
            const requested = ofLeader.find((r) => r.topic === topicName && r.partition === data.partition)!;
            // kafkajs's Batch decodes and drops what lies before the offset asked for; eddy decides what is committed.
            const batch = new Batch(topicName, String(requested.offset), { ...data, abortedTransactions: [] });
            const within = batch.messagesWithinOffset as unknown as FetchedMessage[];
            const nextOffset = within.length === 0 ? requested.offset : Number(within[within.length - 1]!.offset) + 1;
            const records = committedRecords(within, data.abortedTransactions).map((m) => toRecord(topicName, data.partition, m));
            return { topic: topicName, partition: data.partition, records, nextOffset };
          }),
        );
      }),
    );
    return fetched.flat();
  }
}

function toRecord(topic: string, partition: number, m: FetchedMessage): KafkaRecord {
  return { topic, partition, offset: Number(m.offset), timestamp: Number(m.timestamp), key: m.key, value: m.value, headers: m.headers };
}

function groupByTopic(partitions: readonly TopicPartition[]): Map<string, number[]> {
  const byTopic = new Map<string, number[]>();
  for (const { topic, partition } of partitions) byTopic.set(topic, [...(byTopic.get(topic) ?? []), partition]);
  return byTopic;
}
