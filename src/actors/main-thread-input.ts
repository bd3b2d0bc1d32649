// A source subtask's side of the rings it shares with the main thread (env.fromPush,
// env.fromRequests): reads the batches the main thread pushed, frees them (ringing the main
// thread once the ring is half empty, so a blocked push goes on), and, for requests, writes the
// reply of each request, tagged with its id, into the reply ring.

import { StreamError } from '../core/errors.js';
import { MAIN_THREAD_INPUT_ENDED, type MainThreadBatch, type MainThreadInput } from '../core/main-thread-io.js';
import type { BatchDecoder } from './channels/batch-codec.js';
import type { Doorbells } from './channels/doorbell.js';
import { FrameKind } from './channels/frame-kinds.js';
import { releaseFrame } from './channels/release-frame.js';
import type { RingBuffer } from './channels/ring-buffer.js';
import type { ChannelWriter } from './record-writer.js';

/** No request is going through the chain. */
const NO_REQUEST = -1;

export class RingMainThreadInput implements MainThreadInput {
  private ended = false;
  private current = NO_REQUEST;
  private answered = false;

  constructor(
    private readonly ring: RingBuffer,
    private readonly decoder: BatchDecoder,
    private readonly bells: Doorbells,
    /** The main thread's doorbell. */
    private readonly mainActor: number,
    /** Request sources: where replies go, tagged with their request id in the timestamp column. */
    private readonly replies: ChannelWriter | undefined,
  ) {}

  poll(): MainThreadBatch | null | typeof MAIN_THREAD_INPUT_ENDED {
    if (this.ended) return MAIN_THREAD_INPUT_ENDED;
    const frame = this.ring.tryRead();
    if (frame === null) return null;
    let batch: MainThreadBatch | null = null;
    if (frame.kind === FrameKind.DATA) {
      const { values, timestamps } = this.decoder.decode(frame.payload);
      batch = { values, tags: timestamps };
    } else if (frame.kind === FrameKind.END_OF_INPUT) {
      this.ended = true;
    } else {
      throw new StreamError('INTERNAL', `Unexpected frame kind ${frame.kind} from the main thread`, { domain: 'internal' });
    }
    releaseFrame(this.ring, this.bells, this.mainActor);
    return batch ?? MAIN_THREAD_INPUT_ENDED;
  }

  hasInput(): boolean {
    return this.ended || !this.ring.isEmpty();
  }

  beginRequest(id: number): void {
    this.current = id;
    this.answered = false;
  }

  endRequest(): void {
    if (!this.answered) this.replies!.add(undefined, this.current);
    this.current = NO_REQUEST;
  }

  /** A reply() sink reached: the first value answers the current request. */
  reply(value: unknown): boolean {
    if (this.current === NO_REQUEST || this.answered) return false;
    this.answered = true;
    this.replies!.add(value, this.current);
    return true;
  }

  flushReplies(): void {
    this.replies?.flush();
  }
}
