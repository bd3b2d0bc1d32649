// DataStream and KeyedStream: a stream of records and the transformations on it. Each call
// records a node in the job's StreamGraph; nothing runs until the environment executes.

import { StreamError } from '../core/errors.js';
import type { Key } from '../core/key-groups.js';
import type { PartitionKind, StreamInput, StreamNode } from '../graph/stream-graph.js';
import { cloneFunction } from '../operators/clone-function.js';
import { FilterOperator } from '../operators/filter.js';
import { aggregationReducer, checkAggregationInput, type Aggregation, type FieldRef } from '../operators/keyed-aggregations.js';
import { KeyedProcessOperator } from '../operators/keyed-process.js';
import { KeyedReduceOperator } from '../operators/keyed-reduce.js';
import { FlatMapOperator } from '../operators/flat-map.js';
import { MapOperator } from '../operators/map.js';
import type { OneInputOperator } from '../core/operator.js';
import { PrintSink } from '../connectors/print-sink.js';
import { ProcessOperator } from '../operators/process.js';
import { SinkOperator } from '../operators/sink-operator.js';
import type { StreamExecutionEnvironment } from './environment.js';
import { ProcessFunction, type Collector, type KeyedProcessFunction } from '../core/functions.js';
import { ConnectedStreams, IntervalJoin } from './connected-streams.js';
import { CoGroupedStreams, JoinedStreams } from './joined-streams.js';
import { OutputTag } from '../core/output-tag.js';
import type { Sink } from '../core/sink.js';
import { WatermarkStrategy } from '../time/watermark-strategy.js';
import { TimestampsAndWatermarksOperator } from '../operators/timestamps-and-watermarks.js';
import { requireFunction, requirePositiveInteger } from '../core/validate.js';
import { GlobalWindows } from '../operators/windows/assigners/global.js';
import type { GlobalWindow, Window } from '../operators/windows/time-window.js';
import { CountTrigger } from '../operators/windows/triggers/count-trigger.js';
import { PurgingTrigger } from '../operators/windows/triggers/purging-trigger.js';
import type { WindowAssigner } from '../operators/windows/window-assigner.js';
import { AllWindowedStream, WindowedStream, type WindowNodeFactory } from './windowed-stream.js';

export class DataStream<T> {
  /** @internal Streams are made by the environment and by transformations. */
  constructor(
    protected readonly env: StreamExecutionEnvironment,
    /** @internal The nodes (and partitioning) this stream's records come from. */
    readonly ends: readonly StreamInput[],
    /** @internal The node that `name`, `uid` and `setParallelism` apply to. */
    protected readonly lastNode: StreamNode | undefined,
  ) {}

  /** One output per record. */
  map<R>(fn: (value: T) => R): DataStream<R> {
    requireFunction(fn, 'map');
    return this.transform('map', 'Map', () => new MapOperator(fn));
  }

  /** Keeps the records for which `fn` returns true. */
  filter(fn: (value: T) => boolean): DataStream<T> {
    requireFunction(fn, 'filter');
    return this.transform('filter', 'Filter', () => new FilterOperator(fn));
  }

  /** Zero or more outputs per record, emitted through `out.collect`. */
  flatMap<R>(fn: (value: T, out: Collector<R>) => void): DataStream<R> {
    requireFunction(fn, 'flatMap');
    return this.transform('flat-map', 'Flat Map', () => new FlatMapOperator(fn));
  }

  /** Runs a ProcessFunction on each record. */
  process<R>(fn: ProcessFunction<T, R>): DataStream<R> {
    requireFunction(fn?.processElement, 'process: the ProcessFunction');
    return this.transform('process', 'Process', () => new ProcessOperator(cloneFunction(fn)));
  }

  /**
   * Partitions by key: records with equal keys go to the same subtask, in order. A key is a string,
   * number, bigint, or an array of strings and numbers.
   */
  keyBy<K extends Key>(fn: (value: T) => K): KeyedStream<T, K> {
    requireFunction(fn, 'keyBy');
    const keySelector = fn as (value: unknown) => unknown;
    return new KeyedStream<T, K>(this.env, this.partitioned({ kind: 'hash', keySelector }), this.lastNode, fn);
  }

