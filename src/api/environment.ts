// StreamExecutionEnvironment: where a job starts (sources, settings) and how it runs. In the main
// thread execute() hands the graph to a JobMaster; in an eddy worker it hands the graph over
// for capture and never resolves, so code after it runs once, in the main thread.

import { availableParallelism } from 'node:os';
import { pathToFileURL } from 'node:url';
import type { JobSource, PlannedJob, PlanSettings, StreamInput, StreamNode } from '../core/job-plan.js';
import { CollectSinkOperator } from '../connectors/collect-sink.js';
import { CollectionSource } from '../connectors/collection-source.js';
import { MainThreadSource } from '../connectors/main-thread-source.js';
import type { Key } from '../core/key-groups.js';
import { jobLogger, logSettings } from '../core/log.js';
import { parseLogLevel, type LogLevel } from '../core/log-levels.js';
import { SequenceSource } from '../connectors/sequence-source.js';
import { StreamError } from '../core/errors.js';
import type { Source } from '../core/source.js';
import { requireFunction, requirePositiveInteger } from '../core/validate.js';
import { planJob, resolvePlanSettings } from '../graph/job-planner.js';
import { StreamGraph, type NewStreamNode } from '../graph/stream-graph.js';
import { checkRestartStrategy, DEFAULT_RESTART_STRATEGY, resolveCheckpointConfig, type CheckpointConfig, type CheckpointingOptions, type RestartStrategy } from '../checkpoint/checkpoint-config.js';
import { resolveRestorePath } from '../checkpoint/checkpoint-storage.js';
import { DEFAULT_CHANNEL_MEMORY, MIN_RING_BYTES } from '../runtime/channel-memory.js';
import type { RestoreSource } from '../runtime/restore-plan.js';
import type { JobClient, JobExecutionResult } from '../runtime/job-client.js';
import { JobMaster } from '../runtime/job-master.js';
import { launchContext } from '../runtime/launch-context.js';
import { resolveWebUIOptions, type ResolvedWebUIOptions, type WebUIOptions } from '../runtime/monitor/web-ui-options.js';
import type { MainThreadEndpoint } from '../runtime/main-thread-link.js';
import { PushInlet } from '../runtime/push-inlet.js';
import { RequestInlet } from '../runtime/request-inlet.js';
import { WatermarkStrategy } from '../time/watermark-strategy.js';
// The stream modules add keyBy, connect, join ... to DataStream: load them with the environment.
import './connected-streams.js';
import { checkReplies, KeyedPushStream, KeyedRequestStream, PushHandle, PushStream, RequestHandle, RequestStream, type PushSourceOptions } from './embedding-streams.js';
import { DataStream } from './data-stream.js';
import type { JobBuilder, SinkableStream } from './job-builder.js';
import './joined-streams.js';
import './keyed-stream.js';

const MAX_KEY_GROUPS = 32768;

/** A promise that never settles: what execute() returns in a worker. */
const NEVER = new Promise<never>(() => undefined);

export class StreamExecutionEnvironment implements JobBuilder {
  private readonly graph = new StreamGraph();
  private parallelism: number;
  private maxParallelism: number | undefined;
  private collectLimit: number | undefined;
  private hasCollector = false;
  private autoWatermarkInterval = 200;
  private objectReuse = false;
  private channelMemory = DEFAULT_CHANNEL_MEMORY;
  private webUI: ResolvedWebUIOptions | undefined;
  private checkpointing: CheckpointConfig | undefined;
  private restartStrategy: RestartStrategy | undefined;
  private restore: { readonly path: string; readonly allowNonRestoredState: boolean } | undefined;
  private logLevel: LogLevel | undefined;
  /** The main-thread ends of the job's push and request sources and collectAsync sinks. */
  private readonly mainThreadEndpoints: MainThreadEndpoint[] = [];

  /** @internal Use `getExecutionEnvironment()`. */
  constructor(parallelism: number) {
    this.parallelism = parallelism;
  }

  /**
   * A new environment; its parallelism defaults to the number of cores (or `eddy run -p N`), and
   * it restores from the checkpoint `eddy run --restore` names, unless the job calls `restoreFrom` itself.
   */
  static getExecutionEnvironment(): StreamExecutionEnvironment {
    const launch = launchContext();
    const env = new StreamExecutionEnvironment(launch.defaultParallelism ?? availableParallelism());
    env.restore = launch.restoreFrom;
    return env;
  }

