// Fraud detection: alert when a card is used in two different cities within ten minutes, over a
// fixed log of payments. A KeyedProcessFunction per card (examples/fraud-detector.ts) keeps the
// card's last use in ValueState and an event-time timer frees it ten minutes later.
// Run: node dist/examples/fraud-detection.js

import { StreamExecutionEnvironment, WatermarkStrategy } from 'eddy';
import { TwoCitiesWithinTenMinutes } from './fraud-detector.js';
import { clock, transactions, type Transaction } from './inputs.js';

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
