// The options of KafkaSink: their types and defaults, the checks `KafkaSink.create` makes of them,
// the job checks of an exactly-once sink (checkpointing on, a transaction timeout that outlasts a
// checkpoint interval and a restart), and the turning of a record into a Kafka message.

import type { IHeaders, Message } from 'kafkajs';
import { StreamError } from '../../core/errors.js';
import type { JobSettings } from '../../core/job-plan.js';
import { checkBrokers, checkDuration, DEFAULT_BROKER_TIMEOUT_MS } from './kafka-connection.js';

/**
 * What a {@link KafkaSink} promises about each record, once the job ends or the record's
 * checkpoint completes:
 *
 * - `'none'`: sent with `acks: 1` (the partition leader has it), without waiting at checkpoints:
 *   records not yet acknowledged when the job fails may be lost, and replayed ones are written
 *   again.
 * - `'at-least-once'` (the default): sent with `acks: -1` (every in-sync replica has it); each
 *   checkpoint waits until every record sent before its barrier is acknowledged, so none is lost;
 *   records replayed after a restore are written again (duplicates).
 * - `'exactly-once'`: written in Kafka transactions, one per subtask per checkpoint, committed
 *   when the checkpoint completes: a consumer with `isolation.level=read_committed` sees each
 *   record once, one checkpoint interval late. Needs checkpointing and a `transactionalIdPrefix`.
 */
export type DeliveryGuarantee = 'none' | 'at-least-once' | 'exactly-once';

/** The guarantees, in the order an error lists them. */
const GUARANTEES: readonly DeliveryGuarantee[] = ['none', 'at-least-once', 'exactly-once'];

/** How long an exactly-once sink's transactions may stay open unless set (ms): Kafka's producer default. */
export const DEFAULT_TRANSACTION_TIMEOUT_MS = 60_000;

/** The time the transaction timeout must leave a job to restart in, on top of the restart delay (ms). */
export const RESTART_ALLOWANCE_MS = 10_000;

/** The options of {@link KafkaSink.create}. */
export interface KafkaSinkOptions<T> {
  /** Bootstrap brokers, `host:port`, e.g. `['127.0.0.1:9092']`. */
  brokers: string[];
  /**
   * The topic every record goes to, or a function that names the topic of each record (called
   * once per record). Topics that do not exist are created by the broker when it allows it
   * (`auto.create.topics.enable`, on by default), with its default partitions.
   */
  topic: string | ((value: T) => string);
  /**
   * The record's Kafka key. Records with the same key go to the same partition (kafkajs's
   * default partitioner, murmur2 like Java's), so their order is kept; without a key, records are
   * spread over the partitions.
   */
  key?: (value: T) => string | Uint8Array;
  /**
   * The record's Kafka value. Default: `JSON.stringify(value)`, for every record, strings
   * included (a string `abc` is written as `"abc"`, with the quotes), so that a JSON reader gets
   * back what was written. Pass `(s) => s` to write strings as they are.
   */
  serializer?: (value: T) => string | Uint8Array;
  /** Headers of the record's Kafka message. */
  headers?: (value: T) => Record<string, string | Uint8Array>;
  /** What the sink promises (default `'at-least-once'`); see {@link DeliveryGuarantee}. */
  deliveryGuarantee?: DeliveryGuarantee;
  /**
   * For `'exactly-once'` (required there): the start of the sink's Kafka transactional ids,
   * `<prefix>-<subtask>-<slot>`. Give every job and every exactly-once sink of a job a prefix of
   * its own, and keep it across restores: a restored job finds and aborts what an earlier run
   * left open under its prefix, and another writer under the same ids would fence it.
   */
  transactionalIdPrefix?: string;
  /**
   * For `'exactly-once'`: how long the broker lets a transaction stay open before it aborts it
   * (ms, default 60 000). It must exceed the checkpoint interval plus the restart delay plus
   * 10 s, the time to restart (the job is refused otherwise), and may not exceed the broker's
   * `transaction.max.timeout.ms` (15 minutes by default).
   */
  transactionTimeoutMs?: number;
  /** How long to keep retrying while no broker answers before failing with BROKER_UNAVAILABLE (ms, default 60 000). */
  brokerTimeoutMs?: number;
  /** The kafkajs client id (default `'eddy-kafka-sink'`). */
  clientId?: string;
}

/** The options once checked, with their defaults. */
export interface ResolvedSinkOptions<T> {
  readonly brokers: readonly string[];
  readonly topic: string | ((value: T) => string);
  readonly key: ((value: T) => string | Uint8Array) | undefined;
  readonly serializer: ((value: T) => string | Uint8Array) | undefined;
  readonly headers: ((value: T) => Record<string, string | Uint8Array>) | undefined;
  readonly deliveryGuarantee: DeliveryGuarantee;
  readonly transactionalIdPrefix: string | undefined;
  readonly transactionTimeoutMs: number;
  readonly brokerTimeoutMs: number;
  readonly clientId: string;
}

