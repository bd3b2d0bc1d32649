// Monitoring of running jobs: the REST API's figures against a job whose counts are known, its
// JSON against the contract's schema, the live stream, checkpoints and exceptions as they happen,
// Prometheus text (the server's /metrics and a service's own registry), and what visitors may do.

import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { Registry } from 'prom-client';
import { registerEddyMetrics, runJob, StreamError, type CheckpointsInfo, type ExceptionsInfo, type JobClient, type JobDetails, type JobEvent, type JobsOverview, type VertexDetails } from '../../src/index.js';
import type { MonitoredArgs } from '../fixtures/monitored.js';
import { fixtureUrl, PARALLELISMS } from '../harness/run-fixture.js';
import { assertMatchesSchema } from './rest-schema.js';

const dir = mkdtempSync(join(tmpdir(), 'eddy-monitoring-'));
after(() => rmSync(dir, { recursive: true, force: true }));

function start(args: MonitoredArgs, parallelism: number, webUI: Parameters<typeof runJob>[1] extends infer O ? (O extends { webUI?: infer W } ? W : never) : never = { port: 0 }): Promise<JobClient> {
  return runJob(fixtureUrl('monitored'), { parallelism, args, jobName: 'monitored', webUI });
}

async function get<T>(job: JobClient, path: string, status = 200): Promise<T> {
  const response = await fetch(new URL(path, job.webUI));
  assert.equal(response.status, status, `${path}: ${response.status}`);
  return (await response.json()) as T;
}

/** Prometheus text as { 'name{labels}': value }. */
function samples(text: string): Map<string, number> {
  const out = new Map<string, number>();
  for (const line of text.split('\n')) {
    if (line.startsWith('#') || line.trim() === '') continue;
    const space = line.lastIndexOf(' ');
    out.set(line.slice(0, space), Number(line.slice(space + 1)));
  }
  return out;
}

/** The sum of metric `name` over the series whose labels include every one of `labels`. */
function total(metrics: Map<string, number>, name: string, labels: Record<string, string>): number {
  let sum = 0;
  for (const [series, value] of metrics) {
    if (!series.startsWith(`${name}{`)) continue;
    if (Object.entries(labels).every(([k, v]) => series.includes(`${k}="${v}"`))) sum += value;
  }
  return sum;
}

/** Reads server-sent events of `path` until `enough` says so; their data, parsed. */
async function events<T>(job: JobClient, path: string, enough: (seen: T[]) => boolean): Promise<T[]> {
  const controller = new AbortController();
  const response = await fetch(new URL(path, job.webUI), { signal: controller.signal });
  assert.match(response.headers.get('content-type') ?? '', /^text\/event-stream/);
  const seen: T[] = [];
  const decoder = new TextDecoder();
  let buffered = '';
  for await (const chunk of response.body as AsyncIterable<Uint8Array>) {
    buffered += decoder.decode(chunk, { stream: true });
    let end: number;
    while ((end = buffered.indexOf('\n\n')) >= 0) {
      const message = buffered.slice(0, end);
      buffered = buffered.slice(end + 2);
      const data = message.split('\n').find((l) => l.startsWith('data: '));
      if (data !== undefined) seen.push(JSON.parse(data.slice(6)) as T);
    }
    if (enough(seen)) break;
  }
  controller.abort();
  return seen;
}

const COUNT = 20_000;
const KEYS = 10;

