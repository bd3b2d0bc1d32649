// Fraud detection: alert when a card is used in two different cities within
// ten minutes. A KeyedProcessFunction per card keeps the card's last use in ValueState and an
// event-time timer frees it ten minutes later. Run: node dist/examples/fraud-detection.js

import {
  KeyedProcessFunction,
  StreamExecutionEnvironment,
  Time,
  ValueStateDescriptor,
  WatermarkStrategy,
  type Collector,
  type KeyedContext,
  type OnTimerContext,
  type RuntimeContext,
  type ValueState,
} from 'eddy';
import { clock, transactions, type Transaction } from './inputs.js';

const TEN_MINUTES = Time.minutes(10);

/** Where and when a card was last used. */
interface LastUse {
  city: string;
  time: number;
}

interface Alert {
  card: string;
  first: LastUse;
  second: LastUse;
}

class TwoCitiesWithinTenMinutes extends KeyedProcessFunction<string, Transaction, Alert> {
  private lastUse!: ValueState<LastUse>;

  override open(rt: RuntimeContext): void {
    this.lastUse = rt.getState(new ValueStateDescriptor<LastUse>('last-use'));
  }

  processElement(tx: Transaction, ctx: KeyedContext<string>, out: Collector<Alert>): void {
    const now = ctx.timestamp!;
    const last = this.lastUse.value();
    if (last !== undefined) {
      // The timer clears the state only once the watermark passes it, and the watermark may lag
      // behind the records: the time check is what decides.
      if (last.city !== tx.city && now - last.time <= TEN_MINUTES) {
        out.collect({ card: ctx.getCurrentKey(), first: last, second: { city: tx.city, time: now } });
      }
      ctx.timerService().deleteEventTimeTimer(last.time + TEN_MINUTES);
    }
    this.lastUse.update({ city: tx.city, time: now });
    ctx.timerService().registerEventTimeTimer(now + TEN_MINUTES);
  }

  /** Ten minutes of event time without a payment: forget the card (its key leaves no state behind). */
  override onTimer(_timestamp: number, _ctx: OnTimerContext<string>, _out: Collector<Alert>): void {
    this.lastUse.clear();
  }
}

const env = StreamExecutionEnvironment.getExecutionEnvironment();

const alerts = await env
  .fromCollection(transactions())
  .assignTimestampsAndWatermarks(WatermarkStrategy.forMonotonousTimestamps<Transaction>().withTimestampAssigner((tx) => tx.time))
  .keyBy((tx) => tx.card)
  .process(new TwoCitiesWithinTenMinutes())
  .name('Two Cities Within Ten Minutes')
  .executeAndCollect({ jobName: 'fraud-detection' });

alerts.sort((a, b) => a.second.time - b.second.time || a.card.localeCompare(b.card));
console.log(`fraud-detection at parallelism ${env.getParallelism()}: ${alerts.length} alerts`);
for (const { card, first, second } of alerts) {
  const minutes = ((second.time - first.time) / 60_000).toFixed(1);
  console.log(`ALERT ${card}: ${first.city} at ${clock(first.time)}, then ${second.city} at ${clock(second.time)} (${minutes} min apart)`);
}
