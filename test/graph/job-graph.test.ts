// Chaining and planning decisions: which operators share an actor, which edges become channels.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { StreamExecutionEnvironment } from '../../src/index.js';
import { buildExecutionPlan } from '../../src/graph/execution-plan.js';
import { buildJobGraph } from '../../src/graph/job-graph.js';

function env(parallelism: number): StreamExecutionEnvironment {
  return StreamExecutionEnvironment.getExecutionEnvironment().setParallelism(parallelism);
}

function vertexNames(e: StreamExecutionEnvironment, parallelism: number): string[] {
  return buildJobGraph(e.graphForRuntime(), parallelism, 128).vertices.map((v) => v.name);
}

describe('chaining', () => {
  it('chains a parallel source with the maps and filters after it', () => {
    const e = env(2);
    e.fromSequence(1, 10).map((x) => x).filter(() => true).print();
    assert.deepEqual(vertexNames(e, 2), ['Sequence Source -> Map -> Filter -> Print to Std. Out']);
  });

  it('breaks the chain at a keyBy', () => {
    const e = env(2);
    e.fromSequence(1, 10).map((x) => x).keyBy((x) => x).sum().print();
    assert.deepEqual(vertexNames(e, 2), ['Sequence Source -> Map', 'Keyed Aggregation -> Print to Std. Out']);
  });

  it('breaks the chain where parallelism changes (a rebalance, as in Flink)', () => {
    const e = env(4);
    e.fromElements(1, 2, 3).map((x) => x).print();
    const job = buildJobGraph(e.graphForRuntime(), 4, 128);
    assert.deepEqual(job.vertices.map((v) => [v.name, v.parallelism]), [['Collection Source', 1], ['Map -> Print to Std. Out', 4]]);
    assert.equal(job.edges.find((x) => !x.chained)!.kind, 'rebalance');
  });

  it('keeps equal-parallelism operators chained at parallelism 1', () => {
    const e = env(1);
    e.fromElements(1, 2, 3).map((x) => x).print();
    assert.deepEqual(vertexNames(e, 1), ['Collection Source -> Map -> Print to Std. Out']);
  });

  it('does not chain the consumer of a union', () => {
    const e = env(2);
    const a = e.fromSequence(1, 10);
    const b = e.fromSequence(11, 20);
    a.union(b).map((x) => x).print();
    assert.deepEqual(vertexNames(e, 2), ['Sequence Source', 'Sequence Source', 'Map -> Print to Std. Out']);
  });

  it('does not chain across rebalance or broadcast even at equal parallelism', () => {
    const e = env(2);
    const s = e.fromSequence(1, 10);
    s.rebalance().map((x) => x).name('A').print();
    s.broadcast().map((x) => x).name('B').print();
    assert.deepEqual(vertexNames(e, 2), ['Sequence Source', 'A -> Print to Std. Out', 'B -> Print to Std. Out']);
  });

  it('chains one operator into several forward consumers (a chain is a tree)', () => {
    const e = env(2);
    const s = e.fromSequence(1, 10).map((x) => x);
    s.filter(() => true).print();
    s.filter(() => false).print();
    assert.equal(vertexNames(e, 2).length, 1);
  });
});

describe('execution plan', () => {
  it('makes one channel per producer/consumer pair of a keyed edge and one per subtask of a forward edge', () => {
    const e = env(4);
    const s = e.fromSequence(1, 100);
    s.keyBy((x) => x).sum().print();
    s.forward().map((x) => x).name('Forwarded').print();
    const job = buildJobGraph(e.graphForRuntime(), 4, 128);
    const plan = buildExecutionPlan(job, 2);
    assert.equal(plan.actors.length, 8);
    assert.equal(plan.channels.length, 16, 'the forward edge chains, the keyed edge is all-to-all');
    assert.equal(plan.threads, 2);
    assert.deepEqual(plan.actors.map((a) => a.thread), [0, 1, 0, 1, 0, 1, 0, 1]);
  });

  it('assigns contiguous key-group ranges covering all key groups', () => {
    const e = env(3);
    e.fromSequence(1, 100).keyBy((x) => x).sum().print();
    const plan = buildExecutionPlan(buildJobGraph(e.graphForRuntime(), 3, 128), 2);
    const keyed = plan.actors.filter((a) => a.vertexId === 1).map((a) => a.keyGroupRange);
    assert.deepEqual(keyed, [{ start: 0, end: 42 }, { start: 43, end: 85 }, { start: 86, end: 127 }]);
  });
});