describe('monitoring: figures of a job with known counts', () => {
  for (const p of PARALLELISMS) {
    it(`counts every record of every operator, the graph, state and rings at parallelism ${p}; the JSON matches its schema`, async () => {
      const job = await start({ count: COUNT, keys: KEYS }, p);
      await job.result;
      const details = await get<JobDetails>(job, `jobs/${job.id}`);
      assertMatchesSchema(details, 'JobDetails');
      assert.equal(details.state, 'FINISHED');
      assert.equal(details.recordsRead, COUNT);
      assert.equal(details.recordsExpected, COUNT);
      assert.deepEqual(
        details.vertices.map((v) => [v.operators.map((o) => o.name), v.parallelism]),
        [
          [['Numbers', 'Double', 'Evens'], p],
          [['Counter', 'Sink'], p],
        ],
      );
      assert.deepEqual(details.edges, [{ source: 0, target: 1, partitioning: 'hash', sideOutput: null, inputIndex: 0 }]);
      const [sources, counters] = details.vertices;
      assert.deepEqual([sources!.metrics.recordsIn, sources!.metrics.recordsOut], [0, COUNT / 2], 'the source chain hands on what Evens kept');
      assert.deepEqual([counters!.metrics.recordsIn, counters!.metrics.recordsOut], [COUNT / 2, 0], 'the sink chain takes them in and emits nothing');
      assert.equal(counters!.metrics.stateKeys, new Set(Array.from({ length: COUNT / 2 }, (_, i) => (4 * i) % KEYS)).size);
      assert.equal(counters!.metrics.timers, 0, 'the end of input fired every timer');
      assert.ok(sources!.metrics.bytesOut > 0);
      assert.equal(counters!.metrics.bytesIn, sources!.metrics.bytesOut, 'every byte written into the rings was read');
      const vertex = await get<VertexDetails>(job, `jobs/${job.id}/vertices/0`);
      assertMatchesSchema(vertex, 'VertexDetails');
      assert.equal(vertex.subtasks.length, p);
      const perOperator = (name: string, field: 'recordsIn' | 'recordsOut'): number =>
        vertex.subtasks.reduce((n, s) => n + s.operators.find((o) => o.name === name)![field], 0);
      assert.deepEqual([perOperator('Numbers', 'recordsOut'), perOperator('Double', 'recordsIn'), perOperator('Double', 'recordsOut'), perOperator('Evens', 'recordsIn'), perOperator('Evens', 'recordsOut')], [COUNT, COUNT, COUNT, COUNT, COUNT / 2]);
      for (const s of vertex.subtasks) {
        assert.ok(Math.abs(s.busyRatio + s.idleRatio + s.backPressuredRatio - 1) < 1e-9, 'busy, idle and back-pressured add up to the whole');
      }
      const metrics = samples(await (await fetch(new URL('metrics', job.webUI))).text());
      assert.equal(total(metrics, 'eddy_operator_records_in_total', { job_id: job.id, operator: 'Evens' }), COUNT);
      assert.equal(total(metrics, 'eddy_operator_records_out_total', { job_id: job.id, operator: 'Evens' }), COUNT / 2);
      assert.equal(total(metrics, 'eddy_operator_records_in_total', { job_id: job.id, operator: 'Counter' }), COUNT / 2);
      assert.equal(total(metrics, 'eddy_job_running', { job_id: job.id }), 0);
      const overview = await get<JobsOverview>(job, 'jobs/overview');
      assertMatchesSchema(overview, 'JobsOverview');
      assert.equal(overview.jobs.find((j) => j.id === job.id)?.state, 'FINISHED');
    });
  }
});

describe('monitoring: a running job', () => {
  it('streams figures that move, timers and watermarks, and a checkpoint row as it completes', async () => {
    const job = await start({ count: 40_000, keys: KEYS, perMs: 6, checkpointMs: 300, dir: join(dir, 'live') }, 2);
    const seen = await events<JobEvent>(job, `jobs/${job.id}/events`, (s) => s.length >= 4 && s.at(-1)!.checkpoints.counts.completed > 0);
    for (const event of seen) assertMatchesSchema(event, 'JobEvent');
    const read = seen.map((e) => e.job.recordsRead);
    assert.ok(read.at(-1)! > read[0]!, `records read moved on: ${read.join(', ')}`);
    assert.ok(seen.at(-1)!.job.recordsReadPerSecond > 0);
    const counter = seen.at(-1)!.job.vertices[1]!.metrics;
    assert.ok(counter.timers > 0, 'timers wait for event time to pass them');
    assert.ok(counter.watermark !== null && counter.watermark > 0, 'the watermark is shown');
    const checkpoints = await get<CheckpointsInfo>(job, `jobs/${job.id}/checkpoints`);
    assertMatchesSchema(checkpoints, 'CheckpointsInfo');
    const completed = checkpoints.history.find((c) => c.status === 'COMPLETED')!;
    assert.ok(completed.stateBytes! > 0 && completed.acknowledged === completed.subtasks);
    await job.cancel();
  });

  it('lists each failure with its operator and subtask, whether the job restarted after it, and ends FAILED', async () => {
    const job = await start({ count: COUNT, keys: KEYS, failAt: 1234 }, 2);
    await assert.rejects(job.result, /planned failure at 1234/);
    const exceptions = await get<ExceptionsInfo>(job, `jobs/${job.id}/exceptions`);
    assertMatchesSchema(exceptions, 'ExceptionsInfo');
    assert.deepEqual(
      exceptions.entries.map((e) => [e.operator, e.restarted, /planned failure at 1234/.test(e.message)]),
      [
        ['Fragile', false, true],
        ['Fragile', true, true],
      ],
      'newest first: the first failure restarted the job, the second failed it',
    );
    assert.ok(exceptions.entries.every((e) => e.subtask !== null && e.stack !== null));
    const details = await get<JobDetails>(job, `jobs/${job.id}`);
    assert.deepEqual([details.state, details.restarts], ['FAILED', 1]);
  });
});

