// Flink's WindowOperatorTest, processing-time cases, driven by the harness's clock.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { DataStream } from '../../../src/api/data-stream.js';
import { createHarness, type HarnessRecord } from '../../../src/testing/harness.js';
import { ProcessingTimeSessionWindows } from '../../../src/operators/windows/assigners/session.js';
import { SlidingProcessingTimeWindows } from '../../../src/operators/windows/assigners/sliding.js';
import { TumblingProcessingTimeWindows } from '../../../src/operators/windows/assigners/tumbling.js';
import { keyOf, rec, sessionProcess, sorted, sumReducer, type Pair } from './flink-udfs.js';

/** Moves the clock to `ms` and checks that exactly `expected` fired. */
function clockEmits<R extends unknown[]>(
  h: { clearOutput(): void; setProcessingTime(ms: number): void; output(): HarnessRecord<R>[] },
  ms: number,
  expected: HarnessRecord<R>[],
): void {
  h.clearOutput();
  h.setProcessingTime(ms);
  assert.deepEqual(sorted(h.output()), sorted(expected), `output at processing time ${ms}`);
}

test('testProcessingTimeTumblingWindows: timestamps are ignored', async () => {
  const h = await createHarness((s: DataStream<Pair>) => s.keyBy(keyOf).window(TumblingProcessingTimeWindows.of(3000)).reduce(sumReducer));
  h.setProcessingTime(3);
  for (let i = 0; i < 3; i++) h.processElement(['key2', 1], 7000);
  for (let i = 0; i < 2; i++) h.processElement(['key1', 1], 7000);
  clockEmits(h, 5000, [rec(['key2', 3], 2999), rec(['key1', 2], 2999)]);
  for (let i = 0; i < 3; i++) h.processElement(['key1', 1], 7000);
  clockEmits(h, 7000, [rec(['key1', 3], 5999)]);
  await h.close();
});

for (const [name, options] of [['per window', undefined], ['panes', { associative: true }]] as const) {
  test(`testProcessingTimeSlidingWindows (${name})`, async () => {
    const h = await createHarness((s: DataStream<Pair>) => s.keyBy(keyOf).window(SlidingProcessingTimeWindows.of(3000, 1000)).reduce(sumReducer, options));
    h.setProcessingTime(3);
    h.processElement(['key2', 1]);
    clockEmits(h, 1000, [rec(['key2', 1], 999)]);
    h.processElement(['key2', 1]);
    h.processElement(['key2', 1]);
    clockEmits(h, 2000, [rec(['key2', 3], 1999)]);
    h.processElement(['key1', 1]);
    h.processElement(['key1', 1]);
    clockEmits(h, 3000, [rec(['key2', 3], 2999), rec(['key1', 2], 2999)]);
    for (let i = 0; i < 3; i++) h.processElement(['key1', 1]);
    clockEmits(h, 7000, [rec(['key2', 2], 3999), rec(['key1', 5], 3999), rec(['key1', 5], 4999), rec(['key1', 3], 5999)]);
    await h.close();
  });
}

test('testProcessingTimeSessionWindows', async () => {
  const h = await createHarness((s: DataStream<Pair>) => s.keyBy(keyOf).window(ProcessingTimeSessionWindows.withGap(3000)).reduce(sumReducer));
  h.setProcessingTime(3);
  h.processElement(['key2', 1], 1);
  h.setProcessingTime(1000);
  h.processElement(['key2', 1], 1002);
  clockEmits(h, 5000, [rec(['key2', 2], 3999)]);
  for (let i = 0; i < 2; i++) h.processElement(['key2', 1], 5000);
  for (let i = 0; i < 3; i++) h.processElement(['key1', 1], 5000);
  clockEmits(h, 10000, [rec(['key2', 2], 7999), rec(['key1', 3], 7999)]);
  await h.close();
});

test('testDynamicProcessingTimeSessionWindows', async () => {
  const gap = ([key, value]: Pair): number => (key === 'key1' ? 3000 : value === 10 ? 1000 : 2000);
  const h = await createHarness((s: DataStream<Pair>) => s.keyBy(keyOf).window(ProcessingTimeSessionWindows.withDynamicGap(gap)).process(sessionProcess));
  const at = (ms: number, value: Pair): void => {
    h.setProcessingTime(ms);
    h.processElement(value, ms);
  };
  // Flink's expected output grows: windows fire while the clock moves between elements.
  const expected = [rec(['key1-3', 10, 3010], 3009), rec(['key2-9', 5000, 8000], 7999)];
  at(10, ['key1', 3]);
  at(5000, ['key2', 4]);
  at(6000, ['key2', 5]);
  h.setProcessingTime(8999);
  assert.deepEqual(sorted(h.output()), sorted(expected));
  at(9000, ['key2', 1]);
  at(10000, ['key2', 2]);
  at(10500, ['key2', 10]);
  h.setProcessingTime(12000);
  expected.push(rec(['key2-13', 9000, 12000], 11999));
  assert.deepEqual(sorted(h.output()), sorted(expected));
  at(13000, ['key2', 10]);
  at(13500, ['key2', 10]);
  at(14000, ['key2', 1]);
  h.setProcessingTime(16999);
  expected.push(rec(['key2-21', 13000, 16000], 15999));
  assert.deepEqual(sorted(h.output()), sorted(expected));
  await h.close();
});
