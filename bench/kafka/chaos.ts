// `npm run bench -- kafka-chaos --runs N`: the Kafka exactly-once chaos run, many times, against a
// broker started for the suite: each run fails a Kafka -> windows -> Kafka job at a random point
// (a throw, SIGKILL and a restore, SIGKILL between a checkpoint and its commit, or the broker
// stopped and started again) and checks what a read-committed consumer sees for loss and
// duplicates. Reports how many runs held, per failure.

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { seededRandom } from '../../test/it/exactly-once-runs.js';
import { KAFKA_CHAOS_FAILURES, kafkaChaosRun, type KafkaChaosFailure, type KafkaChaosRun } from '../../test/it/kafka-exactly-once-runs.js';
import { freePort, startBroker, stopBroker } from '../../tools/kafka/broker.js';

const DESCRIBED: Record<KafkaChaosFailure, string> = {
  throw: 'a user function throws',
  kill: 'SIGKILL of the process, then a restore',
  'kill-before-commit': 'SIGKILL between a checkpoint and its commit, then a restore',
  'broker-restart': 'the broker stopped for 0.5-3 s',
};

export async function kafkaChaosSuite(runs: number, seed: number): Promise<string> {
  const dir = mkdtempSync(join(tmpdir(), 'eddy-kafka-chaos-'));
  const next = seededRandom(seed);
  const results: KafkaChaosRun[] = [];
  const started = performance.now();
  try {
    console.error('kafka-chaos: starting the broker');
    const options = { dir, port: await freePort(), controllerPort: await freePort() };
    const broker = { ...options, bootstrap: (await startBroker(options)).bootstrap };
    for (let i = 0; i < runs; i++) {
      const run = await kafkaChaosRun(broker, next, `run ${i} (seed ${seed})`);
      results.push(run);
      console.error(`${run.what}: ${run.problems.length === 0 ? 'exactly once' : `FAILED: ${run.problems.slice(0, 3).join('; ')}`}`);
    }
  } finally {
    await stopBroker(dir);
    rmSync(dir, { recursive: true, force: true });
  }
  const minutes = (performance.now() - started) / 60_000;
  const failed = results.filter((r) => r.problems.length > 0);
  return [
    `${runs} runs (seed ${seed}, ${minutes.toFixed(1)} min) against one local Apache Kafka 4.4 broker: 4-8 k readings in 4 partitions -> per-sensor 1 s event-time windows -> an exactly-once KafkaSink, parallelism 1-3, checkpoints every 100 ms, one failure at a random point; a killed job is restored from its newest checkpoint at a random parallelism 1-3. Held = a read-committed consumer sees every window exactly once.`,
    '',
    '| failure | runs | held |',
    '|---|---|---|',
    ...KAFKA_CHAOS_FAILURES.map((failure) => {
      const of = results.filter((r) => r.failure === failure);
      return `| ${DESCRIBED[failure]} | ${of.length} | ${of.filter((r) => r.problems.length === 0).length} |`;
    }),
    `| all | ${results.length} | ${results.length - failed.length} |`,
    ...(failed.length === 0 ? [] : ['', 'Failed runs:', ...failed.map((r) => `- ${r.what}: ${r.problems.slice(0, 3).join('; ')}`)]),
  ].join('\n');
}
