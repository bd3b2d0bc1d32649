// The user functions of windowed streams (ProcessWindowFunction and its context) and how each way
// of keeping a window's contents is turned into output when the window fires.

import type { Collector } from '../../core/functions.js';
import type { OutputTag } from '../../core/output-tag.js';
import type { AggregateFunction } from '../../core/state-descriptors.js';
import type { Window } from './time-window.js';

/** What a ProcessWindowFunction learns about the window it runs for. */
export interface ProcessWindowContext<W extends Window = Window> {
  /** The window that fired. Its results carry timestamp `window.maxTimestamp()`. */
  readonly window: W;
  /** The operator's watermark when the window fired. */
  readonly currentWatermark: number;
  /** The processing-time clock when the window fired. */
  readonly currentProcessingTime: number;
  /** Emits `value` to side output `tag` (read with `getSideOutput(tag)`), at `window.maxTimestamp()`. */
  output<X>(tag: OutputTag<X>, value: X): void;
}

/**
 * Runs once per firing of a window with its key, its context and its elements (all of them for
 * `process`; the single pre-aggregated result after `reduce` or `aggregate`). Emit with
 * `out.collect`. Called in arrival order, never concurrently.
 */
export type ProcessWindowFunction<IN, OUT, K, W extends Window = Window> = (
  key: K,
  ctx: ProcessWindowContext<W>,
  elements: Iterable<IN>,
  out: Collector<OUT>,
) => void;

/**
 * Emits a fired window: receives the window's contents (a reduced value, an accumulator or the
 * element list) and writes the results to `out`.
 */
export type WindowEmitter<ACC, OUT, K, W extends Window> = (
  key: K,
  contents: ACC,
  ctx: ProcessWindowContext<W>,
  out: Collector<OUT>,
) => void;

/** `reduce(fn, windowFn?)`: the reduced value itself, or `windowFn` over it. */
export function reducedEmitter<T, OUT, K, W extends Window>(windowFn: ProcessWindowFunction<T, OUT, K, W> | undefined): WindowEmitter<T, OUT, K, W> {
  if (windowFn === undefined) return (_key, value, _ctx, out) => (out as Collector<unknown>).collect(value);
  return (key, value, ctx, out) => windowFn(key, ctx, [value], out);
}

/** `aggregate(agg, windowFn?)`: `getResult(accumulator)`, or `windowFn` over it. */
export function aggregatedEmitter<IN, ACC, R, OUT, K, W extends Window>(
  agg: AggregateFunction<IN, ACC, R>,
  windowFn: ProcessWindowFunction<R, OUT, K, W> | undefined,
): WindowEmitter<ACC, OUT, K, W> {
  if (windowFn === undefined) return (_key, acc, _ctx, out) => (out as Collector<unknown>).collect(agg.getResult(acc));
  return (key, acc, ctx, out) => windowFn(key, ctx, [agg.getResult(acc)], out);
}

/** `process(fn)`: the function over every element of the window. */
export function processEmitter<T, OUT, K, W extends Window>(fn: ProcessWindowFunction<T, OUT, K, W>): WindowEmitter<readonly T[], OUT, K, W> {
  return (key, elements, ctx, out) => fn(key, ctx, elements, out);
}

/**
 * `reduce` over buffered elements, then `emit` of the reduced value (count windows with a slide
 * keep the last n elements and reduce them at each firing, as Flink's evicting operator does).
 */
export function reducingListEmitter<T, OUT, K, W extends Window>(
  reduce: (a: T, b: T) => T,
  emit: WindowEmitter<T, OUT, K, W>,
): WindowEmitter<readonly T[], OUT, K, W> {
  return (key, elements, ctx, out) => {
    let acc = elements[0] as T;
    for (let i = 1; i < elements.length; i++) acc = reduce(acc, elements[i]!);
    emit(key, acc, ctx, out);
  };
}

/** `aggregate` over buffered elements, then `emit` of the accumulator (count windows with a slide). */
export function aggregatingListEmitter<IN, ACC, OUT, K, W extends Window>(
  agg: AggregateFunction<IN, ACC, unknown>,
  emit: WindowEmitter<ACC, OUT, K, W>,
): WindowEmitter<readonly IN[], OUT, K, W> {
  return (key, elements, ctx, out) => {
    let acc = agg.createAccumulator();
    for (const element of elements) acc = agg.add(element, acc);
    emit(key, acc, ctx, out);
  };
}
