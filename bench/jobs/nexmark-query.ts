// Benchmark job: the Nexmark source -> one query of bench/nexmark/queries.ts (or the seed's sensor
// job on generated readings, bench/nexmark/sensor.ts) -> a discarding sink (its records-in metric,
// summed over subtasks, is the number of results), or, with `output`, the results formatted as
// output lines and collected back to the main thread. With `latency`, the seed job or q5 on a
// paced, stamped source, measured at their keyed window operator (bench/nexmark/latency.ts). With
// `checkpoint`, the job checkpoints every `intervalMs` into `dir`, exactly once, and does not restart.

import { defineJob } from '../../src/index.js';
import { enableBenchCheckpoints, type BenchCheckpointArgs } from './checkpointing.js';
import { DEFAULT_RATE, nexmarkStream } from '../nexmark/generator.js';
import { latencyQ5, latencySeedJob, type LatencyArgs } from '../nexmark/latency.js';
import { isQueryName, QUERIES, type QueryJob } from '../nexmark/queries.js';
import { DEFAULT_DEVICES, DEFAULT_SEED_RATE, readingStream, seedJob } from '../nexmark/sensor.js';

export interface NexmarkJobArgs {
  /** q0, q1, q2, q3, q5, q7, q8, q11, or seed (the sensor job). */
  query: string;
  /** Events (readings for seed) to generate. */
  events: number;
  /** Events per second of event time (default 10 M; seed: 10 k). */
  rate?: number;
  /** Devices of the seed job (default 1000). */
  devices?: number;
  /** Collect the output lines (true) or count them in a discarding sink (false). */
  output: boolean;
  /** Latency mode (seed and q5 only). */
  latency?: LatencyArgs;
  /** Checkpoints every `intervalMs` into `dir` (exactly once); a failure fails the run instead of restarting it. */
  checkpoint?: BenchCheckpointArgs;
}

/** The operator name of the discarding sink (what `sinkTo` calls it), whose records-in is the number of results (= output lines). */
export const NEXMARK_SINK = 'Sink';

export default defineJob((env, args: NexmarkJobArgs) => {
  let job: QueryJob<any>;
  const { latency, checkpoint } = args;
  enableBenchCheckpoints(env, checkpoint);
  if (latency !== undefined && args.query !== 'seed' && args.query !== 'q5') {
    throw new RangeError(`Latency mode measures the seed job and q5, not "${args.query}".`);
  }
  if (latency !== undefined && args.query === 'seed') {
    job = latencySeedJob(env, args.events, args.rate ?? latency.rateLimit, args.devices ?? DEFAULT_DEVICES, latency);
  } else if (latency !== undefined) {
    job = latencyQ5(env, args.events, args.rate ?? latency.rateLimit, latency);
  } else if (args.query === 'seed') {
    job = seedJob(readingStream(env, args.events, args.rate ?? DEFAULT_SEED_RATE, args.devices ?? DEFAULT_DEVICES));
  } else if (isQueryName(args.query)) {
    job = QUERIES[args.query](nexmarkStream(env, args.events, args.rate ?? DEFAULT_RATE));
  } else {
    throw new RangeError(`Unknown Nexmark query "${args.query}"; choose seed or one of ${Object.keys(QUERIES).join(', ')}.`);
  }
  if (args.output) return job.results.map(job.format).name('Format lines');
  job.results.sinkTo({ createWriter: () => ({ write() {} }) });
  return undefined;
});