  /**
   * Gives each record its event timestamp and generates watermarks from them. Runs at the
   * parallelism of its input (so right after a source it sees the source's order and chains).
   */
  assignTimestampsAndWatermarks(strategy: WatermarkStrategy<T>): DataStream<T> {
    if (!(strategy instanceof WatermarkStrategy)) {
      throw new TypeError('assignTimestampsAndWatermarks expects a WatermarkStrategy, e.g. WatermarkStrategy.forMonotonousTimestamps().withTimestampAssigner((e) => e.time).');
    }
    const node = this.env.addNode({
      ...this.nodeBase('timestamps-watermarks', 'Timestamps/Watermarks', undefined),
      inheritsParallelism: true,
      producesWatermarks: strategy.emitsWatermarks,
      createOperator: () => new TimestampsAndWatermarksOperator<unknown>(strategy as WatermarkStrategy<unknown>),
    });
    return new DataStream<T>(this.env, [{ nodeId: node.id, partitioning: undefined }], node);
  }

  /** The records the last operator emitted to the side output `tag` (late data, alerts ...). */
  getSideOutput<X>(tag: OutputTag<X>): DataStream<X> {
    if (!(tag instanceof OutputTag)) throw new TypeError('getSideOutput expects an OutputTag: new OutputTag<T>("id").');
    const node = this.requireLastNode('getSideOutput');
    return new DataStream<X>(this.env, [{ nodeId: node.id, partitioning: undefined, sideOutput: tag.id }], undefined);
  }

  /**
   * Connects two streams for a two-input operator (map/flatMap/process with one function per
   * input). When both are keyed, the operator is keyed: state and timers shared by both inputs.
   */
  connect<R>(other: DataStream<R>): ConnectedStreams<T, R> {
    this.assertSameJob(other, 'connect');
    const key1 = this instanceof KeyedStream ? (this.keySelector as (value: T) => Key) : undefined;
    const key2 = other instanceof KeyedStream ? (other.keySelector as (value: R) => Key) : undefined;
    return new ConnectedStreams<T, R>(this.env, this.ends, other.ends, key1, key2);
  }

  /**
   * Cuts the whole stream into windows, evaluated by one subtask (parallelism 1), as Flink's
   * windowAll. Prefer `keyBy(...).window(...)`, which runs in parallel, when records have a key.
   */
  windowAll<W extends Window>(assigner: WindowAssigner<T, W>): AllWindowedStream<T, W> {
    checkAssigner(assigner, 'windowAll');
    const constantKey = (): number => 0;
    const all = this.keyBy(constantKey);
    return new AllWindowedStream<T, W>(assigner, (type, name, needsEventTime, create) =>
      all.windowOperator(type, name, needsEventTime, create, constantKey).setParallelism(1),
    );
  }

  /** @internal Adds a window operator node reading this stream, keyed by `keySelector`. */
  protected windowOperator<R>(
    type: string,
    name: string,
    needsEventTime: boolean,
    create: () => OneInputOperator<T, R>,
    keySelector: (value: never) => Key,
  ): DataStream<R> {
    const base = this.nodeBase(type, name, keySelector as (value: unknown) => unknown);
    const node = this.env.addNode({ ...base, needsEventTime, createOperator: create as () => OneInputOperator<unknown, unknown> });
    return new DataStream<R>(this.env, [{ nodeId: node.id, partitioning: undefined }], node);
  }

  /** Joins this stream with another on a key within windows: join(b).where(k1).equalTo(k2).window(w).apply(fn). */
  join<R>(other: DataStream<R>): JoinedStreams<T, R> {
    this.assertSameJob(other, 'join');
    return new JoinedStreams(this, other);
  }

