// WindowedStream and AllWindowedStream: a keyed (or whole) stream cut into windows, configured
// with a trigger, allowed lateness and a late-data side output, then turned into a DataStream by
// reduce, aggregate or process (Flink's WindowedStream / AllWindowedStream).

import type { Key } from '../core/key-groups.js';
import type { OneInputOperator } from '../core/operator.js';
import type { Window } from '../operators/windows/time-window.js';
import { checkTrigger, type Trigger } from '../operators/windows/triggers/trigger.js';
import type { WindowAssigner } from '../operators/windows/window-assigner.js';
import type { WindowContentsSpec } from '../operators/windows/window-contents.js';
import {
  aggregatedEmitter,
  aggregatingListEmitter,
  processEmitter,
  reducedEmitter,
  reducingListEmitter,
  type ProcessWindowContext,
  type ProcessWindowFunction,
  type WindowEmitter,
} from '../operators/windows/window-functions.js';
import { windowOperatorFactory } from '../operators/windows/window-operator-factory.js';
import type { AggregateFunction } from '../core/state-descriptors.js';
import type { DataStream } from './data-stream.js';
import type { Collector } from '../core/functions.js';
import { OutputTag } from '../core/output-tag.js';
import { requireFunction } from '../core/validate.js';

/** Options of `reduce` on windows. */
export interface WindowReduceOptions {
  /**
   * Declares that `fn` is associative and commutative (a sum, min, max, count) and returns a new
   * value without modifying its arguments. Sliding windows then keep one partial result per pane
   * (a slice of gcd(size, slide) ms) and combine panes when a window fires, instead of updating
   * size/slide windows per record. Without it each window reduces its elements in arrival order,
   * exactly as Flink does, which functions such as a pairwise mean need.
   */
  readonly associative?: boolean;
}

/** `process` of a non-keyed window: the function without the key. */
export type ProcessAllWindowFunction<IN, OUT, W extends Window = Window> = (
  ctx: ProcessWindowContext<W>,
  elements: Iterable<IN>,
  out: Collector<OUT>,
) => void;

/** Adds the window operator node and returns its output stream. */
export type WindowNodeFactory<T> = <R>(type: string, name: string, needsEventTime: boolean, create: () => OneInputOperator<T, R>) => DataStream<R>;

/** What keyed and non-keyed windowed streams share: the window's configuration. */
abstract class WindowConfiguration<T, W extends Window> {
  private customTrigger: Trigger<T, W> | undefined;
  private lateness = 0;
  private lateTag: OutputTag<T> | undefined;

  protected constructor(
    private readonly assigner: WindowAssigner<T, W>,
    private readonly addNode: WindowNodeFactory<T>,
    private readonly node: { readonly type: string; readonly name: string },
    /** Count windows with a slide: keep only the last n elements (Flink's CountEvictor). */
    private readonly keepLast: number | undefined,
    trigger: Trigger<T, W> | undefined,
  ) {
    this.customTrigger = trigger;
  }

  /** Replaces the assigner's default trigger (session windows need one with `onMerge`). */
  trigger(trigger: Trigger<T, W>): this {
    checkTrigger(trigger, 'trigger(t)');
    if (this.assigner.isMerging && typeof trigger.onMerge !== 'function') {
      throw new TypeError(`${String(this.assigner)} merges windows, so its trigger needs an onMerge method; ${String(trigger)} has none.`);
    }
    this.customTrigger = trigger;
    return this;
  }

  /**
   * Keeps each event-time window's state `ms` after its end: a late element within that time is
   * added and fires the window again; later ones go to `sideOutputLateData` or are dropped.
   */
  allowedLateness(ms: number): this {
    if (!Number.isSafeInteger(ms) || ms < 0) {
      throw new RangeError(`allowedLateness(${String(ms)}): expected a whole number of milliseconds, 0 or more.`);
    }
    this.lateness = ms;
    return this;
  }

