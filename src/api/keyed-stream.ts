// KeyedStream: a stream partitioned by key (DataStream.keyBy), with keyed state, timers, rolling
// aggregations and windows per key; also DataStream.windowAll, a window over the whole stream
// (keyed by one constant key). Adds keyBy and windowAll to DataStream.

import { ProcessFunction, type KeyedProcessFunction } from '../core/functions.js';
import type { StreamInput, StreamNode } from '../core/job-plan.js';
import type { Key } from '../core/key-groups.js';
import type { OneInputOperator } from '../core/operator.js';
import { requireFunction, requirePositiveInteger } from '../core/validate.js';
import { cloneFunction } from '../operators/clone-function.js';
import { aggregationFirst, aggregationReducer, type Aggregation, type FieldRef } from '../operators/keyed-aggregations.js';
import { KeyedProcessOperator } from '../operators/keyed-process.js';
import { KeyedReduceOperator } from '../operators/keyed-reduce.js';
import { GlobalWindows } from '../operators/windows/assigners/global.js';
import type { GlobalWindow, Window } from '../operators/windows/time-window.js';
import { CountTrigger } from '../operators/windows/triggers/count-trigger.js';
import { PurgingTrigger } from '../operators/windows/triggers/purging-trigger.js';
import type { WindowAssigner } from '../operators/windows/window-assigner.js';
import { DataStream } from './data-stream.js';
import type { JobBuilder } from './job-builder.js';
import { AllWindowedStream, WindowedStream, type WindowNodeFactory } from './windowed-stream.js';

declare module './data-stream.js' {
  interface DataStream<T> {
    /**
     * Partitions by key: records with equal keys go to the same subtask, in order. A key is a
     * string, number, bigint, or an array of strings and numbers.
     */
    keyBy<K extends Key>(fn: (value: T) => K): KeyedStream<T, K>;
    /**
     * Cuts the whole stream into windows, evaluated by one subtask (parallelism 1), as Flink's
     * windowAll. Prefer `keyBy(...).window(...)`, which runs in parallel, when records have a key.
     */
    windowAll<W extends Window>(assigner: WindowAssigner<T, W>): AllWindowedStream<T, W>;
  }
}

DataStream.prototype.keyBy = function keyBy<T, K extends Key>(this: DataStream<T>, fn: (value: T) => K): KeyedStream<T, K> {
  requireFunction(fn, 'keyBy');
  const keySelector = fn as (value: unknown) => unknown;
  return new KeyedStream<T, K>(this.env, this.partitioned({ kind: 'hash', keySelector }), this.lastNode, fn);
};

DataStream.prototype.windowAll = function windowAll<T, W extends Window>(this: DataStream<T>, assigner: WindowAssigner<T, W>): AllWindowedStream<T, W> {
  checkAssigner(assigner, 'windowAll');
  const constantKey = (): number => 0;
  const all = this.keyBy(constantKey);
  return new AllWindowedStream<T, W>(assigner, (type, name, needsEventTime, create) =>
    windowOperator(all, type, name, needsEventTime, create, constantKey).setParallelism(1),
  );
};

/** Adds a window operator node reading `stream`, keyed by `keySelector`. */
function windowOperator<T, R>(
  stream: DataStream<T>,
  type: string,
  name: string,
  needsEventTime: boolean,
  create: () => OneInputOperator<T, R>,
  keySelector: (value: never) => Key,
): DataStream<R> {
  const base = stream.nodeBase(type, name, keySelector as (value: unknown) => unknown);
  const node = stream.env.addNode({ ...base, needsEventTime, createOperator: create as () => OneInputOperator<unknown, unknown> });
  return DataStream.fromNode<R>(stream.env, node);
}

/** A stream partitioned by key: keyed state and rolling aggregations per key. */
export class KeyedStream<T, K extends Key> extends DataStream<T> {
  /** @internal Made by `DataStream.keyBy`. */
  constructor(
    env: JobBuilder,
    ends: readonly StreamInput[],
    lastNode: StreamNode | undefined,
    /** The key selector this stream was partitioned with. */
    readonly keySelector: (value: T) => K,
  ) {
    super(env, ends, lastNode);
  }

