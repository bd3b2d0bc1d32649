// The functions of Flink's WindowOperatorTest, for porting its cases with their exact inputs and
// outputs: records are (key, value) pairs, results are compared sorted as Flink's harness does.

import assert from 'node:assert/strict';
import type { Collector } from '../../../src/core/functions.js';
import type { HarnessRecord } from '../../../src/testing/harness.js';
import type { ProcessWindowContext } from '../../../src/operators/windows/window-functions.js';
import type { TimeWindow, Window } from '../../../src/operators/windows/time-window.js';

/** Flink's Tuple2<String, Integer>. */
export type Pair = [key: string, value: number];
/** Flink's Tuple3<String, Long, Long>: "key-sum", window start, window end. */
export type Session = [label: string, start: number, end: number];

export const keyOf = (pair: Pair): string => pair[0];

/** Flink's SumReducer: `(value2.f0, value1.f1 + value2.f1)`. */
export const sumReducer = (a: Pair, b: Pair): Pair => [b[0], a[1] + b[1]];

/** Flink's RichSumReducer as a process function: (key, sum of the window's values). */
export function sumProcess(key: string, _ctx: ProcessWindowContext<Window>, elements: Iterable<Pair>, out: Collector<Pair>): void {
  let sum = 0;
  for (const [, value] of elements) sum += value;
  out.collect([key, sum]);
}

/** Flink's SessionWindowFunction: ("key-sum", start, end). */
export function sessionProcess(key: string, ctx: ProcessWindowContext<TimeWindow>, elements: Iterable<Pair>, out: Collector<Session>): void {
  let sum = 0;
  for (const [, value] of elements) sum += value;
  out.collect([`${key}-${sum}`, ctx.window.start, ctx.window.end]);
}

/** Flink's ReducedSessionWindowFunction: ("key-value", start, end) per reduced value. */
export function reducedSession(key: string, ctx: ProcessWindowContext<TimeWindow>, elements: Iterable<Pair>, out: Collector<Session>): void {
  for (const [, value] of elements) out.collect([`${key}-${value}`, ctx.window.start, ctx.window.end]);
}

/** A record as Flink's tests write `new StreamRecord<>(value, timestamp)`. */
export function rec<T>(value: T, timestamp: number): HarnessRecord<T> {
  return { value, timestamp };
}

function compare(a: unknown, b: unknown): number {
  if (typeof a === 'number' && typeof b === 'number') return a - b;
  return String(a) < String(b) ? -1 : String(a) > String(b) ? 1 : 0;
}

/** Flink's Tuple2ResultSortComparator / Tuple3ResultSortComparator: by timestamp, then fields. */
export function sorted<T extends unknown[]>(records: readonly HarnessRecord<T>[]): HarnessRecord<T>[] {
  return [...records].sort((x, y) => {
    if (x.timestamp !== y.timestamp) return (x.timestamp ?? 0) - (y.timestamp ?? 0);
    for (let i = 0; i < x.value.length; i++) {
      const c = compare(x.value[i], y.value[i]);
      if (c !== 0) return c;
    }
    return 0;
  });
}

/** What the stepwise assertions need of a harness. */
interface Steppable<R> {
  clearOutput(): void;
  processWatermark(watermark: number): void;
  output(): HarnessRecord<R>[];
  watermarks(): number[];
}

/**
 * Feeds `watermark` and checks that exactly `expected` came out (compared sorted, as Flink's
 * `assertOutputEqualsSorted`), before the watermark itself.
 */
export function watermarkEmits<R extends unknown[]>(h: Steppable<R>, watermark: number, expected: HarnessRecord<R>[]): void {
  h.clearOutput();
  h.processWatermark(watermark);
  assert.deepEqual(sorted(h.output()), sorted(expected), `output at watermark ${watermark}`);
  assert.deepEqual(h.watermarks(), [watermark]);
}
