// One subtask as an actor: a long-lived async loop that reads its input rings (or polls its
// source reader), pushes records through its operator chain, flushes partial batches whenever its
// input is drained, takes its part in checkpoints, waits on its doorbell when there is nothing to
// do, and yields the thread to the other actors placed on it.

import { setImmediate as yieldToEventLoop } from 'node:timers/promises';
import { assertNever, StreamError } from '../core/errors.js';
import { NO_TIMESTAMP } from '../core/operator.js';
import type { InputStatus, SourceReader } from '../core/source.js';
import type { ProcessingTimeScheduler } from '../time/processing-time-scheduler.js';
import type { ActorCheckpoints } from './actor-checkpoints.js';
import type { Doorbells } from './channels/doorbell.js';
import type { InputGate } from './input-gate.js';
import type { Downstream } from './downstream.js';
import type { OperatorChain } from './operator-chain.js';
import type { SourceOutput } from './source-output.js';
import { attributed, OperatorFailure } from './operator-failure.js';
import type { Backlog } from './record-writer.js';
import type { ActorTimes } from './thread-task.js';

/** Microseconds an actor spins before it sleeps: a thread wake-up costs ~25 µs, a spin hand-off < 1 µs. */
const SPIN_MICROS = 20;
/** Input frames (or source polls) between two yields of the thread to neighbouring actors. */
const YIELD_EVERY = 8;
/**
 * Milliseconds after which an actor yields the thread whatever the count: a checkpoint trigger or
 * a cancel arrives as a message, read only when the thread yields, so slow polls (a slow user
 * function) must not hold it for eight polls.
 */