  /**
   * Groups this stream with another on a key within windows:
   * coGroup(b).where(k1).equalTo(k2).window(w).apply((lefts, rights, out) => ...), once per key and window.
   */
  coGroup<R>(other: DataStream<R>): CoGroupedStreams<T, R> {
    this.assertSameJob(other, 'coGroup');
    return new CoGroupedStreams(this, other);
  }

  /** @internal A stream reading the main output of `node`. */
  static fromNode<R>(env: StreamExecutionEnvironment, node: StreamNode): DataStream<R> {
    return new DataStream<R>(env, [{ nodeId: node.id, partitioning: undefined }], node);
  }

  /** Merges streams of the same type; no order between them. */
  union(...others: DataStream<T>[]): DataStream<T> {
    for (const other of others) this.assertSameJob(other, 'union');
    return new DataStream<T>(this.env, [...this.ends, ...others.flatMap((o) => o.ends)], undefined);
  }

  /** Round-robin to every subtask of the next operator: evens out skew. */
  rebalance(): DataStream<T> {
    return this.repartition('rebalance');
  }

  /** Subtask i to subtask i of the next operator (needs equal parallelism); lets them chain. */
  forward(): DataStream<T> {
    return this.repartition('forward');
  }

  /** Every record to every subtask of the next operator. */
  broadcast(): DataStream<T> {
    return this.repartition('broadcast');
  }

  /** Names the last operator (in logs, metrics and errors). */
  name(name: string): this {
    if (typeof name !== 'string' || name === '') throw new TypeError('name(name) expects a non-empty string.');
    this.requireLastNode('name').name = name;
    return this;
  }

  /** A stable id for the last operator, used to match its state across job versions. */
  uid(uid: string): this {
    if (typeof uid !== 'string' || uid === '') throw new TypeError('uid(id) expects a non-empty string.');
    this.requireLastNode('uid').uid = uid;
    return this;
  }

  /** The parallelism of the last operator. */
  setParallelism(parallelism: number): this {
    requirePositiveInteger(parallelism, 'setParallelism');
    const node = this.requireLastNode('setParallelism');
    if (node.maxParallelism !== undefined && parallelism > node.maxParallelism) {
      throw new StreamError(
        'INVALID_GRAPH',
        `"${node.name}" is not parallel: it supports parallelism ${node.maxParallelism} at most, not ${parallelism}. ` +
          'Use env.fromSequence or a parallel source, or call rebalance() after this source to spread its records.',
      );
    }
    node.parallelism = parallelism;
    return this;
  }

  /** Writes each record to standard output ("N> record" when parallel, as Flink does). */
  print(prefix = ''): void {
    this.addSink('print', 'Print to Std. Out', () => new SinkOperator(new PrintSink(prefix)));
  }

  /** Writes each record to a user sink. */
  sinkTo(sink: Sink<T>): void {
    requireFunction(sink?.createWriter, 'sinkTo: the sink\'s createWriter');
    this.addSink('sink', 'Sink', () => new SinkOperator(sink));
  }

  /** Runs the job and returns this stream's records (at most `limit`, then the job is cancelled). */
  executeAndCollect(options: { jobName?: string; limit?: number } = {}): Promise<T[]> {
    return this.env.executeAndCollect(this, options.jobName ?? 'eddy job', options.limit);
  }

  /** @internal Adds a sink node reading this stream. */
  addSink(type: string, name: string, create: () => OneInputOperator<T, never>): void {
    this.env.addNode({ ...this.nodeBase(type, name, undefined), kind: 'sink', createOperator: create as () => OneInputOperator<unknown, unknown> });
  }

  /** @internal Adds an operator node reading this stream. */
  protected transform<R>(
    type: string,
    name: string,
    create: () => OneInputOperator<T, R>,
    keySelector?: (value: unknown) => unknown,
  ): DataStream<R> {
    const node = this.env.addNode({ ...this.nodeBase(type, name, keySelector), createOperator: create as () => OneInputOperator<unknown, unknown> });
    return new DataStream<R>(this.env, [{ nodeId: node.id, partitioning: undefined }], node);
  }

