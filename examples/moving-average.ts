// A moving average of stock prices over the last 5 minutes, as in Flink's classic examples: a sliding
// event-time window of 5 minutes every minute per symbol, with an AggregateFunction (sum and count
// in cents, so panes merge exactly). Run: node dist/examples/moving-average.js

import { SlidingEventTimeWindows, StreamExecutionEnvironment, Time, WatermarkStrategy, type AggregateFunction, type Collector } from 'eddy';
import { clock, stockTicks, type StockTick } from './inputs.js';

/** Sum of prices in whole cents (exact, whatever order panes merge in) and how many ticks. */
interface PriceSum {
  cents: number;
  ticks: number;
}

const averagePrice: AggregateFunction<StockTick, PriceSum, PriceSum> = {
  createAccumulator: () => ({ cents: 0, ticks: 0 }),
  add: (tick, acc) => ({ cents: acc.cents + Math.round(tick.price * 100), ticks: acc.ticks + 1 }),
  getResult: (acc) => acc,
  merge: (a, b) => ({ cents: a.cents + b.cents, ticks: a.ticks + b.ticks }),
};

interface MovingAverage {
  symbol: string;
  /** End of the five minutes averaged (exclusive). */
  at: number;
  average: number;
  ticks: number;
}

const env = StreamExecutionEnvironment.getExecutionEnvironment();

const averages = await env
  .fromCollection(stockTicks())
  .assignTimestampsAndWatermarks(WatermarkStrategy.forMonotonousTimestamps<StockTick>().withTimestampAssigner((t) => t.time))
  .keyBy((t) => t.symbol)
  .window(SlidingEventTimeWindows.of(Time.minutes(5), Time.minutes(1)))
  .aggregate(averagePrice, (symbol, ctx, sums, out: Collector<MovingAverage>) => {
    for (const { cents, ticks } of sums) out.collect({ symbol, at: ctx.window.end, average: cents / ticks / 100, ticks });
  })
  .name('5-Minute Moving Average')
  .executeAndCollect({ jobName: 'moving-average' });

averages.sort((a, b) => a.at - b.at || a.symbol.localeCompare(b.symbol));
console.log(`moving-average at parallelism ${env.getParallelism()}: ${averages.length} averages over the last 5 minutes, every minute`);
for (const { symbol, at, average, ticks } of averages) {
  console.log(`${clock(at)}  ${symbol.padEnd(7)}  ${average.toFixed(4).padStart(9)}  (${ticks} tick${ticks === 1 ? '' : 's'})`);
}
