// Script-mode job whose map throws: the process must exit non-zero with the operator's name.

import { StreamExecutionEnvironment } from 'eddy';

const env = StreamExecutionEnvironment.getExecutionEnvironment().setParallelism(2);
env
  .fromSequence(1, 1000)
  .map((x) => {
    if (x === 700) throw new TypeError(`cannot handle ${x}`);
    return x;
  })
  .name('Fragile Map')
  .print();
await env.execute('failing-job');
