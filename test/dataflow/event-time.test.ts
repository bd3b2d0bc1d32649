// Event-time jobs at parallelism 1, 2 and 4 with punctuated watermarks give exactly the answers of
// a single-threaded run of the same operators (the harness): tumbling windows with lateness and
// a late side output, sessions, sliding windows (aggregate and the order-sensitive reduce), and
// the window join and co-group, also held against plain loops. (Its input has no late records: with
// parallel branches before a union, lateness depends on which branch's watermark comes first.)

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createHarness } from '../../src/index.js';
import { pipeline, readings, type EventTimeCase, type Reading } from '../fixtures/event-time.js';
import { collectFixture, PARALLELISMS, runFixture } from '../harness/run-fixture.js';

const COUNT = 600;
const KEYS = 5;

async function singleThreaded(which: EventTimeCase): Promise<string[]> {
  const h = await createHarness((s: import('../../src/index.js').DataStream<Reading>) => pipeline(s, which));
  for (const r of readings(COUNT, KEYS)) h.processElement(r);
  await h.endInput();
  await h.close();
  return h.values();
}

const CASES: EventTimeCase[] = ['tumbling-lateness', 'sessions', 'sliding-aggregate', 'sliding-reduce', 'window-join', 'window-cogroup'];

describe('event time: the single-threaded reference', () => {
  it('has late records, several windows per key and joined pairs (the cases test something)', async () => {
    const tumbling = await singleThreaded('tumbling-lateness');
    assert.ok(tumbling.some((s) => s.startsWith('late ')), 'some records are late');
    assert.ok(tumbling.filter((s) => !s.startsWith('late ')).length > 50);
    assert.ok((await singleThreaded('window-join')).length > 100);
  });

  it('joins exactly the pairs of a nested loop over tumbling windows', async () => {
    const rs = readings(COUNT, KEYS);
    const joined = await singleThreaded('window-join');
    const expected: string[] = [];
    for (const l of rs) {
      if (l.v % 2 !== 0) continue;
      for (const r of rs) {
        if (r.v % 2 === 1 && r.key === l.key && Math.floor(l.ts / 25) === Math.floor(r.ts / 25)) expected.push(`${l.key} ${l.ts}+${r.ts}`);
      }
    }
    assert.deepEqual([...joined].sort(), expected.sort());
  });

  it('co-groups once per key and window that holds a record of either side, with both sides\' records', async () => {
    const groups = new Map<string, [number, number]>();
    for (const r of readings(COUNT, KEYS)) {
      const id = `${r.key} ${Math.floor(r.ts / 25)}`;
      const counts = groups.get(id) ?? [0, 0];
      counts[r.v % 3 === 0 ? 0 : 1]++;
      groups.set(id, counts);
    }
    const expected = [...groups].map(([id, [l, r]]) => `${id} ${l}x${r}`);
    const actual = await singleThreaded('window-cogroup');
    assert.ok(actual.some((line) => line.endsWith('x0')) && actual.some((line) => / 0x/.test(line)), 'some groups have one side only');
    assert.deepEqual([...actual].sort(), expected.sort());
  });
});

/** Late records of the tumbling case (window [k*20, k*20+20), lateness 10) by replaying the watermarks. */
function lateCount(rs: Reading[]): number {
  let watermark = Number.NEGATIVE_INFINITY;
  let late = 0;
  for (const r of rs) {
    if (Math.floor(r.ts / 20) * 20 + 19 + 10 <= watermark) late++;
    if (r.wm !== undefined) watermark = Math.max(watermark, r.wm);
  }
  return late;
}

describe('late records', () => {
  it('are counted in the job metrics when dropped (no side output), at parallelism 2', async () => {
    const expected = lateCount(readings(COUNT, KEYS));
    assert.ok(expected > 10);
    const result = await runFixture('event-time', 2, { case: 'tumbling-drop', count: COUNT, keys: KEYS });
    const dropped = result.metrics.filter((m) => m.name === 'Dropping Window').reduce((n, m) => n + m.lateRecordsDropped, 0);
    assert.equal(dropped, expected);
    const sideOutput = (await singleThreaded('tumbling-lateness')).filter((s) => s.startsWith('late ')).length;
    assert.equal(sideOutput, expected, 'the same records go to the side output when it is set');
  });
});

for (const p of PARALLELISMS) {
  describe(`event time at parallelism ${p}`, () => {
    for (const which of CASES) {
      it(`${which} gives the single-threaded answers`, async () => {
        const expected = await singleThreaded(which);
        const actual = await collectFixture<string>('event-time', p, { case: which, count: COUNT, keys: KEYS });
        assert.deepEqual([...actual].sort(), [...expected].sort());
      });
    }
  });
}
