// The Kafka broker the integration tests use: the one `npm test` started for the whole run
// (test/run.ts passes its address in EDDY_KAFKA_BROKERS, or in EDDY_KAFKA_ERROR why it could not
// start one), or, for a test file run on its own, one started for that file and stopped after it.

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before } from 'node:test';
import { startBroker, stopBroker } from '../../tools/kafka/broker.js';

/** Registers before/after hooks in the calling test file; `brokers()` gives the bootstrap address inside tests. */
export function useTestBroker(): { brokers: () => string[] } {
  let bootstrap: string | undefined;
  let ownDir: string | undefined;
  before(async () => {
    const failure = process.env['EDDY_KAFKA_ERROR'];
    if (failure !== undefined) throw new Error(`npm test could not start the Kafka broker: ${failure}`);
    const shared = process.env['EDDY_KAFKA_BROKERS'];
    if (shared !== undefined) {
      bootstrap = shared;
      return;
    }
    ownDir = mkdtempSync(join(tmpdir(), 'eddy-kafka-test-'));
    bootstrap = (await startBroker({ dir: ownDir })).bootstrap;
  });
  after(async () => {
    if (ownDir === undefined) return;
    await stopBroker(ownDir);
    rmSync(ownDir, { recursive: true, force: true });
  });
  return {
    brokers: () => {
      if (bootstrap === undefined) throw new Error('the test broker is not started: call brokers() inside a test');
      return [bootstrap];
    },
  };
}