  /** Sends elements too late for all their windows to side output `tag` instead of dropping them. */
  sideOutputLateData(tag: OutputTag<T>): this {
    if (!(tag instanceof OutputTag)) throw new TypeError('sideOutputLateData expects an OutputTag: new OutputTag<T>("late").');
    this.lateTag = tag;
    return this;
  }

  protected reduceWith<R>(fn: (a: T, b: T) => T, emit: WindowEmitter<T, R, unknown, W>, options: WindowReduceOptions | undefined): DataStream<R> {
    requireFunction(fn, 'reduce');
    if (this.keepLast !== undefined) return this.build({ kind: 'list', keepLast: this.keepLast }, false, reducingListEmitter(fn, emit));
    return this.build({ kind: 'reduce', reduce: fn }, options?.associative === true, emit);
  }

  protected aggregateWith<ACC, R, S>(agg: AggregateFunction<T, ACC, R>, windowFn: ProcessWindowFunction<R, S, unknown, W> | undefined): DataStream<S> {
    for (const method of ['createAccumulator', 'add', 'getResult', 'merge'] as const) {
      requireFunction(agg?.[method], `aggregate: the AggregateFunction's ${method}`);
    }
    const emit = aggregatedEmitter(agg, windowFn);
    if (this.keepLast !== undefined) return this.build({ kind: 'list', keepLast: this.keepLast }, false, aggregatingListEmitter(agg, emit));
    return this.build({ kind: 'aggregate', aggregate: agg }, true, emit);
  }

  protected processWith<R>(fn: ProcessWindowFunction<T, R, unknown, W>): DataStream<R> {
    requireFunction(fn, 'process');
    return this.build({ kind: 'list', keepLast: this.keepLast }, false, processEmitter(fn));
  }

  private build<ACC, R>(contents: WindowContentsSpec<T, ACC>, combinable: boolean, emit: WindowEmitter<ACC, R, unknown, W>): DataStream<R> {
    const create = windowOperatorFactory<T, ACC, R, Key, W>({
      assigner: this.assigner,
      trigger: this.customTrigger,
      allowedLateness: this.lateness,
      lateDataTag: this.lateTag?.id,
      contents,
      combinable,
      emit,
    });
    const trigger = this.customTrigger ?? this.assigner.defaultTrigger();
    return this.addNode<R>(this.node.type, `${this.node.name}(${String(this.assigner)}, ${String(trigger)})`, this.assigner.isEventTime, create);
  }
}

/**
 * A keyed stream cut into windows (`keyBy(...).window(assigner)` or `countWindow(n)`). Configure
 * it, then give the window function. AggregateFunction objects and triggers are shared by the
 * subtasks on a thread: keep state in accumulators and trigger state, not in their fields.
 */
export class WindowedStream<T, K extends Key, W extends Window> extends WindowConfiguration<T, W> {
  /** @internal Made by `KeyedStream.window` and `countWindow`. */
  constructor(assigner: WindowAssigner<T, W>, addNode: WindowNodeFactory<T>, keepLast?: number, trigger?: Trigger<T, W>) {
    super(assigner, addNode, { type: windowNodeType(false, assigner), name: 'Window' }, keepLast, trigger);
  }

  /**
   * One value per key and window, `acc = fn(acc, next)` in arrival order; emits it (or what
   * `windowFn` makes of it) when the window fires. See {@link WindowReduceOptions} for sharing
   * panes between sliding windows.
   */
  reduce(fn: (a: T, b: T) => T, options?: WindowReduceOptions): DataStream<T>;
  reduce<R>(fn: (a: T, b: T) => T, windowFn: ProcessWindowFunction<T, R, K, W>, options?: WindowReduceOptions): DataStream<R>;
  reduce<R>(
    fn: (a: T, b: T) => T,
    windowFnOrOptions?: ProcessWindowFunction<T, R, K, W> | WindowReduceOptions,
    options?: WindowReduceOptions,
  ): DataStream<R> {
    if (typeof windowFnOrOptions === 'function') {
      return this.reduceWith(fn, reducedEmitter(windowFnOrOptions as ProcessWindowFunction<T, R, unknown, W>), options);
    }
    return this.reduceWith(fn, reducedEmitter<T, R, unknown, W>(undefined), windowFnOrOptions ?? options);
  }

