// The options of KafkaSource.create, checked before the job runs: every mistake gets a sentence
// saying what was wrong and what to write instead.

import { StreamError } from '../../core/errors.js';
import { OutputTag } from '../../core/output-tag.js';
import { checkBrokers, checkDuration, DEFAULT_BROKER_TIMEOUT_MS } from './kafka-connection.js';
import { checkDeserializer, type KafkaDeserializer, type KafkaRecord } from './kafka-record.js';

/**
 * Where the source starts reading a partition when the job does not restore from a checkpoint:
 * the first record, the end, the group's committed offset (the first record without one), the
 * first record at or after a time (epoch ms), or explicit offsets by `"<topic>-<partition>"`
 * (partitions not named start at the first record).
 */
export type KafkaStartingOffsets = 'earliest' | 'latest' | 'committed' | { readonly timestamp: number } | Readonly<Record<string, number>>;

/** What happens to a record the deserializer throws on. */
export type KafkaDeserializationErrorPolicy = 'fail' | 'skip' | { readonly deadLetter: OutputTag<KafkaRecord> };

export interface KafkaSourceOptions<T> {
  /** Bootstrap brokers, `"host:port"`. */
  readonly brokers: string[];
  /** Topics by name, or every topic matching a pattern (checked again at each partition discovery). */
  readonly topics: string[] | RegExp;
  /** The consumer group the source commits its offsets to when a checkpoint completes (for monitoring; the checkpoint holds the positions). */
  readonly groupId: string;
  /** Where to start when not restored (default `'earliest'`). */
  readonly startingOffsets?: KafkaStartingOffsets;
  /** Stop at the offsets that were the latest when the job started (backfills, tests); default false. */
  readonly bounded?: boolean;
  /** How a record becomes the stream's value (default `'json'` of the value). */
  readonly deserializer?: KafkaDeserializer<T>;
  /** Default `'fail'`. */
  readonly onDeserializationError?: KafkaDeserializationErrorPolicy;
  /** How often an unbounded source looks for new partitions and topics (default 30 s). */
  readonly partitionDiscoveryIntervalMs?: number;
  /** How long the source retries while no broker answers before the job fails (default 60 s). */
  readonly brokerTimeoutMs?: number;
  /** The Kafka client id (default `eddy-source-<groupId>`). */
  readonly clientId?: string;
}

/** The options with every default filled in. */
export interface ResolvedKafkaSourceOptions<T> {
  readonly brokers: readonly string[];
  readonly topics: readonly string[] | RegExp;
  readonly groupId: string;
  readonly startingOffsets: KafkaStartingOffsets;
  readonly bounded: boolean;
  readonly deserializer: KafkaDeserializer<T> | undefined;
  readonly onDeserializationError: KafkaDeserializationErrorPolicy;
  readonly partitionDiscoveryIntervalMs: number;
  readonly brokerTimeoutMs: number;
  readonly clientId: string;
}

const WHERE = 'KafkaSource.create';

function fail(message: string): never {
  throw new StreamError('INVALID_ARGUMENT', `${WHERE}: ${message}`);
}

function checkTopics(topics: unknown): string[] | RegExp {
  if (topics instanceof RegExp) return topics;
  if (!Array.isArray(topics) || topics.length === 0) fail("topics must be a non-empty list of topic names, e.g. topics: ['readings'], or a RegExp, e.g. /^readings-.*/.");
  for (const topic of topics) if (typeof topic !== 'string' || topic === '') fail(`topic ${JSON.stringify(topic)} is not a topic name (a non-empty string).`);
  return [...(topics as string[])];
}

function checkStartingOffsets(offsets: unknown): KafkaStartingOffsets {
  if (offsets === undefined) return 'earliest';
  if (offsets === 'earliest' || offsets === 'latest' || offsets === 'committed') return offsets;
  if (typeof offsets === 'object' && offsets !== null && !Array.isArray(offsets)) {
    const entries = Object.entries(offsets);
    if ('timestamp' in offsets && entries.length === 1) {
      const { timestamp } = offsets as { timestamp: unknown };
      if (typeof timestamp !== 'number' || !Number.isFinite(timestamp) || timestamp < 0) fail(`startingOffsets { timestamp: ${JSON.stringify(timestamp)} } needs epoch milliseconds, e.g. { timestamp: Date.parse('2026-01-01') }.`);
      return { timestamp };
    }
    for (const [key, offset] of entries) {
      if (!/^.+-\d+$/.test(key)) fail(`startingOffsets key ${JSON.stringify(key)} is not "<topic>-<partition>", e.g. { 'readings-0': 42 }.`);
      if (typeof offset !== 'number' || !Number.isSafeInteger(offset) || offset < 0) fail(`startingOffsets['${key}'] must be an offset (a whole number of 0 or more), not ${JSON.stringify(offset)}.`);
    }
    return offsets as Record<string, number>;
  }
  return fail(`startingOffsets ${JSON.stringify(offsets)} is not 'earliest', 'latest', 'committed', { timestamp: ms } or offsets by "<topic>-<partition>".`);
}

function checkPolicy(policy: unknown): KafkaDeserializationErrorPolicy {
  if (policy === undefined) return 'fail';
  if (policy === 'fail' || policy === 'skip') return policy;
  if (typeof policy === 'object' && policy !== null && (policy as { deadLetter?: unknown }).deadLetter instanceof OutputTag) return policy as { deadLetter: OutputTag<KafkaRecord> };
  return fail(`onDeserializationError must be 'fail', 'skip' or { deadLetter: new OutputTag<KafkaRecord>('bad-records') }, not ${JSON.stringify(policy)}.`);
}

/** Checks every option and fills in the defaults. */
export function resolveKafkaSourceOptions<T>(options: KafkaSourceOptions<T>): ResolvedKafkaSourceOptions<T> {
  if (typeof options !== 'object' || options === null) fail("expects an options object, e.g. KafkaSource.create({ brokers: ['127.0.0.1:9092'], topics: ['readings'], groupId: 'sensor-job' }).");
  const brokers = checkBrokers(options.brokers, WHERE);
  const topics = checkTopics(options.topics);
  if (typeof options.groupId !== 'string' || options.groupId === '') fail("groupId must be a non-empty string, e.g. groupId: 'sensor-job'.");
  if (options.bounded !== undefined && typeof options.bounded !== 'boolean') fail(`bounded must be true or false, not ${JSON.stringify(options.bounded)}.`);
  checkDeserializer(options.deserializer, WHERE);
  if (options.clientId !== undefined && (typeof options.clientId !== 'string' || options.clientId === '')) fail('clientId must be a non-empty string.');
  return {
    brokers,
    topics,
    groupId: options.groupId,
    startingOffsets: checkStartingOffsets(options.startingOffsets),
    bounded: options.bounded ?? false,
    deserializer: options.deserializer,
    onDeserializationError: checkPolicy(options.onDeserializationError),
    partitionDiscoveryIntervalMs: checkDuration(options.partitionDiscoveryIntervalMs, 'partitionDiscoveryIntervalMs', WHERE) ?? 30_000,
    brokerTimeoutMs: checkDuration(options.brokerTimeoutMs, 'brokerTimeoutMs', WHERE) ?? DEFAULT_BROKER_TIMEOUT_MS,
    clientId: options.clientId ?? `eddy-source-${options.groupId}`,
  };
}
