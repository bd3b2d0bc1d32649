// A real Apache Kafka broker on 127.0.0.1 for tests, demos and users, without Docker:
// `npm run kafka:start -- --port <port> --dir <dir>` resolves Kafka 4.4 with Maven into a cache
// folder (once), formats a one-node KRaft data folder in <dir> (combined broker and controller),
// starts the broker, waits until it is ready and returns, leaving it running with its pid in
// <dir>; `npm run kafka:stop -- --dir <dir>` stops it cleanly. The functions serve the tests too.

import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, openSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Command, InvalidArgumentError } from 'commander';

export const KAFKA_VERSION = '4.4.0';
const READY_LINE = 'Kafka Server started';
const PID_FILE = 'broker.pid';
const LOG_FILE = 'broker.log';

export interface BrokerOptions {
  /** The client port on 127.0.0.1 (default: a free one). */
  readonly port?: number;
  /** The controller port on 127.0.0.1 (default: a free one). */
  readonly controllerPort?: number;
  /** The broker's folder: its data, configuration, log and pid. */
  readonly dir: string;
  /** Where the broker's jars are cached (default: $EDDY_KAFKA_CACHE, or .cache/kafka in the project). */
  readonly cacheDir?: string;
  /** How long to wait for the broker to be ready, ms (default 90 s). */
  readonly readyTimeoutMs?: number;
}

export interface RunningBroker {
  /** `127.0.0.1:<port>`, for a client's `brokers`. */
  readonly bootstrap: string;
  readonly port: number;
  readonly pid: number;
  readonly dir: string;
}

/** The project's root: the folder with package.json above this file (in src or in dist). */
function projectRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  while (!existsSync(join(dir, 'package.json')) || !existsSync(join(dir, 'tools', 'kafka', 'pom.xml'))) {
    const up = dirname(dir);
    if (up === dir) throw new Error('tools/kafka/broker: cannot find the project folder (package.json with tools/kafka/pom.xml) above this script.');
    dir = up;
  }
  return dir;
}

function defaultCache(): string {
  return process.env['EDDY_KAFKA_CACHE'] ?? join(projectRoot(), '.cache', 'kafka');
}

/** Throws a sentence saying what to install when `command` does not run. */
function requireTool(command: string, args: string[], what: string): void {
  const run = spawnSync(command, args, { encoding: 'utf8' });
  if (run.error !== undefined || run.status !== 0) {
    throw new Error(`The Kafka broker needs ${what}, and \`${command} ${args.join(' ')}\` did not run (${run.error?.message ?? `exit ${run.status}`}). ${installHint(command)}`);
  }
}

function installHint(command: string): string {
  return command === 'java'
    ? 'Install a Java runtime, 17 or newer (Debian: apt-get install openjdk-17-jre-headless), and put `java` on PATH.'
    : 'Install Apache Maven (Debian: apt-get install maven), and put `mvn` on PATH.';
}

/** The broker's jars, resolved with Maven into `<cache>/lib` the first time. */
export function resolveBrokerJars(cacheDir = defaultCache()): string {
  const lib = join(cacheDir, `kafka-${KAFKA_VERSION}`, 'lib');
  const done = join(lib, '.resolved');
  if (existsSync(done)) return lib;
  requireTool('java', ['-version'], 'Java 17 or newer');
  requireTool('mvn', ['-v'], 'Apache Maven, which fetches the broker from Maven Central');
  rmSync(lib, { recursive: true, force: true });
  mkdirSync(lib, { recursive: true });
  const pom = join(projectRoot(), 'tools', 'kafka', 'pom.xml');
  const mvn = spawnSync(
    'mvn',
    ['-B', '-q', '-f', pom, `-Dmaven.repo.local=${join(cacheDir, 'm2')}`, 'dependency:copy-dependencies', '-DincludeScope=runtime', `-DoutputDirectory=${lib}`],
    { encoding: 'utf8' },
  );
  if (mvn.status !== 0) {
    throw new Error(`Maven could not fetch Apache Kafka ${KAFKA_VERSION} (exit ${mvn.status ?? mvn.signal}); is Maven Central reachable?\n${(mvn.stdout + mvn.stderr).slice(-2000)}`);
  }
  if (!readdirSync(lib).some((name) => name.startsWith('kafka_2.13-'))) throw new Error(`Maven ran but ${lib} holds no kafka_2.13 jar.`);
  writeFileSync(done, `${KAFKA_VERSION}\n`);
  return lib;
}

