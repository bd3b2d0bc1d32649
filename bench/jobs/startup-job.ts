// Benchmark job for start-up: 100 records through map -> keyBy -> rolling sum -> collect, as a
// script (`node startup-job.js <parallelism>`), importing eddy by its package name as a user does.

import { StreamExecutionEnvironment } from 'eddy';

const env = StreamExecutionEnvironment.getExecutionEnvironment().setParallelism(Number(process.argv[2] ?? 2));
const sums = await env
  .fromSequence(1, 100)
  .map((i) => ({ key: i % 10, value: i }))
  .keyBy((r) => r.key)
  .sum('value')
  .executeAndCollect({ jobName: 'startup' });
if (sums.length !== 100) throw new Error(`expected 100 results, got ${sums.length}`);
