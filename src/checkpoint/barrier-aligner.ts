// Checkpoint barrier alignment at an actor with several input channels (Flink's
// SingleCheckpointBarrierHandler and its BarrierHandlerState): a small state machine whose
// handlers return the next state. Exactly-once blocks each channel that delivered barrier n until
// every channel did, so the snapshot holds exactly the records before the barrier; at-least-once
// only counts the barriers and never blocks. Every channel delivers every barrier: an actor whose
// input ended stays alive and forwards barriers until the job's final checkpoint completed.

import type { CheckpointBarrier } from '../core/stream-element.js';

/** How checkpoints treat records that cross a barrier: aligned (exactly once) or not (at least once). */
export type CheckpointingMode = 'exactly-once' | 'at-least-once';

/** What the aligner may do to the input channels. */
export interface AlignmentInputs {
  /** Stops reading `channel` until `unblockAll` (the records behind its barrier belong to the next checkpoint). */
  block(channel: number): void;
  unblockAll(): void;
}

/** Every open channel delivered `barrier`: the actor snapshots now, then forwards the barrier. */
export interface AlignedBarrier {
  readonly barrier: CheckpointBarrier;
  /** From the first channel's barrier to the last's, ms. */
  readonly alignmentMs: number;
}

/** What the handlers see: the channels, the mode, and where a completed alignment goes. */
interface AlignmentContext {
  readonly mode: CheckpointingMode;
  readonly inputs: AlignmentInputs;
  readonly channels: number;
  /** The newest checkpoint aligned or aborted here: barriers up to it are stale. */
  newestSeen: number;
  aligned: AlignedBarrier | undefined;
}

/** One state of the aligner; each handler returns the state that follows. */
interface AlignerState {
  onBarrier(ctx: AlignmentContext, channel: number, barrier: CheckpointBarrier, now: number): AlignerState;
  /** Checkpoint `checkpointId` will not complete (timed out, declined elsewhere). */
  onAbort(ctx: AlignmentContext, checkpointId: number): AlignerState;
  /** The checkpoint being aligned, if any. */
  readonly pending: number | undefined;
}

/** No checkpoint in progress: the first barrier of a newer checkpoint starts one. */
class WaitingForFirstBarrier implements AlignerState {
  readonly pending = undefined;

  onBarrier(ctx: AlignmentContext, channel: number, barrier: CheckpointBarrier, now: number): AlignerState {
    if (barrier.checkpointId <= ctx.newestSeen) return this;
    ctx.newestSeen = barrier.checkpointId;
    return new CollectingBarriers(barrier, now, ctx.channels).onBarrier(ctx, channel, barrier, now);
  }

  onAbort(): AlignerState {
    return this;
  }
}

/** Some channels delivered barrier n: wait for the others (blocking those that did, in exactly-once mode). */
class CollectingBarriers implements AlignerState {
  private readonly arrived: boolean[];
  /** Channels whose barrier has not arrived yet. */
  private missing: number;

  constructor(
    private readonly barrier: CheckpointBarrier,
    private readonly startedAt: number,
    channels: number,
  ) {
    this.arrived = new Array<boolean>(channels).fill(false);
    this.missing = channels;
  }

  get pending(): number {
    return this.barrier.checkpointId;
  }

  onBarrier(ctx: AlignmentContext, channel: number, barrier: CheckpointBarrier, now: number): AlignerState {
    const id = barrier.checkpointId;
    if (id > this.barrier.checkpointId) {
      // A newer checkpoint overtook this one, which can no longer complete here.
      this.release(ctx);
      return WAITING.onBarrier(ctx, channel, barrier, now);
    }
    if (id < this.barrier.checkpointId || this.arrived[channel]) return this;
    this.arrived[channel] = true;
    if (--this.missing > 0) {
      if (ctx.mode === 'exactly-once') ctx.inputs.block(channel);
      return this;
    }
    if (ctx.mode === 'exactly-once') ctx.inputs.unblockAll();
    ctx.aligned = { barrier: this.barrier, alignmentMs: now - this.startedAt };
    return WAITING;
  }

  onAbort(ctx: AlignmentContext, checkpointId: number): AlignerState {
    if (checkpointId !== this.barrier.checkpointId) return this;
    this.release(ctx);
    return WAITING;
  }

  /** Releases the blocked channels of an alignment that will not complete. */
  private release(ctx: AlignmentContext): void {
    if (ctx.mode === 'exactly-once') ctx.inputs.unblockAll();
  }
}

const WAITING = new WaitingForFirstBarrier();

/**
 * The barrier handler of one actor's input gate. Feed it the barriers the gate reads; when every
 * channel delivered checkpoint n's barrier it returns the aligned barrier,
 * and the actor takes its snapshot. Barriers of checkpoints older than the newest seen are stale
 * and ignored; a newer barrier abandons the alignment in progress.
 */
export class BarrierAligner {
  private state: AlignerState = WAITING;
  private readonly ctx: AlignmentContext;

  constructor(channels: number, mode: CheckpointingMode, inputs: AlignmentInputs) {
    this.ctx = { mode, inputs, channels, newestSeen: 0, aligned: undefined };
  }

  /** The checkpoint being aligned, if any. */
  get pending(): number | undefined {
    return this.state.pending;
  }

  /** Barrier `barrier` arrived on `channel` at `now` (ms); returns the barrier to snapshot at, once aligned. */
  onBarrier(channel: number, barrier: CheckpointBarrier, now: number): AlignedBarrier | undefined {
    this.state = this.state.onBarrier(this.ctx, channel, barrier, now);
    return this.take();
  }

  /** Checkpoint `checkpointId` was aborted: stop aligning it and release the channels. */
  abort(checkpointId: number): void {
    this.state = this.state.onAbort(this.ctx, checkpointId);
    if (checkpointId > this.ctx.newestSeen) this.ctx.newestSeen = checkpointId;
  }

  private take(): AlignedBarrier | undefined {
    const aligned = this.ctx.aligned;
    this.ctx.aligned = undefined;
    return aligned;
  }
}
