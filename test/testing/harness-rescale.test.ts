// Restores at another parallelism, through the harness: every stateful operator snapshotted
// part-way at parallelism 1 and restored into 3 subtasks, or at 4 and restored into 2, emits
// (with what came before the snapshot) what an uninterrupted run emits.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { keyGroupFor, keyGroupRangeForSubtask } from '../../src/core/key-groups.js';
import {
  AggregatingStateDescriptor,
  createHarness,
  EventTimeSessionWindows,
  KeyedCoProcessFunction,
  KeyedProcessFunction,
  ListStateDescriptor,
  MapStateDescriptor,
  OutputTag,
  ReducingStateDescriptor,
  SlidingEventTimeWindows,
  TumblingEventTimeWindows,
  ValueStateDescriptor,
  type AggregateFunction,
  type AggregatingState,
  type Collector,
  type DataStream,
  type HarnessSnapshot,
  type Key,
  type KeyedContext,
  type ListState,
  type MapState,
  type OnTimerContext,
  type OperatorHarness,
  type ReducingState,
  type RuntimeContext,
  type ValueState,
} from '../../src/index.js';

const MAX_PARALLELISM = 128;
/** Keys spread over every subtask at parallelism 2, 3 and 4 (checked when records are routed). */
const KEYS = ['a', 'b', 'c', 'd', 'e', 'f'];

/** An input record: `left` marks the first input of the two-input operators. */
interface Ev {
  id: string;
  v: number;
  left?: boolean;
}

/** What a test feeds, in order: a record (to the subtask owning its key), a watermark or a processing time (to every subtask). */
type Step = { record: Ev; timestamp: number } | { watermark: number } | { time: number };

interface Case<Out> {
  readonly name: string;
  readonly build: (s: DataStream<Ev>) => DataStream<Out>;
  readonly steps: readonly Step[];
  readonly sideOutputs?: OutputTag<Ev>[];
  /**
   * Where to snapshot: indexes into `steps`, the first step the restored subtasks get (default:
   * the watermarks nearest a third and two thirds of the way). A restored operator's watermark
   * starts over, as in Flink, so a cut where a record comes first is only for inputs where that
   * record cannot be late.
   */
  readonly cuts?: readonly number[];
}

/** One record that came out of a subtask, main output or side output `stream`. */
interface Emitted {
  readonly stream: string;
  readonly value: unknown;
  readonly timestamp: number | undefined;
}

/** Every output of these tests names its key: `"key|..."` strings, or records with an id. */
function keyOfOutput(value: unknown): string {
  return typeof value === 'string' ? value.slice(0, value.indexOf('|')) : (value as Ev).id;
}

/** The run of a build at one parallelism: one harness per subtask, each fed the records of its keys. */
class ParallelRun<Out> {
  private readonly ranges: { start: number; end: number }[];
  /** Records fed to each subtask. */
  readonly fed: number[];

  private constructor(
    readonly harnesses: OperatorHarness<Ev, Out>[],
    private readonly sideOutputs: readonly OutputTag<Ev>[],
  ) {
    const parallelism = harnesses.length;
    this.ranges = harnesses.map((_, subtask) => keyGroupRangeForSubtask(MAX_PARALLELISM, parallelism, subtask));
    this.fed = harnesses.map(() => 0);
  }

  /** Starts `parallelism` subtasks of `c`'s build, restored from `snapshots` when given. */
  static async start<Out>(c: Case<Out>, parallelism: number, restored?: { snapshots: HarnessSnapshot[]; processingTime: number }): Promise<ParallelRun<Out>> {
    const sideOutputs = c.sideOutputs ?? [];
    const harnesses: OperatorHarness<Ev, Out>[] = [];
    for (let subtask = 0; subtask < parallelism; subtask++) {
      harnesses.push(
        await createHarness(c.build, {
          parallelism,
          subtask,
          maxParallelism: MAX_PARALLELISM,
          sideOutputs,
          processingTime: restored?.processingTime ?? 0,
          restoreFrom: restored?.snapshots,
        }),
      );
    }
    return new ParallelRun(harnesses, sideOutputs);
  }

