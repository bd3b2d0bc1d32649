// The main thread's end of a push or request source: spreads pushed records over the source's
// subtasks (round robin, or by key group straight to the owning subtask), batches them in the
// current turn of the event loop, and writes the batches into the subtasks' rings as a producer
// actor would. A full ring is backpressure: push() then returns a promise that resolves when
// there is room again, and a caller that keeps pushing without waiting is stopped with an error.

import { assertEncodable, BatchEncoder } from '../actors/channels/batch-codec.js';
import { Backlog, ChannelWriter, createRecordWriter, type RecordWriter } from '../actors/record-writer.js';
import { OperatorFailure } from '../actors/operator-failure.js';
import { StreamError } from '../core/errors.js';
import { END_OF_INPUT } from '../core/stream-element.js';
import { actorsOfNode, ringsOf } from './main-thread-rings.js';
import type { MainThreadEndpoint, MainThreadLink } from './main-thread-link.js';

/** Records a caller may push while push() asks it to wait, before push() refuses more. */
export const PUSH_WAIT_LIMIT = 65536;

/** A promise and its settlers. */
interface Deferred {
  readonly promise: Promise<void>;
  resolve(): void;
  reject(error: Error): void;
}

function deferred(): Deferred {
  let resolve!: () => void;
  let reject!: (error: Error) => void;
  const promise = new Promise<void>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  // A caller that ignores the promise must not get an unhandled rejection when the job ends.
  promise.catch(() => undefined);
  return { promise, resolve, reject };
}

export class PushInlet implements MainThreadEndpoint {
  private writer: RecordWriter | undefined;
  private link: MainThreadLink | undefined;
  private backlog = new Backlog();
  private readonly encoder = new BatchEncoder();
  /** Records pushed while no deployment runs (before the first, between restarts). */
  private unsent: [unknown, number][] = [];
  private room: Deferred | undefined;
  /** Records pushed since push() started asking the caller to wait. */
  private pushedWhileFull = 0;
  private flushScheduled = false;
  private closed = false;
  private closing: Deferred | undefined;
  private endedWith: Error | undefined;
  private readonly flushNow = (): void => this.flush();

  constructor(
    private readonly nodeId: number,
    /** The source's name, for errors. */
    private readonly name: string,
    /** fromPush/fromRequests { keyBy }: records go to the subtask owning their key group. */
    private readonly keySelector: ((value: unknown) => unknown) | undefined,
  ) {}

  /** Queues `value` with its tag (event timestamp, or request id); a promise when the caller should wait. */
  push(value: unknown, tag: number): void | Promise<void> {
    if (this.endedWith !== undefined) throw this.endedWith;
    if (this.closed) throw new StreamError('INVALID_ARGUMENT', `"${this.name}" was closed: push() after close() is refused. Push everything before close().`, { domain: 'user' });
    if (this.room !== undefined && ++this.pushedWhileFull > PUSH_WAIT_LIMIT) {
      throw new StreamError(
        'INVALID_ARGUMENT',
        `"${this.name}": ${PUSH_WAIT_LIMIT} records were pushed after push() returned a promise to wait for room, and none of it was awaited. ` +
          'This record was not taken. Await the promise push() returns (or use pushAll()), so that the job can keep up.',
        { domain: 'user' },
      );
    }
    assertEncodable(value);
    const writer = this.writer;
    if (writer === undefined) {
      this.unsent.push([value, tag]);
      return this.waitForRoom();
    }
    try {
      writer.collect(value, tag);
    } catch (error) {
      throw unwrap(error);
    }
    if (!this.flushScheduled) {
      this.flushScheduled = true;
      queueMicrotask(this.flushNow);
    }
    return this.backlog.isEmpty ? undefined : this.waitForRoom();
  }

  /** Ends the source once what was pushed before is sent; resolves when the end is in the ring. */
  close(): Promise<void> {
    if (this.endedWith !== undefined) return Promise.reject(this.endedWith);
    if (this.closing !== undefined) return this.closing.promise;
    this.closed = true;
    this.closing = deferred();
    if (this.writer !== undefined) this.sendEnd();
    return this.closing.promise;
  }

  attach(link: MainThreadLink): void {
    this.link = link;
    const { planned, rings, bells } = link;
    const actors = actorsOfNode(planned, this.nodeId);
    this.backlog = new Backlog();
    const channels = ringsOf(rings.inputs, this.nodeId).map((ring, subtask) => new ChannelWriter(ring, bells, actors[subtask]!, this.encoder, this.backlog, this.nodeId));
    const kind = this.keySelector === undefined ? 'rebalance' : 'hash';
    this.writer = createRecordWriter(kind, channels, 0, this.keySelector, planned.job.maxParallelism, `"${this.name}"`);
    const unsent = this.unsent;
    this.unsent = [];
    try {
      for (const [value, tag] of unsent) this.writer.collect(value, tag);
      this.writer.flush();
    } catch (error) {
      this.failed(error);
      return;
    }
    if (this.closed) this.sendEnd();
    this.settle();
  }

  pump(): boolean {
    if (this.backlog.isEmpty) return false;
    const drained = this.backlog.tryDrain();
    if (drained) this.settle();
    return drained;
  }

  /** Room in a ring comes with a ring of the main thread's doorbell (the subtask freed it), which wakes the pump. */
  hasWork(): boolean {
    return false;
  }

  /** What was pushed and not yet in a ring is lost with the deployment (a restarted job takes new pushes). */
  detach(): void {
    this.writer = undefined;
    this.link = undefined;
    this.backlog = new Backlog();
  }

  end(failure: Error | undefined): void {
    this.writer = undefined;
    this.endedWith =
      failure ?? new StreamError('INVALID_ARGUMENT', `"${this.name}": the job has ended, so it takes no more records. Start a new job to push again.`, { domain: 'user' });
    this.room?.reject(this.endedWith);
    this.room = undefined;
    // A close() the job's end overtook still ended the source.
    if (failure === undefined) this.closing?.resolve();
    else this.closing?.reject(failure);
  }

  private flush(): void {
    this.flushScheduled = false;
    try {
      this.writer?.flush();
    } catch (error) {
      this.failed(error);
    }
  }

  /** A batch could not be sent (a record too large for the ring): the job fails with why. */
  private failed(error: unknown): void {
    const failure = unwrap(error);
    this.link?.fail(failure);
    this.end(failure);
  }

  private sendEnd(): void {
    this.flushScheduled = false;
    this.writer!.broadcastControl(END_OF_INPUT);
    this.settle();
  }

  private waitForRoom(): Promise<void> {
    if (this.room === undefined) {
      this.room = deferred();
      this.pushedWhileFull = 0;
    }
    return this.room.promise;
  }

  /** Everything queued reached a ring: waiting pushes and a close go on. */
  private settle(): void {
    if (!this.backlog.isEmpty || this.writer === undefined) return;
    this.room?.resolve();
    this.room = undefined;
    if (this.closed) this.closing?.resolve();
  }
}

/** The error a user function (the key selector) or the encoder raised, without eddy's operator tag. */
function unwrap(error: unknown): Error {
  const cause = error instanceof OperatorFailure ? error.cause : error;
  return cause instanceof Error ? cause : new Error(String(cause));
}
