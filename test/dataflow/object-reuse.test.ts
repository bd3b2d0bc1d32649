// env.enableObjectReuse(): the rolling aggregations update the key's record in place only where
// nothing after them in the chain keeps records, and every job gives the results it gives
// without it (the collect sink, a chained map before it, a channel to other threads, a FileSink,
// checkpoints with a failure and restore), and no record an aggregation was given is changed
// (a sink beside it keeps the very objects); at parallelism 1, 2 and 4.

import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import type { Trade } from '../fixtures/aggregations.js';
import { finalSums, sumProblems, type KeySum } from '../fixtures/checkpointed-sum.js';
import { sibling, type ObjectReuseArgs, type TradeLine } from '../fixtures/object-reuse.js';
import { runJob } from '../../src/index.js';
import { collectFixture, fixtureUrl, PARALLELISMS, runFixture } from '../harness/run-fixture.js';

const trades: Trade[] = Array.from({ length: 60 }, (_, i) => ({ symbol: `s${i % 5}`, price: (i * 7919) % 23, seq: i }));

/**
 * Per symbol, the [price, seq] of each emitted record, in order; or sorted, where a rebalance
 * spreads a key's records over several channels (which interleave differently on every run).
 */
function bySymbol(out: readonly Trade[], inOrder = true): Map<string, [number, number][]> {
  const result = new Map<string, [number, number][]>();
  for (const t of out) result.set(t.symbol, [...(result.get(t.symbol) ?? []), [t.price, t.seq]]);
  if (!inOrder) for (const records of result.values()) records.sort(([a], [b]) => a - b);
  return new Map([...result].sort(([a], [b]) => a.localeCompare(b)));
}

/** The lines of every committed file a FileSink wrote into `dir`. */
function committedLines(dir: string): string[] {
  return readdirSync(dir)
    .filter((name) => name.startsWith('part-'))
    .flatMap((name) => readFileSync(join(dir, name), 'utf8').split('\n').filter((line) => line !== ''));
}

async function withFolder<R>(work: (dir: string) => Promise<R>): Promise<R> {
  const dir = mkdtempSync(join(tmpdir(), 'eddy-object-reuse-'));
  try {
    return await work(dir);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

for (const p of PARALLELISMS) {
  describe(`object reuse at parallelism ${p}`, () => {
    for (const aggregation of ['sum', 'min', 'max'] as const) {
      for (const after of ['collect', 'map', 'network'] as const) {
        it(`${aggregation} then ${after === 'collect' ? 'the collect sink' : after === 'map' ? 'a chained map' : 'a channel to other threads'}: the same results as without reuse`, async () => {
          const run = (reuse: boolean): Promise<Trade[]> => collectFixture<Trade>('object-reuse', p, { reuse, trades, aggregation, after } satisfies ObjectReuseArgs);
          const [without, withReuse] = [await run(false), await run(true)];
          assert.equal(withReuse.length, trades.length);
          const inOrder = after !== 'network';
          assert.deepEqual(bySymbol(withReuse, inOrder), bySymbol(without, inOrder));
        });
      }
    }

    it('sum into a FileSink updates one object per key in place, with the same sums; without reuse every sum is a new object', async () => {
      const linesOf = (reuse: boolean): Promise<TradeLine[]> =>
        withFolder(async (out) => {
          await runFixture('object-reuse', p, { reuse, trades, aggregation: 'sum', after: 'file', out } satisfies ObjectReuseArgs);
          return committedLines(out).map((line) => JSON.parse(line) as TradeLine);
        });
      const [without, withReuse] = [await linesOf(false), await linesOf(true)];
      const asTrades = (lines: TradeLine[]): Trade[] => lines.map(([symbol, price, seq]) => ({ symbol, price, seq }));
      assert.deepEqual(bySymbol(asTrades(withReuse)), bySymbol(asTrades(without)));
      const firsts = new Set<string>();
      for (const [symbol, , , sameObject] of withReuse) {
        assert.equal(sameObject, firsts.has(symbol), `with reuse, every sum of ${symbol} after its first is the same object`);
        firsts.add(symbol);
      }
      assert.ok(without.every(([, , , sameObject]) => !sameObject), 'without reuse no sum is the object emitted before it');
    });

    it('sum in place never changes the records it was given: a collectAsync beside it receives them as pushed', async () => {
      await withFolder(async (out) => {
        const client = await runJob(fixtureUrl('object-reuse'), { parallelism: p, args: { reuse: true, aggregation: 'sum', after: 'sibling', out } satisfies ObjectReuseArgs, jobName: 'object-reuse sibling' });
        const received: Trade[] = [];
        const reading = (async () => {
          for await (const t of sibling.received!) received.push({ ...t });
        })();
        // Pushed at once, so that one batch holds several records of a key before the sink flushes.
        for (const t of trades) await sibling.push!.push({ ...t });
        await sibling.push!.close();
        await reading;
        await client.result;
        assert.deepEqual(bySymbol(received), bySymbol(trades));
        const sums = committedLines(out).map((line): Trade => {
          const [symbol, price, seq] = JSON.parse(line) as TradeLine;
          return { symbol, price, seq };
        });
        const expected = await collectFixture<Trade>('object-reuse', p, { reuse: false, trades, aggregation: 'sum', after: 'collect' } satisfies ObjectReuseArgs);
        assert.deepEqual(bySymbol(sums), bySymbol(expected));
      });
    });

    it('sum in place with checkpoints, a failure and a restart writes every sum exactly once', async () => {
      await withFolder(async (dir) => {
        const out = join(dir, 'out');
        const checkpoint = { count: 3000, keys: 7, perMs: 30, dir: join(dir, 'checkpoints'), intervalMs: 20, failAt: 1700, marker: join(dir, 'failed') };
        const result = await runFixture('object-reuse', p, { reuse: true, out, checkpoint } satisfies ObjectReuseArgs);
        assert.equal(result.restarts, 1);
        const sums = committedLines(out).map((line) => JSON.parse(line) as KeySum);
        assert.deepEqual(sumProblems(sums, checkpoint.count, checkpoint.keys), []);
        const last = new Array<number>(checkpoint.keys).fill(0);
        for (const { key, n } of sums) last[key] = Math.max(last[key]!, n);
        assert.deepEqual(last, finalSums(checkpoint.count, checkpoint.keys));
      });
    });
  });
}

describe('object reuse settings', () => {
  it('is off by default and turns on and off', async () => {
    const { StreamExecutionEnvironment } = await import('../../src/index.js');
    const env = StreamExecutionEnvironment.getExecutionEnvironment();
    assert.equal(env.isObjectReuseEnabled(), false);
    assert.equal(env.enableObjectReuse().isObjectReuseEnabled(), true);
    assert.equal(env.disableObjectReuse().isObjectReuseEnabled(), false);
  });
});