  /** The subtask owning `key`'s key group. */
  owner(key: Key): number {
    const keyGroup = keyGroupFor(key, MAX_PARALLELISM);
    return this.ranges.findIndex((range) => range.start <= keyGroup && keyGroup <= range.end);
  }

  feed(steps: readonly Step[]): void {
    for (const step of steps) {
      if ('record' in step) {
        const subtask = this.owner(step.record.id);
        this.fed[subtask]!++;
        this.harnesses[subtask]!.processElement(step.record, step.timestamp);
      } else if ('watermark' in step) {
        for (const h of this.harnesses) h.processWatermark(step.watermark);
      } else {
        for (const h of this.harnesses) h.setProcessingTime(step.time);
      }
    }
  }

  snapshot(checkpointId: number): Promise<HarnessSnapshot[]> {
    return Promise.all(this.harnesses.map((h) => h.snapshot(checkpointId)));
  }

  /** Keys holding state, over all subtasks. */
  keyedStateKeys(): number {
    return this.harnesses.reduce((sum, h) => sum + h.keyedStateKeys(), 0);
  }

  async end(): Promise<void> {
    for (const h of this.harnesses) await h.endInput();
  }

  /** Everything the subtasks emitted, subtask after subtask (each key comes from one subtask, in order). */
  emitted(): Emitted[] {
    return this.harnesses.flatMap((h) => [
      ...h.output().map((r) => ({ stream: 'main', ...r })),
      ...this.sideOutputs.flatMap((tag) => h.sideOutput(tag).map((r) => ({ stream: tag.id, ...r }))),
    ]);
  }
}

/**
 * What was emitted, per output stream and key, in order: equal for two runs when they emitted the
 * same multiset of (value, timestamp) and each key's records of each stream in the same order.
 */
function perKey(emitted: readonly Emitted[]): [streamAndKey: string, records: string[]][] {
  const byKey = new Map<string, string[]>();
  for (const { stream, value, timestamp } of emitted) {
    const key = `${stream} ${keyOfOutput(value)}`;
    let records = byKey.get(key);
    if (records === undefined) byKey.set(key, (records = []));
    records.push(JSON.stringify({ value, timestamp }));
  }
  return [...byKey].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
}

/** The uninterrupted run at parallelism 1: what the others must emit. */
async function reference<Out>(c: Case<Out>): Promise<Emitted[]> {
  const run = await ParallelRun.start(c, 1);
  run.feed(c.steps);
  await run.end();
  return run.emitted();
}

/** The processing time reached after the first `cut` steps. */
function clockAt(steps: readonly Step[], cut: number): number {
  let clock = 0;
  for (const step of steps.slice(0, cut)) if ('time' in step) clock = step.time;
  return clock;
}

/**
 * Runs `c` at parallelism `from` up to step `cut`, snapshots every subtask, restores the snapshots
 * into `to` subtasks that run the rest, and checks the output against the reference run.
 */
async function rescaled<Out>(c: Case<Out>, cut: number, from: number, to: number): Promise<void> {
  const expected = await reference(c);
  const before = await ParallelRun.start(c, from);
  before.feed(c.steps.slice(0, cut));
  const snapshots = await before.snapshot(1);
  const stateKeys = before.keyedStateKeys();
  const after = await ParallelRun.start(c, to, { snapshots, processingTime: clockAt(c.steps, cut) });
  assert.equal(after.keyedStateKeys(), stateKeys, 'the restored subtasks hold the keys of the snapshotted ones, each once');
  after.feed(c.steps.slice(cut));
  await after.end();
  for (const run of [before, after]) {
    assert.ok(run.fed.every((n) => n > 0), `every subtask was fed records (${run.fed.join(', ')})`);
  }
  assert.ok(stateKeys > 0, 'the snapshot holds keyed state');
  assert.ok(after.emitted().length > 0, 'the restored subtasks emit');
  assert.deepEqual(perKey([...before.emitted(), ...after.emitted()]), perKey(expected));
}

