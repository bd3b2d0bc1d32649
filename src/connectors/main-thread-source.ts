// The source behind env.fromPush and env.fromRequests: each subtask reads what the main thread
// pushed into its ring (the actor hands the reader that input) and emits it, a pushed record
// with its event timestamp, a request between the marks that tie its reply to it.

import { MAIN_THREAD_INPUT_ENDED, type MainThreadInput } from '../core/main-thread-io.js';
import { StreamError } from '../core/errors.js';
import { pollDeadline, type InputStatus, type ReaderOutput, type Source, type SourceReader, type SourceReaderContext } from '../core/source.js';

/** Batches a reader emits in one poll before it lets the actor do other work (timers, checkpoints, neighbours). */
const BATCHES_PER_POLL = 4;

export class MainThreadSource<T> implements Source<T> {
  readonly boundedness = 'continuous-unbounded';

  constructor(readonly mainThreadFeed: 'push' | 'requests') {}

  createReader(ctx: SourceReaderContext): SourceReader<T> {
    const input = ctx.mainThreadInput;
    if (input === undefined) {
      throw new StreamError('INTERNAL', 'A source fed by the main thread was deployed without its input ring.', { domain: 'internal' });
    }
    return this.mainThreadFeed === 'push' ? new PushedRecordsReader<T>(input) : new RequestsReader<T>(input);
  }
}

/** Shared by both readers: polling the input, and what to say when nothing is there. */
abstract class MainThreadReader<T> implements SourceReader<T> {
  constructor(protected readonly input: MainThreadInput) {}

  pollNext(output: ReaderOutput<T>): InputStatus {
    const deadline = pollDeadline();
    for (let batches = 0; batches < BATCHES_PER_POLL; batches++) {
      // A batch is emitted whole; the poll ends after the first batch that ran past its time.
      if (batches > 0 && performance.now() > deadline) break;
      const batch = this.input.poll();
      if (batch === null) return this.after('nothing-available');
      if (batch === MAIN_THREAD_INPUT_ENDED) return this.after('end-of-input');
      this.emit(batch.values as T[], batch.tags, output);
    }
    return this.after('more-available');
  }

  hasInput(): boolean {
    return this.input.hasInput();
  }

  /** The actor waits on its doorbell instead (see `hasInput`); a caller that polls anyway polls again at once. */
  isAvailable(): Promise<void> {
    return Promise.resolve();
  }

  protected after(status: InputStatus): InputStatus {
    return status;
  }

  protected abstract emit(values: T[], tags: Float64Array | null, output: ReaderOutput<T>): void;
}

/** env.fromPush: the records with their event timestamps (NaN: none). */
class PushedRecordsReader<T> extends MainThreadReader<T> {
  protected emit(values: T[], timestamps: Float64Array | null, output: ReaderOutput<T>): void {
    if (timestamps === null) {
      for (let i = 0; i < values.length; i++) output.collect(values[i]!);
    } else {
      for (let i = 0; i < values.length; i++) output.collect(values[i]!, timestamps[i]!);
    }
  }
}

/** env.fromRequests: each request goes through the chain between its marks; the replies leave after each poll. */
class RequestsReader<T> extends MainThreadReader<T> {
  protected emit(values: T[], ids: Float64Array | null, output: ReaderOutput<T>): void {
    const input = this.input;
    for (let i = 0; i < values.length; i++) {
      input.beginRequest(ids![i]!);
      try {
        output.collect(values[i]!);
      } finally {
        input.endRequest();
      }
    }
  }

  protected override after(status: InputStatus): InputStatus {
    this.input.flushReplies();
    return status;
  }
}
