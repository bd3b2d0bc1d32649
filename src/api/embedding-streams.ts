// Embedding a job in a service: streams fed from the main thread (env.fromPush), requests answered
// by the job (env.fromRequests ... reply()), and a stream's records read back in the main thread
// as they come (collectAsync). The main-thread ends live in runtime/; these are their handles.
// In a worker thread (which re-runs the job script only to build the job) the handles do nothing.

import { StreamError } from '../core/errors.js';
import type { Key } from '../core/key-groups.js';
import { logger } from '../core/log.js';
import type { StreamInput, StreamNode } from '../core/job-plan.js';
import { CollectAsyncSinkOperator, ReplySinkOperator } from '../connectors/main-thread-sinks.js';
import { CollectOutlet } from '../runtime/collect-outlet.js';
import { launchContext } from '../runtime/launch-context.js';
import { COLLECT_ASYNC_TYPE } from '../runtime/main-thread-rings.js';
import type { PushInlet } from '../runtime/push-inlet.js';
import type { RequestInlet } from '../runtime/request-inlet.js';
import { DataStream } from './data-stream.js';
import type { JobBuilder } from './job-builder.js';
import { KeyedStream } from './keyed-stream.js';
import type { WatermarkStrategy } from '../time/watermark-strategy.js';

declare module './data-stream.js' {
  interface DataStream<T> {
    /**
     * This stream's records in the main thread, as the job produces them: `for await (const r of
     * stream.collectAsync())`. It holds a bounded number of records for a reader that is behind,
     * then backpressures the job; it ends when the job ends (and throws if the job failed). Call it
     * before `executeAsync()`, as often as you need readers; each result is read once.
     */
    collectAsync(): AsyncIterable<T>;
    /**
     * Answers the request whose record produced this value: the first value to reach `reply()`
     * while a request from `env.fromRequests` goes through the job answers it. Must run in the
     * request's own subtask (chained to the request source, no keyBy or rebalance in between).
     */
    reply(): void;
  }
}

DataStream.prototype.collectAsync = function collectAsync<T>(this: DataStream<T>): AsyncIterable<T> {
  const node = this.addSink(COLLECT_ASYNC_TYPE, 'Collect Async', () => new CollectAsyncSinkOperator<T>());
  const outlet = new CollectOutlet<T>(node.id);
  this.env.addMainThreadEndpoint(outlet);
  return outlet;
};

DataStream.prototype.reply = function reply<T>(this: DataStream<T>): void {
  this.addSink(REPLY_TYPE, 'Reply', () => new ReplySinkOperator<T>());
};

/** The stream node type of a reply() sink. */
export const REPLY_TYPE = 'reply';

/** Options of `env.fromPush` and `env.fromRequests`. */
export interface PushSourceOptions<T> {
  /**
   * The source's parallelism. Default: the job's with `keyBy` (records go by key), else 1 (records
   * in push order). Set above 1 without `keyBy`, records are spread round robin, and records of one
   * key may reach a later `keyBy` out of push order (they left through different subtasks).
   */
  parallelism?: number;
  /**
   * Sends each record straight to the subtask that owns its key, and makes the stream keyed (as
   * after `keyBy`) without a hop: keyed operators after it run in that subtask.
   */
  keyBy?: (value: T) => Key;
  /**
   * Event time for the records: timestamps (from `push(value, timestamp)`, or the strategy's
   * assigner) and watermarks, generated in each source subtask.
   */
  watermarks?: WatermarkStrategy<T>;
}

/** Warns once per process that a handle was used in a worker thread, where it does nothing. */
let warnedInWorker = false;
function inWorker(method: string, name: string): boolean {
  if (!launchContext().inWorker) return false;
  if (!warnedInWorker) {
    warnedInWorker = true;
    logger().warn(
      { code: 'EDDY_PUSH_IN_WORKER' },
      `"${name}".${method}() was called in an eddy worker thread, where it does nothing: workers run the job script only to build the job. ` +
        'Push and request from the main thread, in code that runs after await env.executeAsync() (which never returns in a worker).',
    );
  }
  return true;
}

/** @internal What push streams share: the inlet and the three methods. */
export class PushHandle<T> {
  constructor(
    readonly inlet: PushInlet,
    readonly name: string,
  ) {}

  push(value: T, timestamp?: number): void | Promise<void> {
    if (inWorker('push', this.name)) return;
    if (timestamp !== undefined && !Number.isFinite(timestamp)) {
      throw new TypeError(`"${this.name}".push(value, timestamp): the timestamp must be a finite number of ms since the epoch, got ${String(timestamp)}.`);
    }
    return this.inlet.push(value, timestamp ?? Number.NaN);
  }

  async pushAll(values: Iterable<T> | AsyncIterable<T>): Promise<void> {
    if (inWorker('pushAll', this.name)) return;
    if (values === null || (typeof (values as Iterable<T>)[Symbol.iterator] !== 'function' && typeof (values as AsyncIterable<T>)[Symbol.asyncIterator] !== 'function')) {
      throw new TypeError(`"${this.name}".pushAll(values) expects an iterable or an async iterable (an array, a generator, a readable stream ...).`);
    }
    for await (const value of values) {
      const room = this.push(value);
      if (room !== undefined) await room;
    }
  }

