// Latency mode of the Nexmark runner, the counterpart of the Flink reference's --latency
// (bench/reference/flink: GeneratorSource, LatencyAssigner): a rate-limited source stamps each
// record with its emission time, and the keyed window operator of the seed job or q5 records each
// arriving record's age (stamp -> arrival, after the source, the watermark assigner and the keyBy
// shuffle) into a SharedHistogram that the main thread reads when the job ends.
//
// Where the age is taken: the seed job's per-window operator calls its assigner once per record
// (as Flink's window operator does), so a wrapping assigner measures there; q5's sliding aggregate
// runs on shared panes, which call no assigner but the aggregate's `add` once per record.

import {
  WatermarkStrategy,
  type AggregateFunction,
  type DataStream,
  type StreamExecutionEnvironment,
  type TimeWindow,
  type Trigger,
  type Window,
  type WindowAssigner,
  type WindowAssignerContext,
} from '../../src/index.js';
import { nowMs } from '../utils/clock.js';
import { PacedSource, type Stamped } from '../utils/paced-source.js';
import { SharedHistogram } from '../utils/shared-histogram.js';
import { eventAt, eventTime, OUT_OF_ORDERNESS_MS, type NexmarkEvent } from './generator.js';
import { COUNT, hotItems, type AuctionCount, type QueryJob } from './queries.js';
import { readingAt, SEED_WINDOWS, seedJob, type Reading, type WindowMean } from './sensor.js';

/** What a latency run passes its job (a SharedArrayBuffer travels to every worker as shared memory). */
export interface LatencyArgs {
  /** Records per second of wall time, all source subtasks together. */
  rateLimit: number;
  /** From SharedHistogram.allocate(): where every subtask records ages, in µs. */
  histogram: SharedArrayBuffer;
  /** Records stamped in the first this many ms after the first record a recorder sees are not measured (the warm-up). */
  warmupMs: number;
}

/**
 * Records the age of stamped records into the shared histogram, from `warmupMs` after the first
 * stamp it sees on (counted from the records, not from the submission, so a slow start-up does not
 * eat the warm-up).
 */
export function ageRecorder(args: LatencyArgs): (stamp: number) => void {
  const histogram = new SharedHistogram(args.histogram);
  let from: number | undefined;
  return (stamp) => {
    from ??= stamp + args.warmupMs;
    if (stamp >= from) histogram.record((nowMs() - stamp) * 1000);
  };
}

/** Flink's LatencyAssigner: calls `measure` with each element the window operator assigns, then delegates. */
export class MeasuringAssigner<T, W extends Window> implements WindowAssigner<T, W> {
  constructor(
    private readonly inner: WindowAssigner<T, W>,
    private readonly measure: (element: T) => void,
  ) {
    if (inner.isMerging) throw new TypeError('MeasuringAssigner wraps assigners whose windows do not merge.');
  }

  assignWindows(element: T, timestamp: number, ctx: WindowAssignerContext): readonly W[] {
    this.measure(element);
    return this.inner.assignWindows(element, timestamp, ctx);
  }

  defaultTrigger(): Trigger<T, W> {
    return this.inner.defaultTrigger();
  }

  get isEventTime(): boolean {
    return this.inner.isEventTime;
  }

  readonly isMerging = false;

  get namespaces() {
    return this.inner.namespaces;
  }

  toString(): string {
    return `Latency(${String(this.inner)})`;
  }
}

/** Paced, stamped records of a job, event time from `timestamp`, watermarks 4 s behind. */
function pacedStream<T extends Stamped>(
  env: StreamExecutionEnvironment,
  count: number,
  latency: LatencyArgs,
  make: (n: number, stamp: number) => T,
  timestamp: (record: T) => number,
  name: string,
): DataStream<T> {
  return env.fromSource(
    new PacedSource(count, latency.rateLimit, make),
    WatermarkStrategy.forBoundedOutOfOrderness<T>(OUT_OF_ORDERNESS_MS).withTimestampAssigner(timestamp),
    name,
  );
}

/** The seed job on paced, stamped readings, measured at its window operator. */
export function latencySeedJob(env: StreamExecutionEnvironment, count: number, rate: number, devices: number, latency: LatencyArgs): QueryJob<WindowMean> {
  const readings = pacedStream<Reading & Stamped>(env, count, latency, (n, stamp) => Object.assign(readingAt(n, rate, devices), { stamp }), (r) => r.ts, 'Sensor Readings');
  const age = ageRecorder(latency);
  // The stamp rides along: a stream of stamped readings is a stream of readings to the job.
  return seedJob(readings as unknown as DataStream<Reading>, new MeasuringAssigner<Reading, TimeWindow>(SEED_WINDOWS, (r) => age((r as Reading & Stamped).stamp)));
}

/** A bid cut down to what latency-mode q5 keys and measures by. */
interface StampedAuction extends Stamped {
  auction: number;
}

/** q5 on paced, stamped events, measured where its window operator counts each bid. */
export function latencyQ5(env: StreamExecutionEnvironment, count: number, rate: number, latency: LatencyArgs): QueryJob<AuctionCount> {
  const events = pacedStream<NexmarkEvent & Stamped>(env, count, latency, (n, stamp) => Object.assign(eventAt(n, rate), { stamp }), eventTime, 'Nexmark Source');
  const age = ageRecorder(latency);
  const countAndMeasure: AggregateFunction<StampedAuction, number, number> = {
    ...(COUNT as AggregateFunction<StampedAuction, number, number>),
    add: (bid, acc) => {
      age(bid.stamp);
      return acc + 1;
    },
  };
  const bids = events
    .flatMap<StampedAuction>((e, out) => {
      if (e.kind === 'bid') out.collect({ auction: e.bid.auction, stamp: e.stamp });
    })
    .name('q5: stamped bid auctions');
  return hotItems(bids, (b) => b.auction, countAndMeasure);
}
