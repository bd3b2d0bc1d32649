// The operators' snapshot hooks, through the harness: keyed state, window contents, merging
// sessions and timers survive a snapshot and a restore into a new harness (the output equals an
// uninterrupted run), and a sink's two-phase commit prepares at the snapshot, commits when the
// checkpoint completes, and commits what a restored snapshot holds before it writes again.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  createHarness,
  EventTimeSessionWindows,
  KeyedProcessFunction,
  SlidingEventTimeWindows,
  TumblingEventTimeWindows,
  ValueStateDescriptor,
  type Collector,
  type DataStream,
  type HarnessOptions,
  type HarnessRecord,
  type KeyedContext,
  type OnTimerContext,
  type RuntimeContext,
  type Sink,
  type ValueState,
} from '../../src/index.js';

interface Reading {
  id: string;
  v: number;
}

type Build<Out> = (s: DataStream<Reading>) => DataStream<Out>;

/** The readings of a test: ids a..e, event time 0..`count` ms, values 1..count. */
function readings(count: number): [Reading, number][] {
  return Array.from({ length: count }, (_, i) => [{ id: 'abcde'[i % 5]!, v: i + 1 }, i * 7]);
}

/**
 * Runs `build` over `input` once without interruption, and once with a snapshot after `cut`
 * elements restored into a new harness: both must emit the same records with the same
 * timestamps, in timestamp order. (Timers of different keys at one time fire in no defined
 * order, as in Flink; a restore lists them by key group.)
 */
async function survivesRestore<Out>(build: Build<Out>, input: [Reading, number][], cut: number, watermarks: (i: number) => number | undefined): Promise<HarnessRecord<Out>[]> {
  const feed = (h: { processElement(v: Reading, t: number): void; processWatermark(t: number): void }, from: number, to: number): void => {
    for (let i = from; i < to; i++) {
      h.processElement(...input[i]!);
      const watermark = watermarks(i);
      if (watermark !== undefined) h.processWatermark(watermark);
    }
  };
  const whole = await createHarness(build);
  feed(whole, 0, input.length);
  await whole.endInput();

  const before = await createHarness(build);
  feed(before, 0, cut);
  const snapshot = await before.snapshot(1);
  const options: HarnessOptions = { restoreFrom: snapshot };
  const after = await createHarness(build, options);
  feed(after, cut, input.length);
  await after.endInput();
  const byTime = (records: HarnessRecord<Out>[]): HarnessRecord<Out>[] => {
    const sorted = records.map((r) => ({ r, at: r.timestamp ?? -1, text: JSON.stringify(r.value) }));
    sorted.sort((a, b) => a.at - b.at || (a.text < b.text ? -1 : a.text > b.text ? 1 : 0));
    assert.deepEqual(records.map((r) => r.timestamp ?? -1), sorted.map((e) => e.at), 'timestamps in order');
    return sorted.map((e) => e.r);
  };
  assert.deepEqual(byTime([...before.output(), ...after.output()]), byTime(whole.output()));
  return whole.output();
}

class CountWithTimeout extends KeyedProcessFunction<string, Reading, string> {
  private count!: ValueState<number>;

  override open(rt: RuntimeContext): void {
    this.count = rt.getState(new ValueStateDescriptor<number>('count', 0));
  }

  processElement(_r: Reading, ctx: KeyedContext<string>): void {
    this.count.update(this.count.value()! + 1);
    ctx.timerService().registerEventTimeTimer(ctx.timestamp! + 30);
  }

  override onTimer(timestamp: number, ctx: OnTimerContext<string>, out: Collector<string>): void {
    out.collect(`${ctx.getCurrentKey()}@${timestamp}=${this.count.value()}`);
  }
}

