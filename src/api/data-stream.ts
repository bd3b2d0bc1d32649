// DataStream: a stream of records and the transformations on it that need nothing but the stream
// (map, filter, process, partitioning, sinks). Each call records a node in the job's StreamGraph;
// nothing runs until the environment executes. keyBy, windowAll, connect, join and coGroup are
// added by the modules of the streams they make (keyed-stream.ts, connected-streams.ts,
// joined-streams.ts), which depend on this one, not the reverse.

import { StreamError } from '../core/errors.js';
import type { Collector, ProcessFunction } from '../core/functions.js';
import type { PartitionKind, StreamInput, StreamNode } from '../core/job-plan.js';
import type { OneInputOperator } from '../core/operator.js';
import { OutputTag } from '../core/output-tag.js';
import type { Sink } from '../core/sink.js';
import { requireFunction, requirePositiveInteger } from '../core/validate.js';
import { PrintSink } from '../connectors/print-sink.js';
import { cloneFunction } from '../operators/clone-function.js';
import { FilterOperator } from '../operators/filter.js';
import { FlatMapOperator } from '../operators/flat-map.js';
import { MapOperator } from '../operators/map.js';
import { ProcessOperator } from '../operators/process.js';
import { SinkOperator } from '../operators/sink-operator.js';
import { TimestampsAndWatermarksOperator } from '../operators/timestamps-and-watermarks.js';
import { WatermarkStrategy } from '../time/watermark-strategy.js';
import { operatorNode } from '../graph/stream-graph.js';
import type { JobBuilder } from './job-builder.js';

export class DataStream<T> {
  /** @internal Streams are made by the environment and by transformations. */
  constructor(
    /** @internal The job this stream belongs to. */
    readonly env: JobBuilder,
    /** @internal The nodes (and partitioning) this stream's records come from. */
    readonly ends: readonly StreamInput[],
    /** @internal The node that `name`, `uid` and `setParallelism` apply to. */
    readonly lastNode: StreamNode | undefined,
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

  /** @internal A stream reading the main output of `node`. */
  static fromNode<R>(env: JobBuilder, node: StreamNode): DataStream<R> {
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

  /**
   * Writes each record to a user sink. A sink with a committer (two-phase commit) prepares its
   * committables at each checkpoint and commits them once the checkpoint completes.
   */
  sinkTo<Committable = never>(sink: Sink<T, Committable>): void {
    requireFunction(sink?.createWriter, 'sinkTo: the sink\'s createWriter');
    this.addSink('sink', 'Sink', () => new SinkOperator(sink as Sink<T, unknown>), sink.checkJob?.bind(sink));
  }

  /** Runs the job and returns this stream's records (at most `limit`, then the job is cancelled). */
  executeAndCollect(options: { jobName?: string; limit?: number } = {}): Promise<T[]> {
    return this.env.executeAndCollect(this as DataStream<unknown>, options.jobName ?? 'eddy job', options.limit) as Promise<T[]>;
  }

  /** @internal Adds a sink node reading this stream. */
  addSink(type: string, name: string, create: () => OneInputOperator<T, never>, checkJob?: StreamNode['checkJob']): StreamNode {
    return this.env.addNode({ ...this.nodeBase(type, name, undefined), kind: 'sink', checkJob, createOperator: create as () => OneInputOperator<unknown, unknown> });
  }

  /** @internal Adds an operator node reading this stream. */
  transform<R>(
    type: string,
    name: string,
    create: () => OneInputOperator<T, R>,
    keySelector?: (value: unknown) => unknown,
  ): DataStream<R> {
    const node = this.env.addNode({ ...this.nodeBase(type, name, keySelector), createOperator: create as () => OneInputOperator<unknown, unknown> });
    return new DataStream<R>(this.env, [{ nodeId: node.id, partitioning: undefined }], node);
  }

  /** @internal The fields every operator node reading this stream starts from. */
  nodeBase(type: string, name: string, keySelector: ((value: unknown) => unknown) | undefined): ReturnType<typeof operatorNode> {
    return operatorNode(type, name, this.ends, keySelector);
  }

  /** @internal Refuses a stream of another job. */
  assertSameJob(other: unknown, method: string): void {
    if (!(other instanceof DataStream) || other.env !== this.env) {
      throw new StreamError('INVALID_GRAPH', `${method}() takes a stream of the same environment (the same job).`);
    }
  }

  /** @internal This stream's ends with `partitioning` on the edge to the next operator. */
  partitioned(partitioning: { kind: PartitionKind; keySelector?: (value: unknown) => unknown }): StreamInput[] {
    this.env.graphForRuntime().assertOpen();
    return this.ends.map((end) => ({ nodeId: end.nodeId, partitioning }));
  }

  private repartition(kind: PartitionKind): DataStream<T> {
    return new DataStream<T>(this.env, this.partitioned({ kind }), this.lastNode);
  }

  /** @internal The node `name`, `uid`, `setParallelism` and `getSideOutput` apply to. */
  requireLastNode(method: string): StreamNode {
    this.env.graphForRuntime().assertOpen();
    if (this.lastNode === undefined) {
      throw new StreamError('INVALID_GRAPH', `${method}() applies to one operator, but this stream is a union of several. Call it on each stream before union().`);
    }
    return this.lastNode;
  }
}