/** The index of the first watermark step at or after `fraction` of the way through `steps`. */
function watermarkNear(steps: readonly Step[], fraction: number): number {
  const from = Math.floor(steps.length * fraction);
  const index = steps.findIndex((step, i) => i >= from && 'watermark' in step);
  assert.ok(index > 0, 'the input has a watermark there');
  return index;
}

/** A small deterministic random source. */
function random(seed: number): () => number {
  let x = seed;
  return () => {
    x = (Math.imul(x, 1103515245) + 12345) >>> 0;
    return x / 2 ** 32;
  };
}

interface StreamShape {
  readonly seed: number;
  /** Records (about 15%) up to this many ms behind the others: late ones. */
  readonly late?: number;
  /** Moves processing time by 15 ms every 4 records. */
  readonly processingTime?: boolean;
  /** Marks about half the records `left`, for two-input operators. */
  readonly twoInputs?: boolean;
}

/** `count` records of random keys about 6 ms apart, with a watermark 10 ms behind every 5th. */
function stream(count: number, shape: StreamShape): Step[] {
  const rand = random(shape.seed);
  const steps: Step[] = [];
  let clock = 0;
  for (let i = 0; i < count; i++) {
    const t = i * 6 + Math.floor(rand() * 5);
    const late = shape.late !== undefined && rand() < 0.15 ? Math.floor(rand() * shape.late) : 0;
    const record: Ev = { id: KEYS[Math.floor(rand() * KEYS.length)]!, v: i + 1 };
    if (shape.twoInputs === true) record.left = rand() < 0.5;
    steps.push({ record, timestamp: Math.max(0, t - late) });
    if (i % 5 === 4) steps.push({ watermark: t - 10 });
    if (shape.processingTime === true && i % 4 === 3) steps.push({ time: (clock += 15) });
  }
  return steps;
}

const LATE = new OutputTag<Ev>('late');

const sumAndCount: AggregateFunction<Ev, [number, number], string> = {
  createAccumulator: () => [0, 0],
  add: (e, [sum, count]) => [sum + e.v, count + 1],
  getResult: ([sum, count]) => `${sum}/${count}`,
  merge: ([s1, c1], [s2, c2]) => [s1 + s2, c1 + c2],
};

const mean: AggregateFunction<number, { sum: number; count: number }, number> = {
  createAccumulator: () => ({ sum: 0, count: 0 }),
  add: (v, acc) => ({ sum: acc.sum + v, count: acc.count + 1 }),
  getResult: (acc) => Math.round((acc.sum / acc.count) * 100) / 100,
  merge: (a, b) => ({ sum: a.sum + b.sum, count: a.count + b.count }),
};

/** All five kinds of keyed state (the value state with a TTL), and timers of both domains. */
class EveryState extends KeyedProcessFunction<string, Ev, string> {
  private seen!: ValueState<number>;
  private recent!: ListState<number>;
  private buckets!: MapState<number, number>;
  private total!: ReducingState<number>;
  private average!: AggregatingState<number, number>;

  override open(rt: RuntimeContext): void {
    this.seen = rt.getState(new ValueStateDescriptor<number>('seen').enableTimeToLive({ ttlMs: 45 }));
    this.recent = rt.getListState(new ListStateDescriptor<number>('recent'));
    this.buckets = rt.getMapState(new MapStateDescriptor<number, number>('buckets'));
    this.total = rt.getReducingState(new ReducingStateDescriptor<number>('total', (a, b) => a + b));
    this.average = rt.getAggregatingState(new AggregatingStateDescriptor('mean', mean));
  }

  processElement(e: Ev, ctx: KeyedContext<string>, out: Collector<string>): void {
    this.seen.update((this.seen.value() ?? 0) + 1);
    this.recent.add(e.v);
    if (this.recent.get().length > 3) this.recent.update(this.recent.get().slice(-3));
    this.buckets.put(e.v % 3, (this.buckets.get(e.v % 3) ?? 0) + 1);
    this.total.add(e.v);
    this.average.add(e.v);
    ctx.timerService().registerEventTimeTimer(ctx.timestamp! + 25);
    ctx.timerService().registerProcessingTimeTimer(ctx.timerService().currentProcessingTime() + 40);
    out.collect(`${ctx.getCurrentKey()}|in ${e.v}: ${this.describe()}`);
  }

