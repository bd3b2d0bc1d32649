// What the Kafka source and sink share about reaching the brokers: the checks of their `brokers`
// option, a kafkajs client that logs only through eddy, and the retry of a call while the brokers
// are down, with backoff, which gives up after a set time with a sentence naming the brokers and
// the cause.

import { setTimeout as sleep } from 'node:timers/promises';
import type { Kafka } from 'kafkajs';
import { StreamError } from '../../core/errors.js';
import { lazyModule } from '../../core/lazy-module.js';

/** kafkajs, loaded when a job first talks to a broker. */
export const kafkajs = lazyModule<typeof import('kafkajs')>('kafkajs');

/** How long the source and sink keep retrying while no broker answers, unless set (ms). */
export const DEFAULT_BROKER_TIMEOUT_MS = 60_000;

/** Refuses a `brokers` option that is not a non-empty list of `host:port` strings. */
export function checkBrokers(brokers: unknown, where: string): string[] {
  if (!Array.isArray(brokers) || brokers.length === 0) {
    throw new StreamError('INVALID_ARGUMENT', `${where}: brokers must be a non-empty list of "host:port" strings, e.g. brokers: ['127.0.0.1:9092'].`);
  }
  for (const broker of brokers) {
    if (typeof broker !== 'string' || !/^[^\s:]+:\d{1,5}$/.test(broker)) {
      throw new StreamError('INVALID_ARGUMENT', `${where}: broker ${JSON.stringify(broker)} is not "host:port", e.g. '127.0.0.1:9092'.`);
    }
  }
  return [...(brokers as string[])];
}

/** Refuses a duration option that is not a positive number of milliseconds. */
export function checkDuration(value: unknown, name: string, where: string): number | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'number' || !Number.isFinite(value) || value <= 0) {
    throw new StreamError('INVALID_ARGUMENT', `${where}: ${name} must be a positive number of milliseconds, not ${JSON.stringify(value)}.`);
  }
  return value;
}

/**
 * A kafkajs client for `brokers`. Its own retries are short: eddy retries around them
 * ({@link retryWhileUnavailable}), and a job that cannot reach its brokers fails with eddy's
 * message, not kafkajs's log lines.
 */
export function createKafka(brokers: readonly string[], clientId: string): Kafka {
  const { Kafka, logLevel } = kafkajs();
  return new Kafka({
    clientId,
    brokers: [...brokers],
    connectionTimeout: 3_000,
    requestTimeout: 30_000,
    retry: { retries: 2, initialRetryTime: 100, maxRetryTime: 1_000 },
    logLevel: logLevel.NOTHING,
  });
}

/** Whether `error` says a broker could not be reached or is not ready (so a retry may help). */
export function isUnavailable(error: unknown): boolean {
  for (let e = error as { name?: string; retriable?: boolean; cause?: unknown; code?: string } | undefined; e !== undefined && e !== null; e = e.cause as typeof e) {
    if (e.retriable === true) return true;
    if (typeof e.name === 'string' && /KafkaJS(Connection|NumberOfRetriesExceeded|RequestTimeout|BrokerNotFound|LockTimeout|ConnectionClosed|Timeout)/.test(e.name)) return true;
    if (typeof e.code === 'string' && /ECONNREFUSED|ECONNRESET|EPIPE|ETIMEDOUT|EHOSTUNREACH/.test(e.code)) return true;
  }
  return false;
}

/** The message of `error` and of the causes under it, for an error that names the cause. */
export function describeCause(error: unknown): string {
  const parts: string[] = [];
  for (let e = error as { message?: string; cause?: unknown } | undefined; e !== undefined && e !== null && parts.length < 4; e = e.cause as typeof e) {
    if (typeof e.message === 'string' && e.message !== '' && !parts.includes(e.message)) parts.push(e.message);
  }
  return parts.length === 0 ? String(error) : parts.join(': ');
}

/**
 * Runs `call` until it succeeds; while it fails because no broker answers, retries with backoff
 * (100 ms doubling to 2 s), and after `timeoutMs` of failures throws BROKER_UNAVAILABLE saying
 * which brokers and why. Other errors are thrown at once.
 */
export async function retryWhileUnavailable<R>(call: () => Promise<R>, what: string, brokers: readonly string[], timeoutMs: number, cancelled: () => boolean = () => false): Promise<R> {
  const started = Date.now();
  let backoff = 100;
  for (;;) {
    try {
      return await call();
    } catch (error) {
      if (!isUnavailable(error) || cancelled()) throw error;
      if (Date.now() - started >= timeoutMs) {
        throw new StreamError(
          'BROKER_UNAVAILABLE',
          `Kafka ${what}: no answer from the brokers ${brokers.join(', ')} for ${Math.round((Date.now() - started) / 1000)} s (${describeCause(error)}). ` +
            'Check that the broker is running and reachable at that address (for a local one: npm run kafka:start -- --port <port> --dir <dir>), ' +
            'or give it longer with the brokerTimeoutMs option.',
          { domain: 'external', retriable: true, cause: error },
        );
      }
      await sleep(backoff);
      backoff = Math.min(backoff * 2, 2_000);
    }
  }
}