  /** Default parallelism of every operator that does not set its own. */
  setParallelism(parallelism: number): this {
    this.parallelism = requirePositiveInteger(parallelism, 'env.setParallelism');
    return this;
  }

  getParallelism(): number {
    return this.parallelism;
  }

  /**
   * Number of key groups (1 to 32768): the most parallelism keyed state can ever be rescaled to.
   * Unset, a job uses Flink's default: 1.5 x its highest parallelism rounded up to a power of
   * two, at least 128.
   */
  setMaxParallelism(maxParallelism: number): this {
    requirePositiveInteger(maxParallelism, 'env.setMaxParallelism');
    if (maxParallelism > MAX_KEY_GROUPS) {
      throw new RangeError(`env.setMaxParallelism(${maxParallelism}) is above the limit of ${MAX_KEY_GROUPS} key groups; use at most ${MAX_KEY_GROUPS}.`);
    }
    this.maxParallelism = maxParallelism;
    return this;
  }

  /** The number of key groups set with `setMaxParallelism`, or `undefined` for the default. */
  getMaxParallelism(): number | undefined {
    return this.maxParallelism;
  }

  /**
   * The memory for the rings of all channels between subtasks, in bytes (default 256 MiB). Each
   * channel gets up to 512 KiB, less when the job has many channels (a shuffle at parallelism p
   * has p x p of them), at least 64 KiB; a job that cannot fit that is refused before it runs.
   * A record must fit in half its channel's ring.
   */
  setChannelMemory(bytes: number): this {
    if (!Number.isSafeInteger(bytes) || bytes < MIN_RING_BYTES) {
      throw new RangeError(`env.setChannelMemory(${String(bytes)}): expected a whole number of bytes of at least ${MIN_RING_BYTES} (64 KiB), e.g. 512 * 1024 * 1024 for 512 MiB.`);
    }
    this.channelMemory = bytes;
    return this;
  }

  getChannelMemory(): number {
    return this.channelMemory;
  }

  /**
   * Takes a checkpoint every `intervalMs`: barriers flow with the records from every source, each
   * subtask snapshots its state when its inputs delivered them, and `<dir>/chk-<n>/_metadata`
   * marks a completed checkpoint. With it on, a failed job restarts from the newest checkpoint
   * (see setRestartStrategy), a bounded job ends with a final checkpoint, and sinks that commit
   * (FileSink, TwoPhaseCommitSink) write each record exactly once.
   */
  enableCheckpointing(intervalMs: number, options?: CheckpointingOptions): this {
    this.checkpointing = resolveCheckpointConfig(intervalMs, options);
    return this;
  }

  /** The checkpointing settings, or undefined when the job does not checkpoint. */
  getCheckpointConfig(): CheckpointConfig | undefined {
    return this.checkpointing;
  }

  /**
   * Serves the web dashboard at `/` (the job graph with live rates and backpressure, watermarks,
   * checkpoints, exceptions), `GET /metrics` (Prometheus text, `eddy_` names) and a REST API
   * (`/jobs/overview`, `/jobs/:id`, ...) from this process, on 127.0.0.1:8081 unless `options`
   * say otherwise, once the job starts. Every job of the process appears there. Read-only unless
   * `allowCancel` or `savepointDir` are set. The server does not keep the process alive after the
   * jobs ended (`eddy run --ui` does).
   */
  enableWebUI(options?: WebUIOptions): this {
    this.webUI = resolveWebUIOptions(options, 'env.enableWebUI(options)');
    return this;
  }

  /**
   * What happens when the job fails: `{ type: 'none' }` fails it; `{ type: 'fixed-delay',
   * attempts, delayMs }` deploys it again from its newest completed checkpoint (or from the start)
   * up to `attempts` times. With checkpointing on and no strategy set: 3 attempts, 100 ms apart.
   */
  setRestartStrategy(strategy: RestartStrategy): this {
    this.restartStrategy = checkRestartStrategy(strategy);
    return this;
  }