  override onTimer(timestamp: number, ctx: OnTimerContext<string>, out: Collector<string>): void {
    out.collect(`${ctx.getCurrentKey()}|${ctx.timeDomain}@${timestamp}: ${this.describe()}`);
    if (ctx.timeDomain === 'event-time' && timestamp % 2 === 0) this.recent.clear();
    if (ctx.timeDomain === 'processing-time') this.buckets.remove(timestamp % 3);
  }

  private describe(): string {
    const buckets = [...this.buckets.entries()].sort(([a], [b]) => a - b);
    return `seen ${this.seen.value()} recent ${this.recent.get().join(',')} buckets ${JSON.stringify(buckets)} total ${this.total.get()} mean ${this.average.get()}`;
  }
}

/** Input 1 sets a key's limit (and a processing-time timer), input 2 collects values over it until an event-time timer. */
class OverLimit extends KeyedCoProcessFunction<string, Ev, Ev, string> {
  private limit!: ValueState<number>;
  private over!: ListState<number>;

  override open(rt: RuntimeContext): void {
    this.limit = rt.getState(new ValueStateDescriptor<number>('limit', 25));
    this.over = rt.getListState(new ListStateDescriptor<number>('over'));
  }

  processElement1(e: Ev, ctx: KeyedContext<string>, out: Collector<string>): void {
    this.limit.update(e.v % 50);
    ctx.timerService().registerProcessingTimeTimer(ctx.timerService().currentProcessingTime() + 30);
    out.collect(`${ctx.getCurrentKey()}|limit ${e.v % 50}`);
  }

  processElement2(e: Ev, ctx: KeyedContext<string>, _out: Collector<string>): void {
    if (e.v % 50 > this.limit.value()!) this.over.add(e.v);
    ctx.timerService().registerEventTimeTimer(ctx.timestamp! + 20);
  }

  override onTimer(timestamp: number, ctx: OnTimerContext<string>, out: Collector<string>): void {
    out.collect(`${ctx.getCurrentKey()}|${ctx.timeDomain}@${timestamp} limit ${this.limit.value()} over ${this.over.get().join(',')}`);
    if (ctx.timeDomain === 'event-time') this.over.clear();
  }
}

/**
 * Sessions (gap 40) of every key: a first one that fires before any snapshot (steps 0..12), then a
 * second one whose windows merge before, across and after the snapshots: the 35s (steps 26..31)
 * merge two sessions, 200 and 150 (32..43) start two more, 105 (44..49) grows the first, and 180
 * and 140 (51..62) merge them all.
 */
function sessionSteps(): Step[] {
  const steps: Step[] = [];
  const round = (offsets: number[], base: number): void => {
    for (const offset of offsets) KEYS.forEach((id, k) => steps.push({ record: { id, v: base + offset + k }, timestamp: base + 7 * k + offset }));
  };
  round([0, 20], 0);
  steps.push({ watermark: 300 });
  // [0,40) and [70,110), then 35 merges them; 200 starts another session.
  round([0, 70], 1000);
  steps.push({ watermark: 900 });
  round([35], 1000);
  round([200, 150], 1000);
  // 105 merges [0,110) with [105,145); 180 merges [150,190) and [200,240); 140 merges everything.
  round([105], 1000);
  steps.push({ watermark: 1050 });
  round([180, 140], 1000);
  return steps;
}

const tumbling: Case<string> = {
  name: 'tumbling windows (process) with allowed lateness and a late side output',
  build: (s) =>
    s
      .keyBy((e) => e.id)
      .window(TumblingEventTimeWindows.of(50))
      .allowedLateness(30)
      .sideOutputLateData(LATE)
      .process<string>((key, ctx, elements, out) => out.collect(`${key}|[${ctx.window.start}, ${ctx.window.end}) ${[...elements].map((e) => e.v).join(',')}`)),
  steps: stream(90, { seed: 15, late: 150 }),
  sideOutputs: [LATE],
};

