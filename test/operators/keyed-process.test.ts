// KeyedProcessFunction through the harness: keyed state per key, event-time timers across keys in
// timestamp order, deduplicated per (key, time) and deletable, processing-time timers, the
// timestamps of timer output, side outputs, and state TTL on processing time.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  createHarness,
  KeyedProcessFunction,
  OutputTag,
  ValueStateDescriptor,
  type Collector,
  type DataStream,
  type KeyedContext,
  type OnTimerContext,
  type RuntimeContext,
  type ValueState,
} from '../../src/index.js';

interface Click {
  user: string;
  n: number;
}

/** Counts clicks per user; an event-time timer at ts + 10 reports the count; n < 0 deletes it. */
class CountThenReport extends KeyedProcessFunction<string, Click, string> {
  private count!: ValueState<number>;

  override open(rt: RuntimeContext): void {
    this.count = rt.getState(new ValueStateDescriptor<number>('count', 0));
  }

  processElement(click: Click, ctx: KeyedContext<string>, out: Collector<string>): void {
    this.count.update(this.count.value()! + 1);
    if (click.n < 0) ctx.timerService().deleteEventTimeTimer(-click.n);
    else ctx.timerService().registerEventTimeTimer(click.n);
    if (click.n === 999) ctx.output(ALERTS, `alert ${ctx.getCurrentKey()}`);
    out.collect(`seen ${ctx.getCurrentKey()}`);
  }

  override onTimer(ts: number, ctx: OnTimerContext<string>, out: Collector<string>): void {
    out.collect(`${ctx.timeDomain} ${ts} ${ctx.getCurrentKey()}=${this.count.value()}`);
  }
}

const ALERTS = new OutputTag<string>('alerts');

async function harness() {
  return createHarness((s: DataStream<Click>) => s.keyBy((c) => c.user).process(new CountThenReport()), { sideOutputs: [ALERTS] });
}

describe('KeyedProcessFunction', () => {
  it('fires event-time timers across keys in timestamp order, with their key current', async () => {
    const h = await harness();
    h.processElement({ user: 'b', n: 30 }, 1);
    h.processElement({ user: 'a', n: 20 }, 2);
    h.processElement({ user: 'a', n: 40 }, 3);
    h.processElement({ user: 'c', n: 10 }, 4);
    h.clearOutput();
    h.processWatermark(35);
    assert.deepEqual(h.values(), ['event-time 10 c=1', 'event-time 20 a=2', 'event-time 30 b=1']);
    assert.deepEqual(h.output().map((r) => r.timestamp), [10, 20, 30], 'timer output carries the timer timestamp');
    h.clearOutput();
    h.processWatermark(40);
    assert.deepEqual(h.values(), ['event-time 40 a=2'], 'a timer fires when the watermark reaches it');
  });

  it('deduplicates timers per key and time, and deletes them', async () => {
    const h = await harness();
    h.processElement({ user: 'a', n: 20 }, 1);
    h.processElement({ user: 'a', n: 20 }, 2);
    h.processElement({ user: 'b', n: 20 }, 3);
    h.processElement({ user: 'b', n: -20 }, 4);
    h.clearOutput();
    h.processWatermark(100);
    assert.deepEqual(h.values(), ['event-time 20 a=2']);
  });

  it('emits side outputs next to the main output', async () => {
    const h = await harness();
    h.processElement({ user: 'z', n: 999 }, 5);
    assert.deepEqual(h.sideOutput(ALERTS), [{ value: 'alert z', timestamp: 5 }]);
    assert.deepEqual(h.values(), ['seen z']);
  });

  it('fires processing-time timers when processing time reaches them, without a timestamp', async () => {
    class Later extends KeyedProcessFunction<string, Click, string> {
      processElement(click: Click, ctx: KeyedContext<string>): void {
        ctx.timerService().registerProcessingTimeTimer(ctx.timerService().currentProcessingTime() + click.n);
      }

      override onTimer(ts: number, ctx: OnTimerContext<string>, out: Collector<string>): void {
        out.collect(`${ctx.timeDomain} ${ts} ${ctx.getCurrentKey()}`);
      }
    }
    const h = await createHarness((s: DataStream<Click>) => s.keyBy((c) => c.user).process(new Later()), { processingTime: 1000 });
    h.processElement({ user: 'a', n: 50 });
    h.processElement({ user: 'b', n: 20 });
    h.setProcessingTime(1030);
    assert.deepEqual(h.output(), [{ value: 'processing-time 1020 b', timestamp: undefined }]);
    h.setProcessingTime(1050);
    assert.deepEqual(h.values(), ['processing-time 1020 b', 'processing-time 1050 a']);
  });

  it('expires state after its TTL of processing time', async () => {
    class Remember extends KeyedProcessFunction<string, Click, number | undefined> {
      private last!: ValueState<number>;

      override open(rt: RuntimeContext): void {
        this.last = rt.getState(new ValueStateDescriptor<number>('last').enableTimeToLive({ ttlMs: 100 }));
      }

      processElement(click: Click, _ctx: KeyedContext<string>, out: Collector<number | undefined>): void {
        out.collect(this.last.value());
        this.last.update(click.n);
      }
    }
    const h = await createHarness((s: DataStream<Click>) => s.keyBy((c) => c.user).process(new Remember()), { processingTime: 0 });
    h.processElement({ user: 'a', n: 1 });
    h.setProcessingTime(50);
    h.processElement({ user: 'a', n: 2 });
    h.setProcessingTime(200);
    h.processElement({ user: 'a', n: 3 });
    assert.deepEqual(h.values(), [undefined, 1, undefined]);
  });

  it('refuses keyed state in a function that is not on a keyed stream', async () => {
    const { ProcessFunction } = await import('../../src/index.js');
    class Stateful extends ProcessFunction<number, number> {
      override open(rt: RuntimeContext): void {
        rt.getState(new ValueStateDescriptor<number>('x'));
      }

      processElement(): void {}
    }
    await assert.rejects(createHarness((s: DataStream<number>) => s.process(new Stateful())), /call keyBy\(\.\.\.\) before process/);
  });
});