const WHERE = 'KafkaSink.create';

/** Checks the options of `KafkaSink.create` and fills in the defaults; throws INVALID_ARGUMENT saying what to change. */
export function resolveSinkOptions<T>(options: KafkaSinkOptions<T>): ResolvedSinkOptions<T> {
  if (typeof options !== 'object' || options === null) {
    throw new StreamError('INVALID_ARGUMENT', `${WHERE}: expected options such as { brokers: ['127.0.0.1:9092'], topic: 'out' }, got ${options === null ? 'null' : typeof options}.`);
  }
  const brokers = checkBrokers(options.brokers, WHERE);
  const { topic } = options;
  if (topic === undefined || topic === '') {
    throw new StreamError('INVALID_ARGUMENT', `${WHERE}: topic is missing: name the topic to write to, e.g. topic: 'orders', or give a function of the record that names it.`);
  }
  if (typeof topic !== 'string' && typeof topic !== 'function') {
    throw new StreamError('INVALID_ARGUMENT', `${WHERE}: topic must be a topic name or a function of the record that returns one, not ${describe(topic)}.`);
  }
  const guarantee = options.deliveryGuarantee ?? 'at-least-once';
  if (!GUARANTEES.includes(guarantee)) {
    throw new StreamError('INVALID_ARGUMENT', `${WHERE}: deliveryGuarantee must be one of ${GUARANTEES.map((g) => `'${g}'`).join(', ')}, not ${describe(guarantee)}.`);
  }
  const prefix = options.transactionalIdPrefix;
  if (prefix !== undefined && (typeof prefix !== 'string' || prefix === '')) {
    throw new StreamError('INVALID_ARGUMENT', `${WHERE}: transactionalIdPrefix must be a non-empty string, not ${describe(prefix)}.`);
  }
  if (guarantee === 'exactly-once' && prefix === undefined) {
    throw new StreamError(
      'INVALID_ARGUMENT',
      `${WHERE}: deliveryGuarantee 'exactly-once' needs a transactionalIdPrefix, the start of the sink's Kafka transactional ids, unique to this job and sink and kept across restores, e.g. transactionalIdPrefix: 'orders-job'.`,
    );
  }
  for (const name of ['key', 'serializer', 'headers'] as const) {
    const value: unknown = options[name];
    if (value !== undefined && typeof value !== 'function') {
      throw new StreamError('INVALID_ARGUMENT', `${WHERE}: ${name} must be a function of the record, not ${describe(value)}.`);
    }
  }
  if (options.clientId !== undefined && (typeof options.clientId !== 'string' || options.clientId === '')) {
    throw new StreamError('INVALID_ARGUMENT', `${WHERE}: clientId must be a non-empty string, not ${describe(options.clientId)}.`);
  }
  return {
    brokers,
    topic,
    key: options.key,
    serializer: options.serializer,
    headers: options.headers,
    deliveryGuarantee: guarantee,
    transactionalIdPrefix: prefix,
    transactionTimeoutMs: checkDuration(options.transactionTimeoutMs, 'transactionTimeoutMs', WHERE) ?? DEFAULT_TRANSACTION_TIMEOUT_MS,
    brokerTimeoutMs: checkDuration(options.brokerTimeoutMs, 'brokerTimeoutMs', WHERE) ?? DEFAULT_BROKER_TIMEOUT_MS,
    clientId: options.clientId ?? 'eddy-kafka-sink',
  };
}

/**
 * Refuses a job an exactly-once sink cannot serve: one without checkpoints (nothing would ever
 * commit), and one whose transactions may outlive their timeout (the broker would abort a
 * pre-committed transaction before the restarted job commits it, losing its records).
 */
export function checkExactlyOnceJob(settings: JobSettings, transactionTimeoutMs: number): void {
  const interval = settings.checkpointIntervalMs;
  if (interval === undefined) {
    throw new StreamError(
      'INVALID_ARGUMENT',
      "KafkaSink with deliveryGuarantee 'exactly-once' commits at checkpoints: call env.enableCheckpointing(ms) to turn checkpointing on, " +
        "or use deliveryGuarantee 'at-least-once'.",
    );
  }
  const needed = interval + settings.restartDelayMs + RESTART_ALLOWANCE_MS;
  if (transactionTimeoutMs <= needed) {
    throw new StreamError(
      'INVALID_ARGUMENT',
      `KafkaSink with deliveryGuarantee 'exactly-once': its transactionTimeoutMs (${transactionTimeoutMs} ms) must exceed the checkpoint interval (${interval} ms) ` +
        `+ the restart delay (${settings.restartDelayMs} ms) + ${RESTART_ALLOWANCE_MS / 1000} s to restart = ${needed} ms, or the broker may abort a transaction ` +
        'before a restarted job commits it, and its records are lost. ' +
        `Set transactionTimeoutMs to more than ${needed} (the broker caps it at transaction.max.timeout.ms, 15 min by default), or checkpoint more often.`,
    );
  }
}

