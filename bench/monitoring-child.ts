// One run of the monitoring-cost suite in a process of its own:
// `node monitoring-child.js <count> <keys> <parallelism> <watched|unwatched>` prints its records per second.

import { measuredRun } from './monitoring-cost.js';

const [count, keys, parallelism, watched] = process.argv.slice(2);
process.stdout.write(JSON.stringify(await measuredRun(Number(count), Number(keys), Number(parallelism), watched === 'watched')));
