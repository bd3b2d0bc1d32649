// `npm run bench -- <suite> [options]`: runs a benchmark suite, prints its table, and with
// --write replaces the suite's section in bench/RESULTS.md. Suites: micro, efficiency, sensor,
// latency, startup (run by default), and against (a suite here and in another checkout), monitoring, checkpoints, chaos, kafka, kafka-chaos, embedding and fraud-service (only when
// named: they take minutes, and the Kafka ones start a broker, which needs Java).

import { Command, InvalidArgumentError } from 'commander';
import { chaosSuite } from './checkpoints/chaos.js';
import { checkpointsSuite } from './checkpoints/suite.js';
import { fraudServiceLoad } from './embedding/http-load.js';
import { embeddingSuite } from './embedding/push-latency.js';
import { efficiencyTable, engineEfficiency } from './engine-efficiency.js';
import { kafkaChaosSuite } from './kafka/chaos.js';
import { kafkaSuite } from './kafka/suite.js';
import { idleCpuShare, latencyTable, singleRecordLatency } from './latency.js';
import { monitoringCost } from './monitoring-cost.js';
import { againstBaseline } from './against.js';
import { sensorJob } from './sensor-job.js';
import { startupSuite } from './startup.js';
import { channelsBench } from './micro/channels.bench.js';
import { stateBench } from './micro/state.bench.js';
import { windowsBench } from './micro/windows.bench.js';
import { writeSection } from './utils/results-file.js';

function positive(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new InvalidArgumentError('expected a whole number of at least 1.');
  return n;
}

interface Options {
  count: number;
  /** fraud-service: seconds of load per run. */
  duration: number;
  /** fraud-service: concurrent HTTP connections. */
  connections: number;
  /** Unset: 5, or 3 for kafka (whose rounds are long). */
  rounds?: number;
  /** Unset: 200 for chaos, 40 for kafka-chaos. */
  runs?: number;
  seed: number;
  write: boolean;
  /** startup, against: another built checkout whose jobs run alternated with these. */
  baseline?: string;
  /** against: the suite to run in both checkouts (efficiency or sensor). */
  suite?: string;
}

async function runSuite(suite: string, options: Options): Promise<void> {
  const command = `npm run bench -- ${process.argv.slice(2).join(' ')}`;
  const rounds = options.rounds ?? (suite === 'kafka' ? 3 : 5);
  let title: string;
  let body: string;
  switch (suite) {
    case 'micro': {
      title = 'Micro benchmarks (tinybench)';
      body = [await channelsBench(), await stateBench(), await windowsBench()].join('\n\n');
      break;
    }
    case 'efficiency': {
      title = 'Engine efficiency: generate -> map -> keyBy -> rolling sum -> discard';
      const rows = await engineEfficiency({ count: options.count, keys: 1000, rounds, parallelisms: [1, 2] });
      body = `${options.count} records, 1000 keys, ${rounds} rounds alternated; medians, spread = half the range.\n\n${efficiencyTable(rows)}`;
      break;
    }
    case 'sensor': {
      title = 'Sensor job: per-device sliding windows (10 s, every 5 s) with the pairwise-mean reduce';
      const rows = await sensorJob({ count: options.count, devices: 1000, rounds, parallelisms: [1, 2] });
      body = `${options.count} readings, 1000 devices, ${rounds} rounds alternated; medians, spread = half the range.\n\n${efficiencyTable(rows)}`;
      break;
    }
    case 'monitoring': {
      title = 'Monitoring cost: the keyed pipeline unwatched and watched (dashboard, live stream, /metrics)';
      body = await monitoringCost({ count: options.count, keys: 1000, rounds, parallelisms: [1, 2] });
      break;
    }
    case 'against': {
      if (options.baseline === undefined) throw new InvalidArgumentError('against needs --baseline <folder>: another built checkout of eddy.');
      title = `This checkout against a baseline: ${options.suite ?? 'efficiency'}`;
      body = againstBaseline({ baseline: options.baseline, suite: options.suite ?? 'efficiency', count: options.count, rounds });
      break;
    }
    case 'startup': {
      title = 'Start-up: a 100-record job in a fresh process';
      body = startupSuite(options.rounds ?? 15, options.baseline);
      break;
    }
    case 'latency': {
      title = 'Latency: single records at a low rate';
      const rows = [await singleRecordLatency(5000, 1, 2), await singleRecordLatency(2000, 10, 2)];
      const idle = await idleCpuShare(3);
      body = `${latencyTable(rows)}\n\nCPU used by an idle job (unbounded source with no data, p=2) over 3 s: ${(idle * 100).toFixed(2)} % of one core.`;
      break;
    }
    case 'checkpoints': {
      title = 'Checkpoints: throughput, snapshot cost, recovery, alignment';
      body = await checkpointsSuite({ rounds });
      break;
    }
    case 'chaos': {
      title = 'Chaos: exactly once under failures at random points';
      body = await chaosSuite(options.runs ?? 200, options.seed);
      break;
    }
    case 'kafka-chaos': {
      title = 'Kafka chaos: exactly once from Kafka to Kafka under failures at random points';
      body = await kafkaChaosSuite(options.runs ?? 40, options.seed);
      break;
    }
    case 'kafka': {
      title = 'Kafka: Kafka -> map -> Kafka against a local broker, and kafkajs alone';
      body = await kafkaSuite({ rounds });
      break;
    }
    case 'embedding': {
      title = 'Embedding: push -> keyed state -> collectAsync from the main thread';
      body = await embeddingSuite({ rounds: options.rounds ?? 3, count: 1_000_000 });
      break;
    }
    case 'fraud-service': {
      title = 'Fraud service: HTTP requests answered by an eddy job (examples/fraud-service.ts), and inline';
      body = await fraudServiceLoad({ durationS: options.duration, connections: options.connections });
      break;
    }
    default:
      throw new InvalidArgumentError(`unknown suite "${suite}"; choose micro, efficiency, sensor, latency, monitoring, checkpoints, chaos, kafka, kafka-chaos, embedding or fraud-service.`);
  }
  console.log(`\n## ${title}\n\n${body}\n`);
  if (options.write) writeSection(suite, title, command, body);
}

await new Command()
  .name('bench')
  .argument('[suites...]', 'micro, efficiency, sensor, latency, startup, against, monitoring, checkpoints, chaos, kafka, kafka-chaos, embedding, fraud-service (default: the first five)')
  .option('--count <n>', 'records per run (efficiency, sensor, monitoring)', positive, 10_000_000)
  .option('--duration <s>', 'seconds of load per run (fraud-service)', positive, 10)
  .option('--connections <n>', 'concurrent HTTP connections (fraud-service)', positive, 50)
  .option('--rounds <n>', 'rounds per variant (default 5; kafka 3; startup 15)', positive)
  .option('--runs <n>', 'chaos runs (default 200; kafka-chaos 40)', positive)
  .option('--baseline <folder>', 'startup, against: another built checkout of eddy, run alternated with this one')
  .option('--suite <name>', 'against: the suite to run in both checkouts (efficiency or sensor; default efficiency)')
  .option('--seed <n>', 'seed of the chaos runs (default: from the clock; printed, to replay)', positive, Date.now() % 1_000_000)
  .option('--write', 'replace the suite\'s section in bench/RESULTS.md', false)
  .action(async (suites: string[], options: Options) => {
    for (const suite of suites.length === 0 ? ['micro', 'efficiency', 'sensor', 'latency', 'startup'] : suites) await runSuite(suite, options);
  })
  .parseAsync();
