// One measurement of the embedding suite in a process of its own, as a service runs its job:
// `node latency-child.js <floor|eddy> <parallelism> <rate> <records> <spin|sleep>` prints the
// run's LatencyRun as JSON. A fresh process keeps one run's heap and compiled code out of the next.

import { inlineFloor, pushLatency } from './push-latency.js';

const [what, parallelism, rate, records, pacer] = process.argv.slice(2);
const run = what === 'floor' ? await inlineFloor(Number(rate), Number(records)) : await pushLatency(Number(parallelism), Number(rate), Number(records), pacer === 'sleep');
process.stdout.write(JSON.stringify(run));
