// Throughput of Kafka -> map -> Kafka: kafkajs alone (produce, consume, a consume-transform-produce
// loop) next to the eddy job at each parallelism with at-least-once and exactly-once sinks, all on
// the same input topic of each round, each output checked to hold every record once; and the same
// job through clients that cost nothing (free-clients.ts): the most a faster client could give.

import { formatRate, median, spreadPercent } from '../utils/stats.js';
import { eddyFreeClientsRun, eddyKafkaRun, type EddyKafkaOptions, type Guarantee } from './eddy-run.js';
import { consumeReadings, consumeTransformProduce, produceReadings } from './kafkajs-alone.js';
import { checkCommittedCount, createTopic, deleteTopics, uniqueName } from './topics.js';

export interface KafkaThroughputOptions extends EddyKafkaOptions {
  parallelisms: readonly number[];
  rounds: number;
}

interface Case {
  readonly name: string;
  readonly rates: number[];
  /** Eddy's: records per second from the job's start to the Kafka timestamp of its last output record. */
  readonly written?: number[];
}

interface EddyCase extends Case {
  readonly p: number;
  readonly guarantee: Guarantee;
  readonly written: number[];
}

interface EddyMedians {
  readonly p: number;
  readonly guarantee: Guarantee;
  readonly rate: number;
  readonly written: number;
}

/** Sentences naming where kafkajs bounds the pipelines, from the medians. */
function bottleneck(produce: number, consume: number, loop: number, eddy: readonly EddyMedians[], free: readonly { p: number; rate: number }[]): string {
  const ratios = (guarantee: Guarantee, of: (c: EddyMedians) => number) =>
    eddy
      .filter((c) => c.guarantee === guarantee)
      .map((c) => `${(of(c) / loop).toFixed(2)} at p=${c.p}`)
      .join(', ');
  const [slow, fast] = produce <= consume ? (['producer', 'consumer'] as const) : (['consumer', 'producer'] as const);
  const single = eddy.find((c) => c.guarantee === 'at-least-once' && c.p === 1);
  const verdict =
    single === undefined
      ? ''
      : single.rate >= 0.8 * loop
        ? ' At parallelism 1 it reaches at least 0.8 of the loop: kafkajs, not eddy, sets its rate.'
        : " At parallelism 1 it stays below 0.8 of the loop: there eddy's own cost weighs more than kafkajs's.";
  return (
    `kafkajs's ${slow} is the bottleneck: one kafkajs ${slow} runs at ${formatRate(Math.min(produce, consume))}/s, ` +
    `${(Math.max(produce, consume) / Math.min(produce, consume)).toFixed(1)}× slower than one ${fast} (${formatRate(Math.max(produce, consume))}/s), ` +
    `and a consume-transform-produce loop on one thread runs at ${formatRate(loop)}/s, ${(loop / Math.min(produce, consume)).toFixed(2)} of the ${slow} alone. ` +
    `eddy at-least-once runs at ${ratios('at-least-once', (c) => c.rate)} times that loop (each subtask writes through its own kafkajs producer, so a parallelism above 1 can pass one loop).${verdict} ` +
    `Exactly-once runs at ${ratios('exactly-once', (c) => c.rate)} times the loop by the job's wall time, and ${ratios('exactly-once', (c) => c.written)} up to its last record written. ` +
    `Through clients that cost nothing (records served from memory behind eddy's read-client interface, a producer that only counts) the same at-least-once job runs at ` +
    free
      .map((f) => {
        const kafkajs = eddy.find((c) => c.p === f.p && c.guarantee === 'at-least-once');
        return `${formatRate(f.rate)}/s at p=${f.p}${kafkajs === undefined ? '' : ` (${(f.rate / kafkajs.rate).toFixed(1)}× its rate through kafkajs)`}`;
      })
      .join(', ') +
    ': the most a faster client behind the same interfaces could give, and the share of the time kafkajs takes now.'
  );
}

export async function kafkaThroughput(options: KafkaThroughputOptions): Promise<string> {
  const { brokers, records, partitions } = options;
  const produce: Case = { name: 'kafkajs produce (acks -1, batches of 1000)', rates: [] };
  const consume: Case = { name: 'kafkajs consume (eachBatch + JSON.parse)', rates: [] };
  const loop: Case = { name: 'kafkajs consume-transform-produce', rates: [] };
  const eddy: EddyCase[] = options.parallelisms.flatMap((p) =>
    (['at-least-once', 'exactly-once'] as const).map((guarantee) => ({ p, guarantee, name: `eddy p=${p}, ${guarantee}`, rates: [], written: [] })),
  );
  const free: (Case & { p: number })[] = options.parallelisms.map((p) => ({ p, name: `eddy p=${p}, at-least-once, clients that cost nothing`, rates: [] }));
  for (let round = 0; round < options.rounds; round++) {
    const input = uniqueName('eddy-bench-in');
    const looped = uniqueName('eddy-bench-loop');
    await createTopic(brokers, input, partitions);
    await createTopic(brokers, looped, partitions);
    produce.rates.push(await produceReadings(brokers, input, records, partitions));
    consume.rates.push(await consumeReadings(brokers, input, records));
    loop.rates.push(await consumeTransformProduce(brokers, input, looped, records));
    await checkCommittedCount(brokers, looped, records, 'kafkajs consume-transform-produce');
    await deleteTopics(brokers, [looped]);
    for (const c of [produce, consume, loop]) console.error(`  round ${round + 1} ${c.name}: ${formatRate(c.rates.at(-1)!)}/s`);
    for (const c of eddy) {
      const run = await eddyKafkaRun(options, input, c.p, c.guarantee);
      c.rates.push(run.rate);
      c.written.push(run.written);
      console.error(`  round ${round + 1} ${c.name}: ${formatRate(run.rate)}/s, ${formatRate(run.written)}/s to the last record written`);
    }
    await deleteTopics(brokers, [input]);
    for (const c of free) {
      c.rates.push(await eddyFreeClientsRun(options, c.p));
      console.error(`  round ${round + 1} ${c.name}: ${formatRate(c.rates.at(-1)!)}/s`);
    }
  }
  const ceiling = median(loop.rates);
  const eddyMedians = eddy.map((c) => ({ p: c.p, guarantee: c.guarantee, rate: median(c.rates), written: median(c.written) }));
  return [
    `${formatRate(records)} records of about 1000 bytes of JSON, ${partitions} partitions; the eddy job is KafkaSource -> map -> KafkaSink, bounded, its rate the records over the job's wall time (start-up and end included), and over the time from its start to the Kafka timestamp of its last output record; ` +
      `exactly-once checkpoints every ${options.intervalMs} ms; kafkajs rates run from joining the consumer group to the last record; every output is read back (read committed) and holds each record once. ${options.rounds} rounds.`,
    '',
    '| case | records/s (median) | spread | vs the kafkajs loop | records/s to the last record written |',
    '|---|---|---|---|---|',
    ...[produce, consume, loop, ...eddy, ...free].map(
      (c) =>
        `| ${c.name} | ${formatRate(median(c.rates))} | ±${spreadPercent(c.rates).toFixed(0)} % | ${(median(c.rates) / ceiling).toFixed(2)} | ` +
        `${c.written === undefined ? '-' : formatRate(median(c.written))} |`,
    ),
    '',
    bottleneck(median(produce.rates), median(consume.rates), ceiling, eddyMedians, free.map((c) => ({ p: c.p, rate: median(c.rates) }))),
  ].join('\n');
}
