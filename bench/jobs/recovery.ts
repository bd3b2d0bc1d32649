// Benchmark job: recovery time. A keyed rolling sum over a sequence, checkpointed, whose map
// fails once at record `failAt` (throws, or exits its worker thread), writing the failure's time
// to `marker`; after the restart, the first record the map sees writes its time to `resumed`.

import { existsSync, writeFileSync } from 'node:fs';
import { defineJob, ProcessFunction, type Collector } from '../../src/index.js';
import { keyedRecord, type KeyedRecord } from '../utils/keyed-records.js';
import { enableBenchCheckpoints, type BenchCheckpointArgs } from './checkpointing.js';

export interface RecoveryArgs {
  count: number;
  keys: number;
  failAt: number;
  how: 'throw' | 'exit';
  marker: string;
  resumed: string;
  checkpoint: BenchCheckpointArgs;
}

/** Fails once at `failAt`; in the restarted attempt (the marker exists) stamps its first record. */
class FailOnce extends ProcessFunction<number, KeyedRecord> {
  private restarted = false;

  constructor(private readonly args: RecoveryArgs) {
    super();
  }

  override open(): void {
    this.restarted = existsSync(this.args.marker);
  }

  processElement(n: number, _ctx: unknown, out: Collector<KeyedRecord>): void {
    if (this.restarted) {
      this.restarted = false;
      if (!existsSync(this.args.resumed)) writeFileSync(this.args.resumed, String(performance.timeOrigin + performance.now()));
    } else if (n === this.args.failAt && !existsSync(this.args.marker)) {
      writeFileSync(this.args.marker, String(performance.timeOrigin + performance.now()));
      if (this.args.how === 'exit') process.exit(1);
      throw new Error(`planned failure at ${n}`);
    }
    out.collect(keyedRecord(n, this.args.keys));
  }
}

export default defineJob((env, args: RecoveryArgs) => {
  enableBenchCheckpoints(env, args.checkpoint);
  env
    .fromSequence(0, args.count - 1)
    .process(new FailOnce(args))
    .keyBy((r) => r.key)
    .sum('value')
    .sinkTo({ createWriter: () => ({ write() {} }) });
});