  /**
   * Starts the job from a checkpoint or savepoint: a folder (or its `_metadata`), or `'latest'`,
   * the newest completed checkpoint in the checkpoint dir. Operators get their state by uid, at
   * any parallelism; state of an operator the job no longer has is refused unless
   * `allowNonRestoredState` is set.
   */
  restoreFrom(pathOrLatest: string, options: { allowNonRestoredState?: boolean } = {}): this {
    if (typeof pathOrLatest !== 'string' || pathOrLatest === '') {
      throw new TypeError("env.restoreFrom(path) expects a checkpoint or savepoint folder, or 'latest' for the newest checkpoint in the checkpoint dir.");
    }
    this.restore = { path: pathOrLatest, allowNonRestoredState: options.allowNonRestoredState === true };
    return this;
  }

  /** How often periodic watermark generators emit, in ms (default 200, as in Flink); 0 turns periodic emission off. */
  setAutoWatermarkInterval(ms: number): this {
    if (!Number.isFinite(ms) || ms < 0) throw new RangeError(`env.setAutoWatermarkInterval(${ms}): expected milliseconds of 0 or more, e.g. 200.`);
    this.autoWatermarkInterval = ms;
    return this;
  }

  getAutoWatermarkInterval(): number {
    return this.autoWatermarkInterval;
  }

  /**
   * Lets eddy's operators change a record after they emitted it, where nothing after them in
   * their chain of operators keeps it: the rolling `sum`, `min` and `max` then update their result
   * in place instead of copying it on every record (Flink's `ExecutionConfig.enableObjectReuse`).
   * Off by default. With it on, a function or sink writer must not keep a record it was given
   * beyond the call (copy what it keeps); eddy's own collect, `collectAsync` and `reply` sinks and
   * the channels between threads keep records, so the operators before them still copy. See
   * docs/performance.md.
   */
  enableObjectReuse(): this {
    this.objectReuse = true;
    return this;
  }

  /** Turns object reuse off again (the default): every emitted record stays as it was emitted. */
  disableObjectReuse(): this {
    this.objectReuse = false;
    return this;
  }

  isObjectReuseEnabled(): boolean {
    return this.objectReuse;
  }

  /**
   * The level of the job's logs, in the main thread and in its worker threads (default: the
   * EDDY_LOG_LEVEL environment variable, else `'info'`). See docs/observability.md.
   */
  setLogLevel(level: LogLevel): this {
    this.logLevel = parseLogLevel(level, 'env.setLogLevel');
    return this;
  }

  getLogLevel(): LogLevel {
    return this.logLevel ?? logSettings().level;
  }

  /** A bounded stream of the given values, read at parallelism 1. */
  fromElements<T>(...values: T[]): DataStream<T> {
    return this.addSource(new CollectionSource(values), 'Collection Source');
  }

  /** A bounded stream of a finite collection's values (materialized now), read at parallelism 1. */
  fromCollection<T>(values: Iterable<T>): DataStream<T> {
    if (values === null || typeof (values as Partial<Iterable<T>>)?.[Symbol.iterator] !== 'function') {
      throw new TypeError('env.fromCollection(values) needs an iterable (an array, a Set, a generator ...).');
    }
    return this.addSource(new CollectionSource(values), 'Collection Source');
  }

  /** The integers from..to (inclusive), read in parallel: each subtask reads one contiguous range. */
  fromSequence(from: number, to: number): DataStream<number> {
    if (!Number.isSafeInteger(from) || !Number.isSafeInteger(to) || from > to) {
      throw new RangeError(`env.fromSequence(${from}, ${to}) needs two safe integers with from <= to.`);
    }
    return this.addSource(new SequenceSource(from, to), 'Sequence Source');
  }

