// One subtask as an actor: a long-lived async loop that reads its input rings (or polls its
// source reader), pushes records through its operator chain, flushes partial batches whenever its
// input is drained, waits on its doorbell when there is nothing to do, and yields the thread to
// the other actors placed on it.

import { setImmediate as yieldToEventLoop } from 'node:timers/promises';
import type { InputStatus, ReaderOutput, SourceReader } from '../api/source.js';
import { assertNever, StreamError } from '../errors.js';
import { WatermarkValve } from '../time/watermark-valve.js';
import type { Doorbells } from './channels/doorbell.js';
import { BatchDecoder, decodeWatermark, decodeWatermarkStatus, FrameKind } from './channels/frame-codec.js';
import type { RingBuffer } from './channels/ring-buffer.js';
import { attributed, OperatorFailure, type Downstream, type OperatorChain } from './operator-chain.js';
import type { ActorProcessingTime } from './processing-time.js';
import { STALL_WARNING_MS, WatermarkStallDetector } from '../time/watermark-stall.js';
import type { Backlog } from './record-writer.js';

/** Microseconds an actor spins before it sleeps: a thread wake-up costs ~25 µs, a spin hand-off < 1 µs. */
const SPIN_MICROS = 20;
/** Input frames (or source polls) between two yields of the thread to neighbouring actors. */
const YIELD_EVERY = 8;

export interface InputChannel {
  readonly ring: RingBuffer;
  readonly producerActor: number;
  /** Which input of the head operator the channel feeds (two-input operators have two). */
  readonly inputIndex: number;
  /** The producer, for diagnostics: "Source (subtask 2/4)". */
  readonly producer: string;
}

/** Work an operator started asynchronously; the actor awaits it before the next record. */
export class PendingWork {
  private work: Promise<void> | null = null;

  add(work: Promise<void>): void {
    this.work = this.work === null ? work : Promise.all([this.work, work]).then(() => undefined);
  }

  get isEmpty(): boolean {
    return this.work === null;
  }

  async drain(): Promise<void> {
    while (this.work !== null) {
      const work = this.work;
      this.work = null;
      await work;
    }
  }
}

/** What the actors of one thread share: the cancel flag, and who has work waiting. */
export interface ThreadContext {
  /** Set when the job is cancelled or failed elsewhere. */
  readonly cancelled: boolean;
  /**
   * Whether an actor on this thread further down the dataflow than `vertexId` has input waiting.
   * Such an actor goes first: a producer that kept the thread would starve the consumer that
   * producers on other threads wait for, and leave those threads idle.
   */
  downstreamHasInput(vertexId: number): boolean;
}

export class TaskActor {
  private readonly decoder = new BatchDecoder();
  private readonly valve: WatermarkValve;
  private readonly stall: WatermarkStallDetector;
  private readonly ended: boolean[];
  private polls = 0;

  constructor(
    readonly index: number,
    private readonly chain: OperatorChain,
    private readonly inputs: readonly InputChannel[],
    private readonly reader: SourceReader<unknown> | undefined,
    private readonly bells: Doorbells,
    private readonly backlog: Backlog,
    private readonly pending: PendingWork,
    private readonly token: ThreadContext,
    private readonly vertexId: number,
    private readonly time: ActorProcessingTime,
    private readonly name: string,
  ) {
    this.valve = new WatermarkValve(inputs.length);
    this.stall = new WatermarkStallDetector(time.now());
    this.ended = inputs.map(() => false);
  }

  /** Runs the subtask to the end of its input, or until the job is cancelled. */
  async run(): Promise<void> {
    await this.chain.open();
    const finished = this.reader === undefined ? await this.readInputs() : await this.readSource(this.reader);
    if (finished) {
      if (this.reader !== undefined) this.chain.emitWatermark(Number.POSITIVE_INFINITY);
      await this.chain.endInput();
      await this.pending.drain();
      this.chain.flushBuffers();
      this.chain.broadcastControl(FrameKind.END_OF_INPUT, new Uint8Array(0));
      await this.drainBacklog();
    }
    await this.pending.drain();
    await this.chain.close();
    await this.reader?.close?.();
  }

  /** Reads input frames until every channel ended (true) or the job is cancelled (false). */
  private async readInputs(): Promise<boolean> {
    let open = this.inputs.length;
    let next = 0;
    while (!this.token.cancelled) {
      let progressed = false;
      for (let n = 0; n < this.inputs.length; n++) {
        const channel = next;
        next = next + 1 === this.inputs.length ? 0 : next + 1;
        if (this.ended[channel]) continue;
        const input = this.inputs[channel]!;
        const frame = input.ring.tryRead();
        if (frame === null) continue;
        progressed = true;
        switch (frame.kind) {
          case FrameKind.DATA: {
            const batch = this.decoder.decode(frame.payload);
            this.release(input);
            await this.processBatch(batch.values, batch.timestamps, this.chain.inputs[input.inputIndex]!);
            this.watchEventTime();
            break;
          }
          case FrameKind.WATERMARK: {
            const watermark = decodeWatermark(frame.payload);
            this.release(input);
            this.forwardWatermark(this.valve.onWatermark(channel, watermark));
            break;
          }
          case FrameKind.WATERMARK_STATUS: {
            const idle = decodeWatermarkStatus(frame.payload) === 'idle';
            this.release(input);
            const wasIdle = this.valve.isIdle;
            this.forwardWatermark(this.valve.onStatus(channel, idle));
            if (this.valve.isIdle !== wasIdle) this.chain.emitWatermarkStatus(this.valve.isIdle);
            break;
          }
          case FrameKind.END_OF_INPUT:
            this.release(input);
            this.ended[channel] = true;
            open--;
            this.forwardWatermark(this.valve.onEndOfInput(channel));
            break;
          default:
            throw new StreamError('INTERNAL', `Unexpected frame kind ${frame.kind} on an input channel`, { domain: 'internal' });
        }
        await this.afterStep();
      }
      if (open === 0) return true;
      if (!progressed) await this.idle(() => !this.hasReadableInput());
    }
    return false;
  }