/** A free TCP port on 127.0.0.1. */
export function freePort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address !== null ? resolvePort(address.port) : reject(new Error('no port'))));
    });
  });
}

function serverProperties(port: number, controllerPort: number, dataDir: string): string {
  return [
    'process.roles=broker,controller',
    'node.id=1',
    `controller.quorum.voters=1@127.0.0.1:${controllerPort}`,
    `listeners=PLAINTEXT://127.0.0.1:${port},CONTROLLER://127.0.0.1:${controllerPort}`,
    `advertised.listeners=PLAINTEXT://127.0.0.1:${port}`,
    'controller.listener.names=CONTROLLER',
    'inter.broker.listener.name=PLAINTEXT',
    'listener.security.protocol.map=PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT',
    `log.dirs=${dataDir}`,
    'num.partitions=1',
    'default.replication.factor=1',
    'min.insync.replicas=1',
    'offsets.topic.replication.factor=1',
    'offsets.topic.num.partitions=3',
    'transaction.state.log.replication.factor=1',
    'transaction.state.log.min.isr=1',
    'transaction.state.log.num.partitions=3',
    'group.initial.rebalance.delay.ms=0',
    '',
  ].join('\n');
}

/** Logs at INFO for Kafka's own loggers (the ready line comes from them), WARN for the rest. */
const LOG4J2 = `<?xml version="1.0" encoding="UTF-8"?>
<Configuration status="WARN">
  <Appenders><Console name="out" target="SYSTEM_OUT"><PatternLayout pattern="[%d] %p %m (%c)%n"/></Console></Appenders>
  <Loggers>
    <Logger name="kafka" level="INFO"/>
    <Logger name="org.apache.kafka" level="WARN"/>
    <Root level="WARN"><AppenderRef ref="out"/></Root>
  </Loggers>
</Configuration>
`;

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

function readPid(dir: string): number | undefined {
  const file = join(dir, PID_FILE);
  if (!existsSync(file)) return undefined;
  const pid = Number(readFileSync(file, 'utf8').trim());
  return Number.isInteger(pid) && pid > 0 ? pid : undefined;
}

function logTail(dir: string): string {
  const file = join(dir, LOG_FILE);
  return existsSync(file) ? readFileSync(file, 'utf8').split('\n').slice(-25).join('\n') : '(no log)';
}

/**
 * Starts a broker in `options.dir` (formatting its data folder the first time) and resolves once
 * it is ready. A broker already running from that folder is refused: stop it first.
 */
