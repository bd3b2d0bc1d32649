// `npm test`: starts one Kafka broker for the integration tests (tools/kafka/broker.ts), runs every
// compiled test file with node:test one at a time, stops the broker, and exits with the tests'
// status. A broker that cannot start (no Java, no Maven, no network to Maven Central) fails the
// Kafka tests with the reason and lets the others run.

import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startBroker, stopBroker } from '../tools/kafka/broker.js';

const testDir = fileURLToPath(new URL('.', import.meta.url));
const files = readdirSync(testDir, { recursive: true, encoding: 'utf8' })
  .filter((name) => name.endsWith('.test.js'))
  .map((name) => join(testDir, name))
  .sort();
const brokerDir = mkdtempSync(join(tmpdir(), 'eddy-test-kafka-'));
const env = { ...process.env };
// Only eddy's warnings and errors in the tests' output, unless the caller asks for more (or less).
env['EDDY_LOG_LEVEL'] ??= 'warn';
try {
  const broker = await startBroker({ dir: brokerDir });
  env['EDDY_KAFKA_BROKERS'] = broker.bootstrap;
  console.log(`# Kafka broker for the tests on ${broker.bootstrap}`);
} catch (error) {
  env['EDDY_KAFKA_ERROR'] = error instanceof Error ? error.message : String(error);
  console.error(`# no Kafka broker for the tests: ${env['EDDY_KAFKA_ERROR']}`);
}
let status: number;
try {
  status = spawnSync(process.execPath, ['--test', '--test-concurrency=1', ...process.argv.slice(2), ...files], { stdio: 'inherit', env }).status ?? 1;
} finally {
  await stopBroker(brokerDir);
  rmSync(brokerDir, { recursive: true, force: true });
}
process.exit(status);