const slidingAggregate: Case<string> = {
  name: 'sliding windows on shared panes (aggregate) with allowed lateness and a late side output',
  build: (s) =>
    s
      .keyBy((e) => e.id)
      .window(SlidingEventTimeWindows.of(60, 20))
      .allowedLateness(25)
      .sideOutputLateData(LATE)
      .aggregate(sumAndCount, (key, ctx, [result], out: Collector<string>) => out.collect(`${key}|[${ctx.window.start}, ${ctx.window.end}) ${result}`)),
  steps: stream(90, { seed: 2, late: 240 }),
  sideOutputs: [LATE],
};

const slidingReduce: Case<string> = {
  name: 'sliding windows per window (reduce) with allowed lateness and a late side output',
  build: (s) =>
    s
      .keyBy((e) => e.id)
      .window(SlidingEventTimeWindows.of(60, 20))
      .allowedLateness(25)
      .sideOutputLateData(LATE)
      .reduce(
        (a, b) => ({ id: a.id, v: (a.v * 31 + b.v) % 100_003 }),
        (key, ctx, [result], out: Collector<string>) => out.collect(`${key}|[${ctx.window.start}, ${ctx.window.end}) ${result!.v}`),
      ),
  steps: stream(90, { seed: 3, late: 240 }),
  sideOutputs: [LATE],
};

const CASES: Case<unknown>[] = [
  {
    name: 'a keyed process function with value (TTL), list, map, reducing and aggregating state and both kinds of timers',
    build: (s) => s.keyBy((e) => e.id).process(new EveryState()),
    steps: stream(90, { seed: 4, processingTime: true }),
  },
  tumbling,
  slidingAggregate,
  slidingReduce,
  {
    name: 'session windows snapshotted mid-merge',
    build: (s) =>
      s
        .keyBy((e) => e.id)
        .window(EventTimeSessionWindows.withGap(40))
        .process<string>((key, ctx, elements, out) => out.collect(`${key}|[${ctx.window.start}, ${ctx.window.end}) ${[...elements].map((e) => e.v).join(',')}`)),
    steps: sessionSteps(),
    cuts: [20, 29, 32, 44, 47, 55],
  },
  {
    name: 'a keyed rolling sum',
    build: (s) => s.keyBy((e) => e.id).sum('v'),
    steps: stream(60, { seed: 5 }),
  },
  {
    name: 'a keyed rolling reduce',
    build: (s) => s.keyBy((e) => e.id).reduce((a, b) => ({ id: a.id, v: (a.v * 7 + b.v) % 1009 })),
    steps: stream(60, { seed: 6 }),
  },
  {
    name: 'a window join',
    build: (s) =>
      s
        .filter((e) => e.left === true)
        .join(s.filter((e) => e.left !== true))
        .where((l) => l.id)
        .equalTo((r) => r.id)
        .window(TumblingEventTimeWindows.of(50))
        .apply((l, r) => `${l.id}|${l.v}x${r.v}`),
    steps: stream(90, { seed: 7, twoInputs: true }),
  },
  {
    name: 'an interval join',
    build: (s) =>
      s
        .filter((e) => e.left === true)
        .keyBy((l) => l.id)
        .intervalJoin(s.filter((e) => e.left !== true).keyBy((r) => r.id))
        .between(-15, 15)
        .process<string>((l, r, ctx, out) => out.collect(`${l.id}|${l.v}~${r.v} at ${ctx.leftTimestamp},${ctx.rightTimestamp}`)),
    steps: stream(90, { seed: 8, twoInputs: true, late: 40 }),
  },
  {
    name: 'a keyed co-process function with state and both kinds of timers',
    build: (s) =>
      s
        .filter((e) => e.left === true)
        .keyBy((l) => l.id)
        .connect(s.filter((e) => e.left !== true).keyBy((r) => r.id))
        .process(new OverLimit()),
    steps: stream(90, { seed: 9, twoInputs: true, processingTime: true }),
  },
] as Case<unknown>[];