const YIELD_AFTER_MS = 5;

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
  private polls = 0;
  private yieldedAt = performance.now();
  private readonly startedAt = performance.now();
  /** Time asleep for want of input (or of a source's data), ms. */
  private idleMs = 0;
  /** Time waiting for room in a full output ring, ms. */
  private backPressuredMs = 0;

  constructor(
    readonly index: number,
    private readonly chain: OperatorChain,
    /** The actor's input channels; a source actor has none. */
    private readonly gate: InputGate,
    /** A source actor's reader, and the output its records go to. */
    private readonly source: { readonly reader: SourceReader<unknown>; readonly output: SourceOutput } | undefined,
    private readonly bells: Doorbells,
    private readonly backlog: Backlog,
    private readonly pending: PendingWork,
    private readonly token: ThreadContext,
    private readonly vertexId: number,
    private readonly time: ProcessingTimeScheduler,
    /** The actor's part in checkpoints, when the job checkpoints. */
    private readonly checkpoints: ActorCheckpoints | undefined,
    /** Tells the master a checkpointing actor's input ended and all it emits is out. */
    private readonly onInputEnded: () => void,
  ) {
    // Made once: an actor idles once per record at low rates, and each closure made there is garbage.
    this.quiet = () => !token.cancelled && !(checkpoints?.hasWork ?? false);
    this.inputsIdle = () => !gate.hasReadableInput() && this.quiet();
    this.sourceIdle = () => !source!.reader.hasInput!() && this.quiet();
  }

  /** No cancel and no checkpoint work: an idle actor may sleep on. */
  private readonly quiet: () => boolean;
  /** Nothing to read on the input channels, and quiet. */
  private readonly inputsIdle: () => boolean;
  /** Nothing pushed to a reader fed through the doorbell, and quiet. */
  private readonly sourceIdle: () => boolean;

  /** Runs the subtask to the end of its input, or until the job is cancelled. */
  async run(): Promise<void> {
    await this.chain.open();
    const source = this.source;
    const finished = source === undefined ? await this.readInputs() : await this.readSource(source.reader, source.output);
    source?.output.close();
    if (finished) {
      if (source !== undefined) this.chain.emitWatermark(Number.POSITIVE_INFINITY);
      await this.chain.endInput();
      await this.pending.drain();
      this.chain.flushBuffers();
      this.chain.endOutputs();
      await this.drainBacklog();
      if (this.checkpoints !== undefined) await this.untilFinalCheckpoint(this.checkpoints);
    }
    // Checkpoints that completed before a stop still commit (a stop-with-savepoint's above all).
    await this.checkpoints?.runCompletions();
    await this.pending.drain();
    await this.chain.close();
    await source?.reader.close?.();
    await this.checkpoints?.drainWrites();
  }

  /** Processes what the input gate hands out until every channel ended (true) or the job is cancelled (false). */
  private async readInputs(): Promise<boolean> {
    const gate = this.gate;
    while (!this.token.cancelled) {
      const element = gate.poll();
      if (element === null) {
        await this.idle(this.inputsIdle);
        continue;
      }
      switch (element.kind) {
        case 'records':
          await this.processBatch(element.values, element.timestamps, element.keyGroups, this.chain.inputs[element.input]!);
          gate.watchEventTime();
          break;
        case 'watermark':
          this.chain.emitWatermark(element.timestamp);
          break;
        case 'watermark-status':
          this.chain.emitWatermarkStatus(element.idle);
          break;
        case 'checkpoint':
          await this.checkpoints!.snapshot(element.barrier, element.alignmentMs);
          break;
        case 'end-of-input':
          return true;
        default:
          assertNever(element);
      }
      await this.afterStep();
    }
    return false;
  }

  /** Polls the source reader until it ends (true) or the job is cancelled (false). */
  private async readSource(reader: SourceReader<unknown>, output: SourceOutput): Promise<boolean> {
    while (!this.token.cancelled) {
      let status: InputStatus;
      try {
        status = reader.pollNext(output);
      } catch (error) {
        throw error instanceof OperatorFailure ? error : new OperatorFailure(this.chain.headNodeId, error);
      }
      if (!this.pending.isEmpty) await this.pending.drain();
      switch (status) {
        case 'more-available':
          await this.afterStep();
          break;
        case 'nothing-available':
          // A reader fed through the doorbell (the main thread pushes) idles like a channel reader.
          if (reader.hasInput !== undefined) await this.idle(this.sourceIdle);
          else await this.idle(this.quiet, attributed(this.chain.headNodeId, () => reader.isAvailable()));
          break;
        case 'end-of-input':
          return true;
        default:
          assertNever(status);
      }
    }
    return false;
  }

  private async processBatch(values: unknown[], timestamps: Float64Array | null, keyGroups: Uint16Array | null, input: Downstream): Promise<void> {
    const pending = this.pending;
    const received = this.chain.receivedKeyGroup;
    for (let i = 0; i < values.length; i++) {
      received.value = keyGroups === null ? -1 : keyGroups[i]!;
      input.collect(values[i], timestamps === null ? NO_TIMESTAMP : timestamps[i]!);
      if (!pending.isEmpty) await pending.drain();
    }
  }

  /**
   * A checkpointing job's actor whose input ended: it stays to take part in checkpoints (a source
   * emits their barriers, the others forward them from their ended channels) until the final
   * checkpoint, taken once every actor got here, completed. Timers no longer fire: nothing may
   * be emitted after the end of input.
   */
  private async untilFinalCheckpoint(checkpoints: ActorCheckpoints): Promise<void> {
    this.onInputEnded();
    const gate = this.source === undefined ? this.gate : undefined;
    while (!this.token.cancelled && !checkpoints.finished) {
      const element = gate?.poll() ?? null;
      if (element !== null) {
        if (element.kind !== 'checkpoint') throw new StreamError('INTERNAL', `A ${element.kind} element came after the end of input`, { domain: 'internal' });
        await checkpoints.snapshot(element.barrier, element.alignmentMs);
        continue;
      }
      await checkpoints.runPending();
      this.chain.flushBuffers();
      await this.drainBacklog();
      if (checkpoints.finished || this.token.cancelled) break;
      const asleep = performance.now();
      await this.bells.sleep(this.index, () => !checkpoints.hasWork && !checkpoints.finished && !this.token.cancelled && !(gate?.hasReadableInput() ?? false), SPIN_MICROS);
      this.idleMs += performance.now() - asleep;
    }
  }

  /**
   * After each frame or poll: fire due timers, wait out a full output ring, let neighbouring
   * actors run and messages arrive, then do what checkpoints asked (a trigger that came while
   * the thread yielded is taken before the next poll).
   */
  private async afterStep(): Promise<void> {
    this.time.fireDue();
    if (!this.backlog.isEmpty) await this.drainBacklog();
    if (++this.polls % YIELD_EVERY === 0 || this.token.downstreamHasInput(this.vertexId) || performance.now() - this.yieldedAt >= YIELD_AFTER_MS) {
      await yieldToEventLoop();
      this.yieldedAt = performance.now();
    }
    if (this.checkpoints?.hasWork) await this.checkpoints.runPending();
  }


  /**
   * Nothing to read: hand on partial batches (so records never wait for more records), then
   * sleep while `stillIdle()` until a producer rings, or `wake` resolves (a source has data
   * again). `stillIdle` also says the actor is quiet (see `quiet`). Runs once per
   * wake-up of an actor at low rates: what it awaits only when there is something to wait for
   * (an await allocates, and garbage here is GC pauses in the latency of single records).
   */
  private async idle(stillIdle: () => boolean, wake?: Promise<void>): Promise<void> {
    this.chain.flushBuffers();
    if (!this.pending.isEmpty) await this.pending.drain();
    if (!this.backlog.isEmpty) await this.drainBacklog();
    if (this.token.cancelled) return;
    const checkpoints = this.checkpoints;
    if (wake === undefined) {
      const asleep = performance.now();
      await this.bells.sleep(this.index, stillIdle, SPIN_MICROS, this.time.msUntilNext());
      this.idleMs += performance.now() - asleep;
      this.time.fireDue();
      if (checkpoints?.hasWork) await checkpoints.runPending();
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
    // A checkpoint's barrier does not wait for the source's next records: the caller polls again after it.
    const asleep = performance.now();
    while (!woken && !this.token.cancelled && !(checkpoints?.hasWork ?? false)) {
      await this.bells.sleep(this.index, () => !woken && !this.token.cancelled && !(checkpoints?.hasWork ?? false), 0, this.time.msUntilNext());
      this.time.fireDue();
    }
    this.idleMs += performance.now() - asleep;
    if (failure !== undefined) throw failure;
    if (checkpoints?.hasWork) await checkpoints.runPending();
  }

  /** Waits until every frame queued for a full ring was written. */
  private async drainBacklog(): Promise<void> {
    if (this.backlog.tryDrain()) return;
    const waiting = performance.now();
    while (!this.backlog.tryDrain() && !this.token.cancelled) {
      await this.bells.sleep(this.index, () => !this.backlog.tryDrain() && !this.token.cancelled, SPIN_MICROS);
    }
    this.backPressuredMs += performance.now() - waiting;
  }

  /** Where the actor's time went since it started. */
  times(): ActorTimes {
    return { elapsedMs: performance.now() - this.startedAt, idleMs: this.idleMs, backPressuredMs: this.backPressuredMs };
  }

  /** Whether a frame is waiting on an input channel. */
  hasReadableInput(): boolean {
    return this.gate.hasReadableInput();
  }
}