/**
 * One transaction of an exactly-once {@link KafkaSink}, and what a checkpoint stores of it once
 * pre-committed: plain data, enough to commit it from any process.
 */
export interface KafkaSinkTransaction {
  /** `<transactionalIdPrefix>-<subtask>-<slot>`. */
  readonly transactionalId: string;
  /** The producer id the transaction coordinator gave the transactional id (64 bits, as a decimal string). */
  readonly producerId: string;
  /** The producer epoch the transaction was written with. */
  readonly producerEpoch: number;
  /** Records written into it (counted at the pre-commit): 0 means nothing reached the broker and there is nothing to commit. */
  readonly records: number;
  /** When it began (epoch ms): its broker-side timeout started later, at its first record. */
  readonly openedAt: number;
}

/** "sink into topic 'x'", for errors. */
export function describeSink<T>(options: ResolvedSinkOptions<T>): string {
  return typeof options.topic === 'string' ? `sink into topic '${options.topic}'` : 'sink';
}

/** What a record becomes: its topic, its Kafka message, and the message's size in bytes, about. */
export interface EncodedRecord {
  readonly topic: string;
  readonly message: Message;
  readonly size: number;
}

/** A string as it is, bytes as the Buffer kafkajs writes (a Buffer is passed as it is). */
function asBytes(bytes: string | Uint8Array): string | Buffer {
  return typeof bytes === 'string' || Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}

/** Turns records into Kafka messages with the sink's topic, key, serializer and headers. */
export function recordEncoder<T>(options: ResolvedSinkOptions<T>): (value: T) => EncodedRecord {
  const { topic, key, serializer, headers } = options;
  return (value) => {
    const target = typeof topic === 'string' ? topic : topic(value);
    if (typeof target !== 'string' || target === '') {
      throw new StreamError('INVALID_ARGUMENT', `KafkaSink: the topic function returned ${describe(target)} for a record: return the name of a topic.`);
    }
    const encoded = serializer === undefined ? jsonValue(value) : serializer(value);
    if (typeof encoded !== 'string' && !(encoded instanceof Uint8Array)) {
      throw new StreamError('INVALID_ARGUMENT', `KafkaSink: the serializer returned ${describe(encoded)} for a record: return a string or a Buffer.`);
    }
    const message: Message = { value: asBytes(encoded) };
    let size = encoded.length;
    if (key !== undefined) {
      const k = key(value);
      if (typeof k !== 'string' && !(k instanceof Uint8Array)) {
        throw new StreamError('INVALID_ARGUMENT', `KafkaSink: the key function returned ${describe(k)} for a record: return a string or a Buffer.`);
      }
      message.key = asBytes(k);
      size += k.length;
    }
    if (headers !== undefined) {
      const h = headers(value);
      if (typeof h !== 'object' || h === null) {
        throw new StreamError('INVALID_ARGUMENT', `KafkaSink: the headers function returned ${describe(h)} for a record: return an object of string or Buffer values.`);
      }
      message.headers = Object.fromEntries(Object.entries(h).map(([name, v]) => [name, v instanceof Uint8Array ? asBytes(v) : v])) as IHeaders;
      for (const [name, v] of Object.entries(h)) size += name.length + (v as string | Uint8Array).length;
    }
    return { topic: target, message, size };
  };
}

/** The default serializer: JSON, for strings too. */
function jsonValue(value: unknown): string {
  let json: string | undefined;
  try {
    json = JSON.stringify(value);
  } catch (error) {
    throw new StreamError('INVALID_ARGUMENT', `KafkaSink cannot write a record as JSON (${error instanceof Error ? error.message : String(error)}): pass a serializer to KafkaSink.create.`, { cause: error });
  }
  if (json === undefined) {
    throw new StreamError('INVALID_ARGUMENT', `KafkaSink cannot write a record of type ${typeof value} as JSON: pass a serializer to KafkaSink.create.`);
  }
  return json;
}

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (typeof value === 'string') return JSON.stringify(value);
  if (typeof value === 'function') return 'a function';
  if (typeof value === 'object') return Array.isArray(value) ? 'an array' : 'an object';
  return typeof value === 'undefined' ? 'undefined' : `${typeof value} ${String(value)}`;
}