  /**
   * A stream fed from the main thread: after `executeAsync()`, `stream.push(value, timestamp?)`
   * sends records in (a promise back when the source's ring is full), `close()` ends it. With
   * `keyBy`, each record goes straight to the subtask that owns its key and the stream is keyed
   * (at the job's parallelism). Without it, the source runs at parallelism 1 (so a `keyBy` after
   * it keeps each key's records in push order) unless `parallelism` spreads records round robin.
   */
  fromPush<T, K extends Key = Key>(name: string, options: PushSourceOptions<T> & { keyBy: (value: T) => K }): KeyedPushStream<T, K>;
  fromPush<T>(name: string, options?: PushSourceOptions<T>): PushStream<T>;
  fromPush<T>(name: string, options: PushSourceOptions<T> = {}): PushStream<T> | KeyedPushStream<T, Key> {
    const node = this.mainThreadSourceNode(name, options, 'push', 'fromPush');
    // Unkeyed, one subtask takes the records in push order, so a keyBy after it keeps each key's order.
    if (options.keyBy === undefined && options.parallelism === undefined) node.parallelism = 1;
    const inlet = new PushInlet(node.id, name, options.keyBy as ((value: unknown) => unknown) | undefined);
    this.mainThreadEndpoints.push(inlet);
    const handle = new PushHandle<T>(inlet, name);
    const ends = mainThreadSourceEnds(node, options);
    return options.keyBy === undefined ? new PushStream<T>(this, ends, node, handle) : new KeyedPushStream<T, Key>(this, ends, node, options.keyBy, handle);
  }

  /**
   * A stream of requests from the main thread: `stream.request(value)` resolves with the first
   * value that reaches `reply()` while the request goes through its subtask, or `undefined` when
   * none did. With `keyBy`, each request goes to the subtask that owns its key (its keyed state).
   */
  fromRequests<Req, Res, K extends Key = Key>(name: string, options: PushSourceOptions<Req> & { keyBy: (value: Req) => K }): KeyedRequestStream<Req, Res, K>;
  fromRequests<Req, Res>(name: string, options?: PushSourceOptions<Req>): RequestStream<Req, Res>;
  fromRequests<Req, Res>(name: string, options: PushSourceOptions<Req> = {}): RequestStream<Req, Res> | KeyedRequestStream<Req, Res, Key> {
    const node = this.mainThreadSourceNode(name, options, 'requests', 'fromRequests');
    const inlet = new RequestInlet(node.id, name, options.keyBy as ((value: unknown) => unknown) | undefined);
    this.mainThreadEndpoints.push(inlet);
    const handle = new RequestHandle<Req, Res>(inlet, name);
    const ends = mainThreadSourceEnds(node, options);
    return options.keyBy === undefined
      ? new RequestStream<Req, Res>(this, ends, node, handle)
      : new KeyedRequestStream<Req, Res, Key>(this, ends, node, options.keyBy, handle);
  }

  /** @internal Registers the main-thread end of a push or request source or a collectAsync sink. */
  addMainThreadEndpoint(endpoint: MainThreadEndpoint): void {
    this.mainThreadEndpoints.push(endpoint);
  }

  private mainThreadSourceNode<T>(name: string, options: PushSourceOptions<T>, feed: 'push' | 'requests', method: string): StreamNode {
    if (typeof name !== 'string' || name === '') throw new TypeError(`env.${method}(name) expects a non-empty name for the source, e.g. env.${method}('orders').`);
    if (options === null || typeof options !== 'object') throw new TypeError(`env.${method}(name, options) expects an options object, e.g. { keyBy: (o) => o.id }.`);
    if (options.keyBy !== undefined) requireFunction(options.keyBy, `env.${method}({ keyBy })`);
    if (options.watermarks !== undefined && !(options.watermarks instanceof WatermarkStrategy)) {
      throw new TypeError(`env.${method}({ watermarks }) expects a WatermarkStrategy, e.g. WatermarkStrategy.forBoundedOutOfOrderness(1000).withIdleness(5000).`);
    }
    const node = this.sourceNode(new MainThreadSource<T>(feed), name, options.watermarks as WatermarkStrategy<unknown> | undefined, method).lastNode!;
    if (options.parallelism !== undefined) node.parallelism = requirePositiveInteger(options.parallelism, `env.${method}({ parallelism })`);
    return node;
  }

  /** Runs the job and resolves when it ends. Rejects with the first failure. */
  async execute(jobName = 'eddy job'): Promise<JobExecutionResult> {
    const client = await this.executeAsync(jobName);
    return client.result;
  }

  /** Starts the job and returns a client to watch or cancel it. */
  async executeAsync(jobName = 'eddy job'): Promise<JobClient> {
    const launch = launchContext();
    if (launch.capture !== undefined) return this.captureInWorker(jobName);
    if (launch.inWorker) {
      throw new StreamError(
        'INVALID_GRAPH',
        'execute() was called while a worker built a defineJob() job. A defineJob builder only builds the graph; runJob() executes it.',
      );
    }
    return this.submit(jobName, this.scriptSource(launch.executeCount + 1));
  }

