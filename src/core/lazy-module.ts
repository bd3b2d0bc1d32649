// Loads a CommonJS dependency on first use instead of at import: kafkajs, prom-client, pino-pretty
// and piscina are hundreds of files that a job which does not use them (and every worker thread)
// would otherwise read and compile at start-up.

import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);

/** A function returning module `name`, required the first time it is called. */
export function lazyModule<T>(name: string): () => T {
  let loaded: T | undefined;
  return () => (loaded ??= require(name) as T);
}