describe('monitoring: what visitors may do', () => {
  it('is read-only by default, and says how to allow cancel and savepoints', async () => {
    const job = await start({ count: 200_000, keys: KEYS, perMs: 5 }, 1);
    const cancel = await fetch(new URL(`jobs/${job.id}?mode=cancel`, job.webUI), { method: 'PATCH' });
    assert.equal(cancel.status, 403);
    assert.match(((await cancel.json()) as { errors: string[] }).errors[0]!, /allowCancel: true/);
    const savepoint = await fetch(new URL(`jobs/${job.id}/savepoints`, job.webUI), { method: 'POST' });
    assert.equal(savepoint.status, 403);
    assert.match(((await get<{ errors: string[] }>(job, 'jobs/nope', 404)).errors[0]!), /jobs\/overview lists the jobs/);
    assert.match(((await get<{ errors: string[] }>(job, `jobs/${job.id}/vertices/9`, 404)).errors[0]!), /vertices are 0 to 1/);
    await job.cancel();
  });

  it('cancels a job over PATCH /jobs/:id?mode=cancel when allowed', async () => {
    const job = await start({ count: 200_000, keys: KEYS, perMs: 5 }, 1, { port: 0, allowCancel: true });
    const cancel = await fetch(new URL(`jobs/${job.id}?mode=cancel`, job.webUI), { method: 'PATCH' });
    assert.equal(cancel.status, 202);
    await assert.rejects(job.result, (e: unknown) => e instanceof StreamError && e.code === 'JOB_CANCELLED');
    assert.equal((await get<JobDetails>(job, `jobs/${job.id}`)).state, 'CANCELED');
  });

  it('refuses bad options and a port in use with a sentence on what to do', async () => {
    await assert.rejects(start({ count: 10, keys: 1 }, 1, { port: 70_000 }), /port must be a whole number from 0 to 65535/);
    const other = createServer().listen(0, '127.0.0.1');
    await new Promise((resolve) => other.once('listening', resolve));
    const { port } = other.address() as { port: number };
    try {
      await assert.rejects(start({ count: 10, keys: 1 }, 1, { port }), new RegExp(`port ${port} on 127.0.0.1 is in use.*Choose another port`));
    } finally {
      other.close();
    }
  });
});

describe('monitoring: a service registry', () => {
  it("registers eddy's metrics into a service's own prom-client registry, once", async () => {
    const registry = new Registry();
    registerEddyMetrics(registry);
    registerEddyMetrics(registry);
    const job = await start({ count: COUNT, keys: KEYS }, 2, false);
    assert.equal(job.webUI, undefined);
    await job.result;
    const metrics = samples(await registry.metrics());
    assert.equal(total(metrics, 'eddy_operator_records_in_total', { job_id: job.id, operator: 'Double' }), COUNT);
    assert.equal(total(metrics, 'eddy_operator_records_out_total', { job_id: job.id, operator: 'Numbers', subtask: '0' }) + total(metrics, 'eddy_operator_records_out_total', { job_id: job.id, operator: 'Numbers', subtask: '1' }), COUNT);
    assert.equal(total(metrics, 'eddy_job_restarts_total', { job_id: job.id }), 0);
  });
});