  /** @internal Runs a job built by a defineJob module. */
  submitModule(url: string, args: unknown, jobName: string): Promise<JobClient> {
    return this.submit(jobName, { kind: 'module', url, args });
  }

  /** @internal Adds a node to the job's graph. */
  addNode(node: NewStreamNode): StreamNode {
    return this.graph.add(node);
  }

  /** @internal The graph, for the runtime. */
  graphForRuntime(): StreamGraph {
    return this.graph;
  }

  /** @internal Backs DataStream.executeAndCollect. */
  async executeAndCollect(stream: SinkableStream, jobName: string, limit: number | undefined): Promise<unknown[]> {
    this.addCollectSink(stream, limit);
    const result = await this.execute(jobName);
    return result.collected[0] ?? [];
  }

  /** @internal Ends `stream` with the sink that returns its records to the main thread. */
  addCollectSink(stream: SinkableStream, limit: number | undefined): void {
    if (this.hasCollector) {
      throw new StreamError('INVALID_GRAPH', 'A job can collect one stream only. Union the streams first: a.union(b).executeAndCollect().');
    }
    if (limit !== undefined) requirePositiveInteger(limit, 'executeAndCollect({ limit })');
    this.hasCollector = true;
    this.collectLimit = limit;
    stream.addSink('collect', 'Collect Sink', () => new CollectSinkOperator(0));
  }

  /**
   * A stream read from a Source, with event timestamps and watermarks from `strategy` (per source
   * subtask). Use WatermarkStrategy.noWatermarks() for a stream without event time.
   */
  fromSource<T>(source: Source<T>, strategy: WatermarkStrategy<T>, name: string): DataStream<T> {
    if (!(strategy instanceof WatermarkStrategy)) {
      throw new TypeError('fromSource expects a WatermarkStrategy as its second argument, e.g. WatermarkStrategy.forBoundedOutOfOrderness(5000), or WatermarkStrategy.noWatermarks().');
    }
    return this.sourceNode(source, name, strategy as WatermarkStrategy<unknown>, 'fromSource');
  }

  /** A stream read from a user Source, records without event time (Flink's legacy addSource). */
  addSource<T>(source: Source<T>, name = 'Source'): DataStream<T> {
    return this.sourceNode(source, name, undefined, 'addSource');
  }

  private sourceNode<T>(source: Source<T>, name: string, strategy: WatermarkStrategy<unknown> | undefined, where: string): DataStream<T> {
    requireFunction(source?.createReader, `${where}: the source's createReader`);
    const node = this.addNode({
      kind: 'source',
      type: source.constructor.name,
      name,
      uid: undefined,
      parallelism: undefined,
      maxParallelism: source.maxParallelism,
      inheritsParallelism: false,
      inputs: [],
      keySelector: undefined,
      source: source as Source<unknown>,
      sourceWatermarks: strategy,
      producesWatermarks: strategy?.emitsWatermarks,
      createOperator: undefined,
    });
    return new DataStream<T>(this, [{ nodeId: node.id, partitioning: undefined }], node);
  }

  private scriptSource(ordinal: number): JobSource {
    const launch = launchContext();
    if (launch.scriptUrl === undefined && runsNodeTests()) {
      throw new StreamError(
        'INVALID_GRAPH',
        'execute() was called from a node:test file. Workers re-import the job script, which would re-run the tests: ' +
          'put the job in its own module with defineJob() and start it with runJob().',
      );
    }
    const script = launch.scriptUrl ?? (process.argv[1] === undefined ? undefined : pathToFileURL(process.argv[1]).href);
    if (script === undefined) {
      throw new StreamError(
        'INVALID_GRAPH',
        'execute() needs a job script that worker threads can import: run the job from a file (node job.mjs), or use defineJob() and runJob().',
      );
    }
    return { kind: 'script', url: script, ordinal };
  }