  /**
   * Incremental aggregation per key and window; emits `getResult(acc)` (or what `windowFn` makes
   * of it) when the window fires. Sliding windows share panes: `merge(a, b)` combines pane
   * partials and may update `a` but must leave `b` unchanged.
   */
  aggregate<ACC, R>(agg: AggregateFunction<T, ACC, R>): DataStream<R>;
  aggregate<ACC, R, S>(agg: AggregateFunction<T, ACC, R>, windowFn: ProcessWindowFunction<R, S, K, W>): DataStream<S>;
  aggregate<ACC, R, S>(agg: AggregateFunction<T, ACC, R>, windowFn?: ProcessWindowFunction<R, S, K, W>): DataStream<S> {
    return this.aggregateWith(agg, windowFn as ProcessWindowFunction<R, S, unknown, W> | undefined);
  }

  /** Buffers every element of a window and runs `fn` over them when it fires. */
  process<R>(fn: ProcessWindowFunction<T, R, K, W>): DataStream<R> {
    return this.processWith(fn as ProcessWindowFunction<T, R, unknown, W>);
  }
}

/** The whole stream cut into windows (`windowAll`): one subtask, functions without a key. */
export class AllWindowedStream<T, W extends Window> extends WindowConfiguration<T, W> {
  /** @internal Made by `DataStream.windowAll`. */
  constructor(assigner: WindowAssigner<T, W>, addNode: WindowNodeFactory<T>) {
    super(assigner, addNode, { type: windowNodeType(true, assigner), name: 'WindowAll' }, undefined, undefined);
  }

  reduce(fn: (a: T, b: T) => T, options?: WindowReduceOptions): DataStream<T>;
  reduce<R>(fn: (a: T, b: T) => T, windowFn: ProcessAllWindowFunction<T, R, W>, options?: WindowReduceOptions): DataStream<R>;
  reduce<R>(
    fn: (a: T, b: T) => T,
    windowFnOrOptions?: ProcessAllWindowFunction<T, R, W> | WindowReduceOptions,
    options?: WindowReduceOptions,
  ): DataStream<R> {
    if (typeof windowFnOrOptions === 'function') return this.reduceWith(fn, reducedEmitter(withoutKey(windowFnOrOptions)), options);
    return this.reduceWith(fn, reducedEmitter<T, R, unknown, W>(undefined), windowFnOrOptions ?? options);
  }

  aggregate<ACC, R>(agg: AggregateFunction<T, ACC, R>): DataStream<R>;
  aggregate<ACC, R, S>(agg: AggregateFunction<T, ACC, R>, windowFn: ProcessAllWindowFunction<R, S, W>): DataStream<S>;
  aggregate<ACC, R, S>(agg: AggregateFunction<T, ACC, R>, windowFn?: ProcessAllWindowFunction<R, S, W>): DataStream<S> {
    return this.aggregateWith(agg, windowFn === undefined ? undefined : withoutKey(windowFn));
  }

  process<R>(fn: ProcessAllWindowFunction<T, R, W>): DataStream<R> {
    requireFunction(fn, 'process');
    return this.processWith(withoutKey(fn));
  }
}

function withoutKey<IN, OUT, W extends Window>(fn: ProcessAllWindowFunction<IN, OUT, W>): ProcessWindowFunction<IN, OUT, unknown, W> {
  requireFunction(fn, 'the window function');
  return (_key, ctx, elements, out) => fn(ctx, elements, out);
}

/** The node type of a window operator: `window:event-time`, `window-all:processing-time` ... */
export function windowNodeType(all: boolean, assigner: WindowAssigner<never, Window>): string {
  return `${all ? 'window-all' : 'window'}:${assigner.isEventTime ? 'event-time' : 'processing-time'}`;
}
