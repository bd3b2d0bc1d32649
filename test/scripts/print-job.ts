// Script-mode job (node job.js / eddy run job.ts): prints through print(), then reports once.

import { threadId } from 'node:worker_threads';
import { StreamExecutionEnvironment } from 'eddy';

const env = StreamExecutionEnvironment.getExecutionEnvironment().setParallelism(2);
const scale = Number(process.argv[2] ?? 10);
env.fromElements(1, 2, 3, 4).map((x) => x * scale).print('out');
const result = await env.execute('print-job');
console.log(`done ${result.jobName} on thread ${threadId}`);