for (const c of CASES) {
  describe(`restoring at another parallelism: ${c.name}`, () => {
    it('runs at parallelism 3 as at 1 (the records of each key to the subtask owning it)', async () => {
      const expected = await reference(c);
      assert.ok(expected.length > 10, `the reference run emits (${expected.length})`);
      const run = await ParallelRun.start(c, 3);
      run.feed(c.steps);
      await run.end();
      assert.deepEqual(perKey(run.emitted()), perKey(expected));
    });

    const cuts = c.cuts ?? [watermarkNear(c.steps, 1 / 3), watermarkNear(c.steps, 2 / 3)];
    for (const cut of cuts) {
      it(`snapshotted at parallelism 1 after step ${cut}, continues in 3 subtasks`, () => rescaled(c, cut, 1, 3));
      it(`snapshotted in 4 subtasks after step ${cut}, continues in 2`, () => rescaled(c, cut, 4, 2));
    }
  });
}

describe('the late records of the window cases', () => {
  it('include records within the allowed lateness (a window fires again) and records past it (the side output)', async () => {
    for (const c of [tumbling, slidingAggregate, slidingReduce]) {
      const h = await createHarness(c.build, { sideOutputs: [LATE] });
      for (const step of c.steps) {
        if ('record' in step) h.processElement(step.record, step.timestamp);
        else if ('watermark' in step) h.processWatermark(step.watermark);
      }
      await h.endInput();
      const fired = h.values().map((v) => v.slice(0, v.lastIndexOf(' ')));
      assert.ok(new Set(fired).size < fired.length, `${c.name}: some window fired twice`);
      assert.ok(h.sideOutput(LATE).length > 0, `${c.name}: some records went to the side output`);
    }
  });
});

describe('a restored window operator, before its first watermark', () => {
  // A restored operator's watermark starts over (as in Flink): a record late but within the allowed
  // lateness of a window that fired before the snapshot arrives before the next watermark. Flink's
  // trigger registers the window's timer again, and the window fires again at that watermark.
  const refire = async (build: (s: DataStream<number>) => DataStream<number>): Promise<number[]> => {
    const before = await createHarness(build);
    before.processElement(1, 10);
    before.processWatermark(65); // [0, 60) fires with 1; its state is kept until 59 + 25
    const after = await createHarness(build, { restoreFrom: await before.snapshot() });
    after.processElement(2, 15);
    after.processWatermark(66);
    return [...before.output(), ...after.output()].filter((r) => r.timestamp === 59).map((r) => r.value);
  };
  const sum: AggregateFunction<number, number, number> = { createAccumulator: () => 0, add: (v, acc) => acc + v, getResult: (acc) => acc, merge: (a, b) => a + b };
  it('fires a buffering (process) window again with the late record', async () => {
    const values = await refire((s) =>
      s
        .keyBy(() => 'k')
        .window(TumblingEventTimeWindows.of(60))
        .allowedLateness(25)
        .process<number>((_k, _ctx, elements, out) => out.collect([...elements].reduce((a, b) => a + b))),
    );
    assert.deepEqual(values, [1, 3]);
  });

  it('fires a reducing window again with the late record', async () => {
    assert.deepEqual(await refire((s) => s.keyBy(() => 'k').window(TumblingEventTimeWindows.of(60)).allowedLateness(25).reduce((a, b) => a + b)), [1, 3]);
  });

  it('fires an aggregating window again with the late record', async () => {
    assert.deepEqual(await refire((s) => s.keyBy(() => 'k').window(TumblingEventTimeWindows.of(60)).allowedLateness(25).aggregate(sum)), [1, 3]);
  });

  it('fires a sliding window on shared panes again with the late record', async () => {
    assert.deepEqual(await refire((s) => s.keyBy(() => 'k').window(SlidingEventTimeWindows.of(60, 20)).allowedLateness(25).aggregate(sum)), [1, 3]);
  });
});
