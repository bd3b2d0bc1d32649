// The input side of a task actor (Flink's CheckpointedInputGate): reads its channels round-robin,
// decodes frames, combines the channels' watermarks and idleness in the valve, tracks which
// channels ended, aligns checkpoint barriers (the barrier aligner, between the channels and
// processing, blocks channels), and hands the actor one stream element at a time.

import { BarrierAligner, type AlignedBarrier, type CheckpointingMode } from '../checkpoint/barrier-aligner.js';
import { assertNever, StreamError } from '../core/errors.js';
import type { Logger } from '../core/log.js';
import { END_OF_INPUT, type EndOfInput, type Watermark, type WatermarkStatus } from '../core/stream-element.js';
import { STALL_WARNING_MS, WatermarkStallDetector } from '../time/watermark-stall.js';
import { WatermarkValve } from '../time/watermark-valve.js';
import { BatchDecoder } from './channels/batch-codec.js';
import { decodeControl } from './channels/control-codec.js';
import type { Doorbells } from './channels/doorbell.js';
import { FrameKind, type ControlFrameKind } from './channels/frame-kinds.js';
import { releaseFrame } from './channels/release-frame.js';
import type { RingBuffer } from './channels/ring-buffer.js';

export interface InputChannel {
  readonly ring: RingBuffer;
  readonly producerActor: number;
  /** Which input of the head operator the channel feeds (two-input operators have two). */
  readonly inputIndex: number;
  /** The producer, for diagnostics: `"Source" (subtask 2 of 4)`. */
  readonly producer: string;
}

/** Records from one channel, for one input of the head operator. */
export interface ChannelRecords {
  readonly kind: 'records';
  readonly values: unknown[];
  readonly timestamps: Float64Array | null;
  /** The key group the sender hashed each record to (a keyed edge), else null. */
  readonly keyGroups: Uint16Array | null;
  /** The head operator's input the records are for. */
  readonly input: number;
}

/** Every channel delivered a checkpoint's barrier: the actor snapshots now, then forwards it. */
export interface AlignedCheckpoint extends AlignedBarrier {
  readonly kind: 'checkpoint';
}

/**
 * What the gate hands the actor: records; the combined watermark when it advanced; the combined
 * status when every channel went idle or one became active again; a checkpoint whose barrier
 * every channel delivered; the end of every channel.
 */
export type GateElement = ChannelRecords | Watermark | WatermarkStatus | AlignedCheckpoint | EndOfInput;

export class InputGate {
  private readonly decoder = new BatchDecoder();
  private readonly valve: WatermarkValve;
  private readonly stall: WatermarkStallDetector;
  private readonly ended: boolean[];
  /** Channels a barrier handler holds back (checkpoint alignment): not read until unblocked. */
  private readonly blocked: boolean[];
  private open: number;
  private next = 0;
  /** Elements decoded from the last frame and not handed out yet (a frame may make two). */
  private readonly pending: GateElement[] = [];
  /** Aligns barriers when the job checkpoints; without checkpoints a barrier is an internal error. */
  private readonly aligner: BarrierAligner | undefined;

  constructor(
    private readonly channels: readonly InputChannel[],
    private readonly bells: Doorbells,
    private readonly clock: () => number,
    /** The actor's name, for the stalled-watermark warning. */
    private readonly name: string,
    checkpointing: CheckpointingMode | undefined,
    /** The actor's log (its operator and subtask fields), where the stalled-watermark warning goes. */
    private readonly log: () => Logger,
  ) {
    this.aligner = checkpointing === undefined ? undefined : new BarrierAligner(channels.length, checkpointing, this);
    this.valve = new WatermarkValve(channels.length);
    this.stall = new WatermarkStallDetector(clock());
    this.ended = channels.map(() => false);
    this.blocked = channels.map(() => false);
    this.open = channels.length;
  }

  /** Whether every channel ended. */
  get isFinished(): boolean {
    return this.open === 0;
  }

  /**
   * The next element, reading the channels round-robin from where the last read stopped, or
   * null when no unblocked channel has a frame waiting. A frame that changes nothing the actor
   * sees (a watermark that does not advance the minimum) is consumed and skipped. Channels that
   * ended are still read: a checkpointing job's actors forward barriers until its final checkpoint.
   */
  poll(): GateElement | null {
    if (this.pending.length > 0) return this.pending.shift()!;
    const count = this.channels.length;
    for (let tried = 0; tried < count; tried++) {
      const channel = this.next;
      this.next = channel + 1 === count ? 0 : channel + 1;
      if (this.blocked[channel]) continue;
      const frame = this.channels[channel]!.ring.tryRead();
      if (frame === null) continue;
      this.onFrame(channel, frame.kind, frame.payload);
      if (this.pending.length > 0) return this.pending.shift()!;
      tried = -1;
    }
    return null;
  }