describe('snapshot and restore through the harness', () => {
  const input = readings(60);
  const everyTenth = (i: number): number | undefined => (i % 10 === 9 ? i * 7 - 20 : undefined);

  for (const cut of [1, 17, 33, 59]) {
    it(`tumbling windows (reduce) continue after a restore at element ${cut}`, async () => {
      const out = await survivesRestore((s) => s.keyBy((r) => r.id).window(TumblingEventTimeWindows.of(50)).reduce((a, b) => ({ id: a.id, v: a.v + b.v })), input, cut, everyTenth);
      assert.ok(out.length > 10);
    });

    it(`sliding windows on shared panes (aggregate) continue after a restore at element ${cut}`, async () => {
      const count = { createAccumulator: () => 0, add: (_: Reading, acc: number) => acc + 1, getResult: (acc: number) => acc, merge: (a: number, b: number) => a + b };
      await survivesRestore((s) => s.keyBy((r) => r.id).window(SlidingEventTimeWindows.of(60, 20)).aggregate(count), input, cut, everyTenth);
    });

    it(`merging session windows continue after a restore at element ${cut}`, async () => {
      const sessionInput = input.map(([r, t], i): [Reading, number] => [r, t + (i % 13 === 0 ? 500 : 0) + Math.floor(i / 20) * 1000]);
      await survivesRestore((s) => s.keyBy((r) => r.id).window(EventTimeSessionWindows.withGap(40)).reduce((a, b) => ({ id: a.id, v: a.v + b.v })), sessionInput, cut, () => undefined);
    });

    it(`a keyed process function's state and event-time timers continue after a restore at element ${cut}`, async () => {
      const out = await survivesRestore((s) => s.keyBy((r) => r.id).process(new CountWithTimeout()), input, cut, everyTenth);
      assert.ok(out.length > 5);
    });
  }

  it('processing-time timers are restored too and fire when the new clock reaches them', async () => {
    const build: Build<string> = (s) =>
      s.keyBy((r) => r.id).process(
        new (class extends KeyedProcessFunction<string, Reading, string> {
          processElement(r: Reading, ctx: KeyedContext<string>): void {
            ctx.timerService().registerProcessingTimeTimer(1000 + r.v);
          }

          override onTimer(timestamp: number, ctx: OnTimerContext<string>, out: Collector<string>): void {
            out.collect(`${ctx.getCurrentKey()} ${ctx.timeDomain} ${timestamp}`);
          }
        })(),
      );
    const before = await createHarness(build);
    before.processElement({ id: 'a', v: 1 });
    before.processElement({ id: 'b', v: 2 });
    const after = await createHarness(build, { restoreFrom: await before.snapshot() });
    after.setProcessingTime(1001);
    assert.deepEqual(after.values(), ['a processing-time 1001']);
    after.setProcessingTime(5000);
    assert.deepEqual(after.values(), ['a processing-time 1001', 'b processing-time 1002']);
  });
});

/** A two-phase-commit sink into `store`: records wait in a transaction per checkpoint until committed. */
function transactionalSink(store: { committed: number[]; log: string[] }): Sink<number, number[]> {
  return {
    createCommitter: () => ({
      commit(transactions) {
        for (const records of transactions) {
          store.log.push(`commit ${records.join(',')}`);
          store.committed.push(...records);
        }
      },
    }),
    createWriter: () => {
      store.log.push('writer created');
      let open: number[] = [];
      return {
        write(value) {
          open.push(value);
        },
        prepareCommit(checkpointId) {
          store.log.push(`prepare ${checkpointId}`);
          const prepared = open;
          open = [];
          return [prepared];
        },
      };
    },
  };
}

describe('two-phase commit sinks through the harness', () => {
  it('prepares at the snapshot, commits when the checkpoint completes, never before', async () => {
    const store = { committed: [] as number[], log: [] as string[] };
    const sink = transactionalSink(store);
    const h = await createHarness((s: DataStream<number>) => {
      s.sinkTo(sink);
      return s;
    });
    h.processElement(1);
    h.processElement(2);
    await h.snapshot(1);
    h.processElement(3);
    await h.snapshot(2);
    assert.deepEqual(store.committed, [], 'nothing is visible before its checkpoint completes');
    await h.notifyCheckpointComplete(1);
    assert.deepEqual(store.committed, [1, 2]);
    await h.notifyCheckpointComplete(2);
    assert.deepEqual(store.committed, [1, 2, 3]);
    assert.deepEqual(store.log, ['writer created', 'prepare 1', 'prepare 2', 'commit 1,2', 'commit 3']);
  });

  it('a restored snapshot commits what it prepared before a new writer starts', async () => {
    const store = { committed: [] as number[], log: [] as string[] };
    const build = (s: DataStream<number>): DataStream<number> => {
      s.sinkTo(transactionalSink(store));
      return s;
    };
    const crashed = await createHarness(build);
    crashed.processElement(10);
    crashed.processElement(11);
    const snapshot = await crashed.snapshot(4);
    // The process dies here: checkpoint 4 completed, but its commit never ran.
    store.log.length = 0;
    await createHarness(build, { restoreFrom: snapshot });
    assert.deepEqual(store.committed, [10, 11]);
    assert.deepEqual(store.log, ['commit 10,11', 'writer created']);
  });

  it('a sink that prepares commits without a committer is refused with a sentence on what to add', async () => {
    const sink: Sink<number, string> = { createWriter: () => ({ write() {}, prepareCommit: () => ['txn'] }) };
    await assert.rejects(
      createHarness((s: DataStream<number>) => {
        s.sinkTo(sink);
        return s;
      }),
      /has no createCommitter\(\), but its writer has prepareCommit/,
    );
  });
});
