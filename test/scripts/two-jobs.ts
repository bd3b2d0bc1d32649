// Script-mode: two jobs run one after the other; workers of the second skip the first.

import { StreamExecutionEnvironment } from 'eddy';

const first = await StreamExecutionEnvironment.getExecutionEnvironment()
  .setParallelism(2)
  .fromElements(1, 2, 3)
  .map((x) => x + 1)
  .executeAndCollect();
const second = await StreamExecutionEnvironment.getExecutionEnvironment()
  .setParallelism(2)
  .fromElements('a', 'b')
  .map((x) => x.toUpperCase())
  .executeAndCollect();
console.log(JSON.stringify({ first: first.sort(), second: second.sort() }));