  /** Stops reading `channel` until `unblockAll` (a barrier arrived on it first). */
  block(channel: number): void {
    this.blocked[channel] = true;
  }

  unblockAll(): void {
    this.blocked.fill(false);
  }

  /** Whether a frame is waiting on an unblocked channel. */
  hasReadableInput(): boolean {
    for (let i = 0; i < this.channels.length; i++) {
      if (!this.blocked[i] && !this.channels[i]!.ring.isEmpty()) return true;
    }
    return false;
  }

  /** Checkpoint `checkpointId` was aborted: stop aligning it. */
  abortCheckpoint(checkpointId: number): void {
    this.aligner?.abort(checkpointId);
  }

  /** Warns once when records arrive but one input holds event time back (see WatermarkStallDetector). */
  watchEventTime(): void {
    const valve = this.valve;
    const channel = this.stall.onRecord(this.clock(), (c) => valve.channelWatermark(c), this.channels.length, (c) => valve.isChannelIdle(c) || this.ended[c]!);
    if (channel === undefined) return;
    const watermark = valve.channelWatermark(channel);
    this.log().warn(
      { code: 'EDDY_WATERMARK_STALLED', input: this.channels[channel]!.producer, watermark, stalledMs: STALL_WARNING_MS },
      `The watermark of "${this.name}" has not advanced for ${STALL_WARNING_MS / 1000} s while records keep arriving: ` +
        `its input from ${this.channels[channel]!.producer} is at ${watermark} while others moved on. ` +
        'A source subtask without data holds event time back; give its WatermarkStrategy .withIdleness(ms).',
    );
  }

  /** Decodes a frame of `channel` into what the actor sees of it (none, one or two elements). */
  private onFrame(channel: number, kind: number, payload: Uint8Array): void {
    const pending = this.pending;
    if (this.ended[channel] && kind !== FrameKind.BARRIER) {
      throw new StreamError('INTERNAL', `A frame of kind ${kind} came after the end of input on the channel from ${this.channels[channel]!.producer}`, { domain: 'internal' });
    }
    if (kind === FrameKind.DATA) {
      const { values, timestamps, keyGroups } = this.decoder.decode(payload);
      this.release(channel);
      pending.push({ kind: 'records', values, timestamps, keyGroups, input: this.channels[channel]!.inputIndex });
      return;
    }
    if (kind !== FrameKind.WATERMARK && kind !== FrameKind.WATERMARK_STATUS && kind !== FrameKind.BARRIER && kind !== FrameKind.END_OF_INPUT) {
      throw new StreamError('INTERNAL', `Unexpected frame kind ${kind} on an input channel`, { domain: 'internal' });
    }
    const element = decodeControl(kind as ControlFrameKind, payload);
    this.release(channel);
    switch (element.kind) {
      case 'watermark':
        this.advanced(this.valve.onWatermark(channel, element.timestamp));
        return;
      case 'watermark-status': {
        const wasIdle = this.valve.isIdle;
        // A channel going idle may release the watermark it held back: that goes first.
        this.advanced(this.valve.onStatus(channel, element.idle));
        if (this.valve.isIdle !== wasIdle) pending.push({ kind: 'watermark-status', idle: this.valve.isIdle });
        return;
      }
      case 'barrier': {
        if (this.aligner === undefined) {
          throw new StreamError('INTERNAL', `Checkpoint barrier ${element.checkpointId} arrived, but this job does not checkpoint.`, { domain: 'internal' });
        }
        const aligned = this.aligner.onBarrier(channel, element, this.clock());
        if (aligned !== undefined) pending.push({ kind: 'checkpoint', ...aligned });
        return;
      }
      case 'end-of-input':
        this.ended[channel] = true;
        this.open--;
        this.advanced(this.valve.onEndOfInput(channel));
        if (this.open === 0) pending.push(END_OF_INPUT);
        return;
      default:
        assertNever(element);
    }
  }

  /** The combined watermark moved (`null`: it did not). */
  private advanced(watermark: number | null): void {
    if (watermark === null) return;
    this.stall.onAdvance(this.clock());
    this.pending.push({ kind: 'watermark', timestamp: watermark });
  }

  /** Frees the frame just read from `channel` (see `releaseFrame`). */
  private release(channel: number): void {
    const input = this.channels[channel]!;
    releaseFrame(input.ring, this.bells, input.producerActor);
  }
}