  close(): Promise<void> {
    if (inWorker('close', this.name)) return Promise.resolve();
    return this.inlet.close();
  }
}

/** A stream fed from the main thread: `push` records in after `executeAsync()`, `close` to end it. */
export class PushStream<T> extends DataStream<T> {
  /** @internal Made by `env.fromPush`. */
  constructor(
    env: JobBuilder,
    ends: readonly StreamInput[],
    node: StreamNode,
    private readonly handle: PushHandle<T>,
  ) {
    super(env, ends, node);
  }

  /**
   * Pushes a record (with its event timestamp, ms, when it has one). Returns nothing while the
   * source's ring has room, and a promise to await when it is full (backpressure); records are
   * batched within the current turn of the event loop and sent at its end.
   */
  push(value: T, timestamp?: number): void | Promise<void> {
    return this.handle.push(value, timestamp);
  }

  /** Pushes every value of an iterable or async iterable, waiting for room as needed. */
  pushAll(values: Iterable<T> | AsyncIterable<T>): Promise<void> {
    return this.handle.pushAll(values);
  }

  /** Ends the stream once what was pushed is sent; the job ends when all its sources ended. */
  close(): Promise<void> {
    return this.handle.close();
  }
}

/** A push stream with `keyBy`: each record goes straight to the subtask that owns its key. */
export class KeyedPushStream<T, K extends Key> extends KeyedStream<T, K> {
  /** @internal Made by `env.fromPush(name, { keyBy })`. */
  constructor(
    env: JobBuilder,
    ends: readonly StreamInput[],
    node: StreamNode,
    keySelector: (value: T) => K,
    private readonly handle: PushHandle<T>,
  ) {
    super(env, ends, node, keySelector);
  }

  /** See `PushStream.push`. */
  push(value: T, timestamp?: number): void | Promise<void> {
    return this.handle.push(value, timestamp);
  }

  /** See `PushStream.pushAll`. */
  pushAll(values: Iterable<T> | AsyncIterable<T>): Promise<void> {
    return this.handle.pushAll(values);
  }

  /** See `PushStream.close`. */
  close(): Promise<void> {
    return this.handle.close();
  }
}

/** @internal What request streams share. */
export class RequestHandle<Req, Res> {
  constructor(
    readonly inlet: RequestInlet,
    readonly name: string,
  ) {}

  request(value: Req): Promise<Res | undefined> {
    if (inWorker('request', this.name)) return new Promise(() => undefined);
    return this.inlet.request(value) as Promise<Res | undefined>;
  }

  close(): Promise<void> {
    if (inWorker('close', this.name)) return Promise.resolve();
    return this.inlet.close();
  }
}

/** A stream of requests from the main thread, each answered by the `reply()` its record reaches. */
export class RequestStream<Req, Res> extends DataStream<Req> {
  /** @internal Made by `env.fromRequests`. */
  constructor(
    env: JobBuilder,
    ends: readonly StreamInput[],
    node: StreamNode,
    private readonly handle: RequestHandle<Req, Res>,
  ) {
    super(env, ends, node);
  }

  /**
   * Sends a request through the job and resolves with its reply: the first value that reached
   * `reply()` while the request's record went through its subtask, or `undefined` when none did
   * (it was filtered out). Rejects when the job fails, restarts or ends before answering.
   */
  request(value: Req): Promise<Res | undefined> {
    return this.handle.request(value);
  }

  /** Ends the stream once the requests sent are in; the job ends when all its sources ended. */
  close(): Promise<void> {
    return this.handle.close();
  }
}

/** A request stream with `keyBy`: each request goes straight to the subtask that owns its key, where its keyed state is. */
export class KeyedRequestStream<Req, Res, K extends Key> extends KeyedStream<Req, K> {
  /** @internal Made by `env.fromRequests(name, { keyBy })`. */
  constructor(
    env: JobBuilder,
    ends: readonly StreamInput[],
    node: StreamNode,
    keySelector: (value: Req) => K,
    private readonly handle: RequestHandle<Req, Res>,
  ) {
    super(env, ends, node, keySelector);
  }

  /** See `RequestStream.request`. */
  request(value: Req): Promise<Res | undefined> {
    return this.handle.request(value);
  }

  /** See `RequestStream.close`. */
  close(): Promise<void> {
    return this.handle.close();
  }
}

/**
 * Refuses a reply() that is not in the subtask of a request source: the reply must be reached
 * while the request's record goes through the chain, which a network hop would break.
 */
export function checkReplies(nodes: readonly StreamNode[], vertexOf: readonly number[], headOf: (vertex: number) => StreamNode): void {
  for (const node of nodes) {
    if (node.type !== REPLY_TYPE) continue;
    const head = headOf(vertexOf[node.id]!);
    if (head.source?.mainThreadFeed === 'requests') continue;
    throw new StreamError(
      'INVALID_GRAPH',
      `reply() must run in the subtask its request went to, chained to env.fromRequests, but here it reads from "${head.name}" across a channel. ` +
        'Give the key to the request source instead of calling keyBy after it (env.fromRequests(name, { keyBy })), keep every operator between them ' +
        'at the source\'s parallelism, and do not rebalance, broadcast or union in between.',
    );
  }
}
