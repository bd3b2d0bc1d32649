// Benchmark job: generate -> map -> keyBy -> rolling sum -> discard (BENCHMARKS.md, engine
// efficiency); with `checkpoint`, checkpointed (bench/jobs/checkpointing.ts); with
// `objectReuse`, the sum updated in place (env.enableObjectReuse()).

import { defineJob } from '../../src/index.js';
import { keyedRecord } from '../utils/keyed-records.js';
import { enableBenchCheckpoints, type BenchCheckpointArgs } from './checkpointing.js';

export default defineJob((env, args: { count: number; keys: number; checkpoint?: BenchCheckpointArgs; objectReuse?: boolean }) => {
  enableBenchCheckpoints(env, args.checkpoint);
  if (args.objectReuse === true) env.enableObjectReuse();
  env
    .fromSequence(0, args.count - 1)
    .map((i) => keyedRecord(i, args.keys))
    .keyBy((r) => r.key)
    .sum('value')
    .sinkTo({ createWriter: () => ({ write() {} }) });
});
