// Script-mode: executeAndCollect with a limit stops a billion-record job after the limit.

import { StreamExecutionEnvironment } from 'eddy';

const started = performance.now();
const first = await StreamExecutionEnvironment.getExecutionEnvironment()
  .setParallelism(2)
  .fromSequence(1, 1_000_000_000)
  .executeAndCollect({ limit: 5000 });
console.log(JSON.stringify({ count: first.length, distinct: new Set(first).size, ms: Math.round(performance.now() - started) }));