  private async submit(jobName: string, job: JobSource): Promise<JobClient> {
    this.graph.assertOpen();
    if (job.kind === 'script') launchContext().executeCount++;
    this.graph.markExecuted();
    const restoreFrom = await this.resolveRestore();
    // A restored job keeps the checkpoint's key groups unless it sets its own (then they must match).
    const maxParallelism = this.maxParallelism ?? restoreFrom?.metadata.maxParallelism;
    const settings = resolvePlanSettings(this.graph, { defaultParallelism: this.parallelism, maxParallelism, maxThreads: availableParallelism() });
    const restartStrategy = this.restartStrategy ?? (this.checkpointing === undefined ? { type: 'none' } : DEFAULT_RESTART_STRATEGY);
    const jobSettings = { checkpointIntervalMs: this.checkpointing?.intervalMs, restartDelayMs: restartStrategy.type === 'none' ? 0 : restartStrategy.delayMs };
    for (const node of this.graph.nodes) node.checkJob?.(jobSettings);
    const planned = planJob(this.graph, settings);
    checkReplies(planned.nodes, planned.job.vertexOf, (vertex) => planned.nodes[planned.job.vertices[vertex]!.headNodeId]!);
    const webUI = await this.startWebUI(jobName);
    return new JobMaster({
      planned,
      settings,
      jobName,
      job,
      collectors: this.hasCollector ? 1 : 0,
      collectLimit: this.collectLimit,
      autoWatermarkInterval: this.autoWatermarkInterval,
      objectReuse: this.objectReuse,
      channelMemoryBytes: this.channelMemory,
      checkpointing: this.checkpointing,
      restartStrategy,
      restoreFrom,
      mainThreadEndpoints: this.mainThreadEndpoints,
      webUI,
      logs: { ...logSettings(), level: this.getLogLevel() },
    });
  }

  /** Starts (or joins) the web UI's server when this environment or the launcher (`eddy run --ui`) asked for one; its address. */
  private async startWebUI(jobName: string): Promise<string | undefined> {
    if (this.webUI === undefined) return launchContext().webUI?.url;
    // Loaded here, not at import: node:http and the server are not every job's (nor every worker's).
    const { webServer } = await import('../runtime/monitor/web-server.js');
    const { url } = await webServer(this.webUI);
    jobLogger(jobName, this.getLogLevel()).info({ url }, `Dashboard at ${url}`);
    return url;
  }

  private async resolveRestore(): Promise<RestoreSource | undefined> {
    if (this.restore === undefined) return undefined;
    const { folder, metadata } = await resolveRestorePath(this.restore.path, this.checkpointing?.dir);
    return { folder, metadata, allowNonRestoredState: this.restore.allowNonRestoredState };
  }

  /** @internal Plans this environment's job in a worker, with the settings the main thread planned it with. */
  planInWorker(settings: PlanSettings): PlannedJob {
    this.graph.markExecuted();
    return planJob(this.graph, settings);
  }

  /** In a worker: skip the script's earlier jobs; hand over the plan of the job to run. */
  private captureInWorker(jobName: string): Promise<JobClient> {
    const capture = launchContext().capture!;
    capture.seen++;
    if (capture.seen < capture.targetOrdinal) {
      this.graph.markExecuted();
      const channelMemory = { channels: 0, bytesPerChannel: 0, totalBytes: 0, budgetBytes: this.channelMemory };
      const result: JobExecutionResult = { jobName, netRuntimeMs: 0, metrics: [], collected: [[]], channelMemory, checkpoints: [], restarts: 0 };
      const never = (): Promise<string> => NEVER;
      return Promise.resolve({ jobName, id: '', webUI: undefined, result: Promise.resolve(result), cancel: async () => undefined, metrics: async () => [], checkpoints: () => [], triggerSavepoint: never, stopWithSavepoint: never });
    }
    capture.capture(this.planInWorker(capture.settings));
    return NEVER;
  }
}

/** The stream a push or request source starts: with `keyBy`, already partitioned by key, so what reads it by key chains to it. */
function mainThreadSourceEnds(node: StreamNode, options: { readonly keyBy?: unknown }): StreamInput[] {
  return [{ nodeId: node.id, partitioning: options.keyBy === undefined ? undefined : { kind: 'forward' } }];
}

/** Whether this process loaded node:test's harness: the "script" is then a test file. */
function runsNodeTests(): boolean {
  const loaded = (process as unknown as { moduleLoadList?: string[] }).moduleLoadList ?? [];
  return loaded.includes('NativeModule internal/test_runner/harness');
}
