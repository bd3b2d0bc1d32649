// Benchmark job: the Nexmark source -> one query of bench/nexmark/queries.ts -> a discarding sink
// (its records-in metric, summed over subtasks, is the output line count), or, with `output`, the
// lines collected back to the main thread.

import { defineJob } from '../../src/index.js';
import { DEFAULT_RATE, nexmarkStream } from '../nexmark/generator.js';
import { isQueryName, QUERIES } from '../nexmark/queries.js';

export interface NexmarkJobArgs {
  /** q0, q1, q2, q3, q5, q7, q8 or q11. */
  query: string;
  /** Events to generate. */
  events: number;
  /** Events per second of event time (default 10 M). */
  rate?: number;
  /** Collect the output lines (true) or count them in a discarding sink (false). */
  output: boolean;
}

/** The operator name of the discarding sink (what `sinkTo` calls it), whose records-in is the number of output lines. */
export const NEXMARK_SINK = 'Sink';

export default defineJob((env, args: NexmarkJobArgs) => {
  if (!isQueryName(args.query)) throw new RangeError(`Unknown Nexmark query "${args.query}"; choose one of ${Object.keys(QUERIES).join(', ')}.`);
  const lines = QUERIES[args.query](nexmarkStream(env, args.events, args.rate ?? DEFAULT_RATE));
  if (args.output) return lines;
  lines.sinkTo({ createWriter: () => ({ write() {} }) });
  return undefined;
});