  /** @internal The fields every operator node starts from. */
  protected nodeBase(type: string, name: string, keySelector: ((value: unknown) => unknown) | undefined) {
    return {
      kind: 'operator' as const,
      type,
      name,
      uid: undefined,
      parallelism: undefined,
      maxParallelism: undefined,
      inheritsParallelism: false,
      inputs: this.ends,
      keySelector,
      source: undefined,
      createOperator: undefined,
    };
  }

  private assertSameJob(other: unknown, method: string): void {
    if (!(other instanceof DataStream) || other.env !== this.env) {
      throw new StreamError('INVALID_GRAPH', `${method}() takes a stream of the same environment (the same job).`);
    }
  }

  private partitioned(partitioning: { kind: PartitionKind; keySelector?: (value: unknown) => unknown }): StreamInput[] {
    this.env.graphForRuntime().assertOpen();
    return this.ends.map((end) => ({ nodeId: end.nodeId, partitioning }));
  }

  private repartition(kind: PartitionKind): DataStream<T> {
    return new DataStream<T>(this.env, this.partitioned({ kind }), this.lastNode);
  }

  /** @internal The node `name`, `uid`, `setParallelism` and `getSideOutput` apply to. */
  protected requireLastNode(method: string): StreamNode {
    this.env.graphForRuntime().assertOpen();
    if (this.lastNode === undefined) {
      throw new StreamError('INVALID_GRAPH', `${method}() applies to one operator, but this stream is a union of several. Call it on each stream before union().`);
    }
    return this.lastNode;
  }
}

/** A stream partitioned by key: keyed state and rolling aggregations per key. */
export class KeyedStream<T, K extends Key> extends DataStream<T> {
  /** @internal Made by `DataStream.keyBy`. */
  constructor(
    env: StreamExecutionEnvironment,
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

  /**
   * Joins this keyed stream with another keyed stream on the key and on time: each record of this
   * stream meets the other's records whose timestamps lie in an interval around its own.
   */
  intervalJoin<R>(other: KeyedStream<R, K>): IntervalJoin<T, R> {
    if (!(other instanceof KeyedStream)) throw new StreamError('INVALID_GRAPH', 'intervalJoin needs a keyed stream on both sides: a.keyBy(k1).intervalJoin(b.keyBy(k2)).');
    return new IntervalJoin(this.connect(other));
  }

  /** Cuts each key's records into windows: tumbling, sliding, session or global (API.md, Windows). */
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
    return (type, name, needsEventTime, create) => this.windowOperator(type, name, needsEventTime, create, this.keySelector);
  }

  /** Rolling reduce: emits the running result for the record's key after every record. */
  reduce(fn: (a: T, b: T) => T): DataStream<T> {
    requireFunction(fn, 'reduce');
    return this.keyed('keyed-reduce', 'Keyed Reduce', () => new KeyedReduceOperator(fn, undefined));
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
  protected keyed<R>(type: string, name: string, create: () => OneInputOperator<T, R>): DataStream<R> {
    return this.transform(type, name, create, this.keySelector as (value: unknown) => unknown);
  }

  private aggregate(aggregation: Aggregation, field: FieldRef): DataStream<T> {
    if (field !== undefined && typeof field !== 'string' && !(Number.isInteger(field) && field >= 0)) {
      throw new TypeError(`${aggregation}(field) expects a field name or an array index, got ${String(field)}.`);
    }
    const reduce = aggregationReducer<T>(aggregation, field);
    return this.keyed('keyed-aggregation', 'Keyed Aggregation', () =>
      new KeyedReduceOperator(reduce, (first: T) => checkAggregationInput(aggregation, field, first)),
    );
  }
}

function checkAssigner(assigner: unknown, method: string): void {
  if (typeof (assigner as WindowAssigner<unknown, Window> | null)?.assignWindows !== 'function') {
    throw new TypeError(`${method}(assigner) expects a WindowAssigner, e.g. TumblingEventTimeWindows.of(Time.seconds(5)).`);
  }
}
