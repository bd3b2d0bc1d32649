// A record read from Kafka as the source hands it to a user deserializer or a dead-letter output,
// and the named deserializers (json, string, bytes, msgpack) that turn its value into the record
// the stream carries; a failure says which record and shows the start of its bytes.

import { Packr } from 'msgpackr';
import { StreamError } from '../../core/errors.js';

/**
 * Bytes of a Kafka record: a Node.js `Buffer` at run time, typed by what eddy's types promise
 * (they use no Node.js types), so `toString()` gives its text.
 */
export interface KafkaBytes extends Uint8Array {
  toString(encoding?: 'utf8' | 'hex' | 'base64' | 'latin1'): string;
}

/** One Kafka record: where it was read, when it was written, and its raw bytes. */
export interface KafkaRecord {
  readonly topic: string;
  readonly partition: number;
  readonly offset: number;
  /** The Kafka timestamp (epoch ms): create time, or log-append time for topics set so. */
  readonly timestamp: number;
  readonly key: KafkaBytes | null;
  /** The value's bytes; null for a tombstone. */
  readonly value: KafkaBytes | null;
  /** Header values by name; a name given several times has a list. */
  readonly headers: Readonly<Record<string, KafkaBytes | KafkaBytes[] | undefined>>;
}

/** How the source turns a record into the stream's value: a named format (of the value), or a function of the whole record. */
export type KafkaDeserializer<T> = 'json' | 'string' | 'bytes' | 'msgpack' | ((record: KafkaRecord) => T);

const NAMED = ['json', 'string', 'bytes', 'msgpack'] as const;

/** Refuses a deserializer option that is neither a named format nor a function. */
export function checkDeserializer(option: unknown, where: string): void {
  if (option === undefined || typeof option === 'function' || (NAMED as readonly unknown[]).includes(option)) return;
  throw new StreamError(
    'INVALID_ARGUMENT',
    `${where}: deserializer ${JSON.stringify(option)} is not one of ${NAMED.map((n) => `'${n}'`).join(', ')} or a function (record) => value.`,
  );
}

function requireValue(record: KafkaRecord): Buffer {
  if (record.value === null) throw new Error('the record has no value (a tombstone)');
  return record.value as Buffer;
}

/** The function a deserializer option stands for (default: JSON). */
export function createDeserializer<T>(option: KafkaDeserializer<T> | undefined): (record: KafkaRecord) => T {
  if (typeof option === 'function') return option;
  switch (option ?? 'json') {
    case 'json':
      return (record) => JSON.parse(requireValue(record).toString('utf8')) as T;
    case 'string':
      return (record) => requireValue(record).toString('utf8') as T;
    case 'bytes':
      return (record) => requireValue(record) as T;
    case 'msgpack': {
      const packr = new Packr({ useRecords: false });
      return (record) => packr.unpack(requireValue(record)) as T;
    }
    default:
      throw new StreamError('INTERNAL', `unknown deserializer ${String(option)}`, { domain: 'internal' });
  }
}

/** The first bytes of a record's value, readable: as text when they are text, else as hex. */
export function previewBytes(bytes: KafkaBytes | null, max = 64): string {
  if (bytes === null) return 'null';
  const head = Buffer.from(bytes.buffer, bytes.byteOffset, Math.min(bytes.length, max));
  const text = head.toString('utf8');
  const printable = !/[\u0000-\u0008\u000e-\u001f\ufffd]/.test(text);
  const shown = printable ? JSON.stringify(text) : `0x${head.toString('hex')}`;
  return bytes.length > max ? `${shown}... (${bytes.length} bytes)` : shown;
}

/** The error of a record that could not be deserialized, naming it and showing its bytes. */
export function deserializationError(record: KafkaRecord, format: string, cause: unknown, failsTheJob: boolean): StreamError {
  const reason = cause instanceof Error ? cause.message : String(cause);
  const advice = failsTheJob
    ? " To go on past such records, create the KafkaSource with onDeserializationError: 'skip' (they are counted in recordsSkipped), " +
      'or { deadLetter: new OutputTag<KafkaRecord>("bad-records") } to get them on a side output.'
    : '';
  return new StreamError(
    'DESERIALIZATION_FAILED',
    `The Kafka record at topic "${record.topic}", partition ${record.partition}, offset ${record.offset} could not be read as ${format}: ${reason}. ` +
      `Its value starts ${previewBytes(record.value)}.${advice}`,
    { cause },
  );
}