describe('graph validation', () => {
  it('refuses parallelism 0 with a sentence saying what to pass', () => {
    assert.throws(() => env(0), /expected a whole number of at least 1/);
    assert.throws(() => env(2).fromSequence(1, 2).map((x) => x).setParallelism(0), RangeError);
  });

  it('refuses a parallel collection source', () => {
    assert.throws(() => env(2).fromElements(1, 2).setParallelism(2), /not parallel.*rebalance\(\)/s);
  });

  it('refuses forward() between different parallelisms', () => {
    const e = env(2);
    e.fromSequence(1, 10).forward().map((x) => x).setParallelism(3).print();
    assert.throws(() => buildJobGraph(e.graphForRuntime(), 2, 128), /needs equal parallelism/);
  });

  it('refuses a stream used after its job was executed', () => {
    const e = env(1);
    const s = e.fromElements(1);
    e.graphForRuntime().markExecuted();
    assert.throws(() => s.map((x) => x), (err: Error & { code?: string }) => err.code === 'JOB_ALREADY_EXECUTED' && /new environment/.test(err.message));
  });

  it('refuses non-functions where a function is expected', () => {
    assert.throws(() => env(1).fromElements(1).map(42 as never), /map expects a function, got number/);
    assert.throws(() => env(1).fromElements(1).keyBy('id' as never), /keyBy expects a function/);
  });

  it('refuses a job with no operators', () => {
    assert.throws(() => buildJobGraph(env(1).graphForRuntime(), 1, 128), /no operators/);
  });
});

describe('event-time checks', () => {
  const sum = (a: number, b: number) => a + b;

  it('refuses an event-time window on a stream without timestamps, saying how to fix it', async () => {
    const { TumblingEventTimeWindows } = await import('../../src/index.js');
    const e = env(2);
    e.fromSequence(1, 10).keyBy((x) => x % 2).window(TumblingEventTimeWindows.of(1000)).reduce(sum).print();
    assert.throws(() => buildJobGraph(e.graphForRuntime(), 2, 128), /uses event time, but its input has no timestamps and watermarks.*assignTimestampsAndWatermarks/s);
  });

  it('refuses it after noWatermarks(), and accepts it after a watermark strategy or with processing time', async () => {
    const { TumblingEventTimeWindows, TumblingProcessingTimeWindows, WatermarkStrategy } = await import('../../src/index.js');
    const none = env(1);
    none.fromSequence(1, 10).assignTimestampsAndWatermarks(WatermarkStrategy.noWatermarks<number>().withTimestampAssigner((x) => x)).keyBy((x) => x).window(TumblingEventTimeWindows.of(5)).reduce(sum).print();
    assert.throws(() => buildJobGraph(none.graphForRuntime(), 1, 128), /uses event time/);
    const timed = env(1);
    timed.fromSequence(1, 10).assignTimestampsAndWatermarks(WatermarkStrategy.forMonotonousTimestamps<number>().withTimestampAssigner((x) => x)).keyBy((x) => x).window(TumblingEventTimeWindows.of(5)).reduce(sum).print();
    assert.doesNotThrow(() => buildJobGraph(timed.graphForRuntime(), 1, 128));
    const processing = env(1);
    processing.fromSequence(1, 10).keyBy((x) => x).window(TumblingProcessingTimeWindows.of(5)).reduce(sum).print();
    assert.doesNotThrow(() => buildJobGraph(processing.graphForRuntime(), 1, 128));
  });
});