export async function startBroker(options: BrokerOptions): Promise<RunningBroker> {
  const dir = resolve(options.dir);
  const running = readPid(dir);
  if (running !== undefined && isAlive(running)) throw new Error(`A broker is already running from ${dir} (pid ${running}); stop it with npm run kafka:stop -- --dir ${dir}.`);
  requireTool('java', ['-version'], 'Java 17 or newer');
  const lib = resolveBrokerJars(options.cacheDir);
  const port = options.port ?? (await freePort());
  let controllerPort = options.controllerPort ?? (await freePort());
  while (controllerPort === port) controllerPort = await freePort();
  const dataDir = join(dir, 'data');
  mkdirSync(dataDir, { recursive: true });
  const properties = join(dir, 'server.properties');
  writeFileSync(properties, serverProperties(port, controllerPort, dataDir));
  const log4j = join(dir, 'log4j2.xml');
  writeFileSync(log4j, LOG4J2);
  const classpath = `${lib}/*`;
  if (!existsSync(join(dataDir, 'meta.properties'))) {
    const id = spawnSync('java', ['-cp', classpath, 'kafka.tools.StorageTool', 'random-uuid'], { encoding: 'utf8' });
    const clusterId = id.stdout.trim().split('\n').pop() ?? '';
    if (id.status !== 0 || clusterId === '') throw new Error(`Kafka's StorageTool could not make a cluster id:\n${id.stdout}${id.stderr}`);
    const format = spawnSync('java', ['-cp', classpath, 'kafka.tools.StorageTool', 'format', '-t', clusterId, '-c', properties], { encoding: 'utf8' });
    if (format.status !== 0) throw new Error(`Kafka's StorageTool could not format ${dataDir}:\n${format.stdout}${format.stderr}`);
  }
  const logFd = openSync(join(dir, LOG_FILE), 'w');
  const child = spawn('java', ['-Xms256m', '-Xmx512m', `-Dlog4j2.configurationFile=${log4j}`, '-cp', classpath, 'kafka.Kafka', properties], {
    detached: true,
    stdio: ['ignore', logFd, logFd],
  });
  child.unref();
  const pid = child.pid!;
  writeFileSync(join(dir, PID_FILE), `${pid}\n`);
  const deadline = Date.now() + (options.readyTimeoutMs ?? 90_000);
  while (Date.now() < deadline) {
    if (readFileSync(join(dir, LOG_FILE), 'utf8').includes(READY_LINE)) return { bootstrap: `127.0.0.1:${port}`, port, pid, dir };
    if (!isAlive(pid)) throw new Error(`The Kafka broker exited before it was ready (port ${port}); its log, ${join(dir, LOG_FILE)}, ends:\n${logTail(dir)}`);
    await new Promise((r) => setTimeout(r, 100));
  }
  process.kill(pid, 'SIGKILL');
  throw new Error(`The Kafka broker was not ready after ${options.readyTimeoutMs ?? 90_000} ms (port ${port}); its log ends:\n${logTail(dir)}`);
}

/** Stops the broker running from `dir` (SIGTERM, then SIGKILL after `timeoutMs`); false when none was running. */
export async function stopBroker(dir: string, timeoutMs = 30_000): Promise<boolean> {
  const pid = readPid(resolve(dir));
  if (pid === undefined || !isAlive(pid)) {
    rmSync(join(dir, PID_FILE), { force: true });
    return false;
  }
  process.kill(pid, 'SIGTERM');
  const deadline = Date.now() + timeoutMs;
  while (isAlive(pid) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
  if (isAlive(pid)) process.kill(pid, 'SIGKILL');
  while (isAlive(pid)) await new Promise((r) => setTimeout(r, 50));
  rmSync(join(dir, PID_FILE), { force: true });
  return true;
}

function portNumber(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1 || n > 65535) throw new InvalidArgumentError('expected a TCP port, 1 to 65535.');
  return n;
}

async function main(): Promise<void> {
  const program = new Command().name('kafka').description(`Apache Kafka ${KAFKA_VERSION} on 127.0.0.1, one KRaft node, for tests and demos.`);
  program
    .command('start')
    .description('start a broker in --dir and wait until it is ready')
    .requiredOption('--dir <dir>', "the broker's folder: data, configuration, log, pid")
    .option('--port <port>', 'client port (default: a free one)', portNumber)
    .option('--controller-port <port>', 'controller port (default: a free one)', portNumber)
    .action(async (o: { dir: string; port?: number; controllerPort?: number }) => {
      const broker = await startBroker({ dir: o.dir, port: o.port, controllerPort: o.controllerPort });
      console.log(`Kafka ${KAFKA_VERSION} is ready on ${broker.bootstrap} (pid ${broker.pid}, folder ${broker.dir}); stop it with npm run kafka:stop -- --dir ${o.dir}`);
    });
  program
    .command('stop')
    .description('stop the broker running from --dir')
    .requiredOption('--dir <dir>', "the broker's folder")
    .action(async (o: { dir: string }) => {
      console.log((await stopBroker(o.dir)) ? `Stopped the Kafka broker of ${o.dir}.` : `No Kafka broker was running from ${o.dir}.`);
    });
  await program.parseAsync();
}

if (process.argv[1] !== undefined && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  main().catch((error: unknown) => {
    console.error(error instanceof Error ? error.message : String(error));
    process.exit(1);
  });
}