  /** Polls the source reader until it ends (true) or the job is cancelled (false). */
  private async readSource(reader: SourceReader<unknown>): Promise<boolean> {
    const input = this.chain.inputs[0]!;
    const output: ReaderOutput<unknown> = {
      collect: (value, timestamp) => input.collect(value, timestamp ?? Number.NaN),
    };
    while (!this.token.cancelled) {
      let status: InputStatus;
      try {
        status = reader.pollNext(output);
      } catch (error) {
        throw error instanceof OperatorFailure ? error : new OperatorFailure(this.chain.headNodeId, error);
      }
      await this.pending.drain();
      switch (status) {
        case 'more-available':
          await this.afterStep();
          break;
        case 'nothing-available':
          await this.idle(() => true, attributed(this.chain.headNodeId, () => reader.isAvailable()));
          break;
        case 'end-of-input':
          return true;
        default:
          assertNever(status);
      }
    }
    return false;
  }

  /**
   * Frees the frame just read. The producer is rung only once the ring is at most half full: a
   * producer blocked on a full ring then wakes to room for many frames, not one (a cross-thread
   * wake-up costs far more than a frame; measured hundreds of µs under load here).
   */
  private release(input: InputChannel): void {
    input.ring.release();
    if (input.ring.usedBytes() <= input.ring.capacity >>> 1) this.bells.ring(input.producerActor);
  }

  private async processBatch(values: unknown[], timestamps: Float64Array | null, input: Downstream): Promise<void> {
    const pending = this.pending;
    for (let i = 0; i < values.length; i++) {
      input.collect(values[i], timestamps === null ? Number.NaN : timestamps[i]!);
      if (!pending.isEmpty) await pending.drain();
    }
  }

  private forwardWatermark(watermark: number | null): void {
    if (watermark === null) return;
    this.stall.onAdvance(this.time.now());
    this.chain.emitWatermark(watermark);
  }

  /** Warns once when records arrive but one input holds event time back (see WatermarkStallDetector). */
  private watchEventTime(): void {
    const valve = this.valve;
    const channel = this.stall.onRecord(this.time.now(), (c) => valve.channelWatermark(c), this.inputs.length, (c) => valve.isChannelIdle(c) || this.ended[c]!);
    if (channel === undefined) return;
    process.emitWarning(
      `The watermark of "${this.name}" has not advanced for ${STALL_WARNING_MS / 1000} s while records keep arriving: ` +
        `its input from ${this.inputs[channel]!.producer} is at ${valve.channelWatermark(channel)} while others moved on. ` +
        'A source subtask without data holds event time back; give its WatermarkStrategy .withIdleness(ms).',
      { code: 'EDDY_WATERMARK_STALLED' },
    );
  }

  /** After each frame or poll: fire due timers, wait out a full output ring, let neighbouring actors run. */
  private async afterStep(): Promise<void> {
    this.time.fireDue();
    if (!this.backlog.isEmpty) await this.drainBacklog();
    if (++this.polls % YIELD_EVERY === 0 || this.token.downstreamHasInput(this.vertexId)) await yieldToEventLoop();
  }


  /**
   * Nothing to read: hand on partial batches (so records never wait for more records), then
   * sleep until a producer rings, or `wake` resolves (a source has data again).
   */
  private async idle(stillIdle: () => boolean, wake?: Promise<void>): Promise<void> {
    this.chain.flushBuffers();
    await this.pending.drain();
    await this.drainBacklog();
    if (this.token.cancelled) return;
    if (wake === undefined) {
      await this.bells.sleep(this.index, () => stillIdle() && !this.token.cancelled, SPIN_MICROS, this.time.msUntilNext());
      this.time.fireDue();
      return;
    }
    // Wait for the source or a cancel on the one doorbell, so no waiter is left behind.
    let woken = false;
    let failure: unknown;
    const wakeUp = (error?: unknown): void => {
      woken = true;
      failure = error;
      this.bells.ring(this.index);
    };
    wake.then(() => wakeUp(), wakeUp);
    while (!woken && !this.token.cancelled) {
      await this.bells.sleep(this.index, () => !woken && !this.token.cancelled, 0, this.time.msUntilNext());
      this.time.fireDue();
    }
    if (failure !== undefined) throw failure;
  }

  /** Waits until every frame queued for a full ring was written. */
  private async drainBacklog(): Promise<void> {
    while (!this.backlog.tryDrain() && !this.token.cancelled) {
      await this.bells.sleep(this.index, () => !this.backlog.tryDrain() && !this.token.cancelled, SPIN_MICROS);
    }
  }

  /** Whether a frame is waiting on an input channel. */
  hasReadableInput(): boolean {
    for (let i = 0; i < this.inputs.length; i++) {
      if (!this.ended[i] && !this.inputs[i]!.ring.isEmpty()) return true;
    }
    return false;
  }
}