  /**
   * Runs a KeyedProcessFunction (keyed state, timers, side outputs) on each record with its key
   * current. A plain ProcessFunction runs as on a DataStream, after the key partitioning.
   */
  override process<R>(fn: KeyedProcessFunction<K, T, R> | ProcessFunction<T, R>): DataStream<R> {
    requireFunction(fn?.processElement, 'process: the function');
    if (fn instanceof ProcessFunction) return super.process(fn);
    const keyed = fn as KeyedProcessFunction<K, T, R>;
    return this.keyed('keyed-process', 'Keyed Process', () => new KeyedProcessOperator(cloneFunction(keyed)));
  }

  /** Cuts each key's records into windows: tumbling, sliding, session or global (see docs/api.md, Windows). */
  window<W extends Window>(assigner: WindowAssigner<T, W>): WindowedStream<T, K, W> {
    checkAssigner(assigner, 'window');
    return new WindowedStream<T, K, W>(assigner, this.windowNodes());
  }

  /**
   * Count windows per key: `countWindow(n)` emits every n records and starts over;
   * `countWindow(n, slide)` emits every `slide` records over the last n.
   */
  countWindow(size: number, slide?: number): WindowedStream<T, K, GlobalWindow> {
    requirePositiveInteger(size, 'countWindow');
    if (slide === undefined) return new WindowedStream<T, K, GlobalWindow>(GlobalWindows.create(), this.windowNodes(), undefined, PurgingTrigger.of(CountTrigger.of(size)));
    requirePositiveInteger(slide, 'countWindow(size, slide): slide');
    return new WindowedStream<T, K, GlobalWindow>(GlobalWindows.create(), this.windowNodes(), size, CountTrigger.of(slide));
  }

  private windowNodes(): WindowNodeFactory<T> {
    return (type, name, needsEventTime, create) => windowOperator(this, type, name, needsEventTime, create, this.keySelector);
  }

  /** Rolling reduce: emits the running result for the record's key after every record. */
  reduce(fn: (a: T, b: T) => T): DataStream<T> {
    requireFunction(fn, 'reduce');
    return this.keyed('keyed-reduce', 'Keyed Reduce', () => new KeyedReduceOperator(() => ({ reduce: fn })));
  }

  /** Rolling sum of a numeric field (or of the records, when they are numbers). */
  sum(field?: FieldRef): DataStream<T> {
    return this.aggregate('sum', field);
  }

  /** Rolling minimum of a numeric field; the other fields are those of the key's first record. */
  min(field?: FieldRef): DataStream<T> {
    return this.aggregate('min', field);
  }

  /** Rolling maximum of a numeric field; the other fields are those of the key's first record. */
  max(field?: FieldRef): DataStream<T> {
    return this.aggregate('max', field);
  }

  /** @internal Adds an operator that reads this stream by key. */
  keyed<R>(type: string, name: string, create: () => OneInputOperator<T, R>): DataStream<R> {
    return this.transform(type, name, create, this.keySelector as (value: unknown) => unknown);
  }

  private aggregate(aggregation: Aggregation, field: FieldRef): DataStream<T> {
    if (field !== undefined && typeof field !== 'string' && !(Number.isInteger(field) && field >= 0)) {
      throw new TypeError(`${aggregation}(field) expects a field name or an array index, got ${String(field)}.`);
    }
    return this.keyed('keyed-aggregation', 'Keyed Aggregation', () =>
      new KeyedReduceOperator((ctx) => ({
        first: aggregationFirst<T>(aggregation, field, ctx.objectReuse),
        reduce: aggregationReducer<T>(aggregation, field, ctx.objectReuse),
      })),
    );
  }
}

function checkAssigner(assigner: unknown, method: string): void {
  if (typeof (assigner as WindowAssigner<unknown, Window> | null)?.assignWindows !== 'function') {
    throw new TypeError(`${method}(assigner) expects a WindowAssigner, e.g. TumblingEventTimeWindows.of(Time.seconds(5)).`);
  }
}
