// Benchmark job: an unbounded source that never has data, keyed and sunk: measures idle CPU.

import { defineJob, type Source, type SourceReader } from '../../src/index.js';

class SilentSource implements Source<number> {
  readonly boundedness = 'continuous-unbounded';

  createReader(): SourceReader<number> {
    return {
      pollNext: () => 'nothing-available',
      isAvailable: () => new Promise(() => undefined),
    };
  }
}

export default defineJob((env) => {
  env
    .addSource(new SilentSource(), 'Silent Source')
    .keyBy((n) => n)
    .sum()
    .sinkTo({ createWriter: () => ({ write() {} }) });
});
