// examples/moving-average.ts at parallelism 2: every minute, each symbol's average price over the
// five minutes before, against a plain loop over the ticks.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { clock, stockTicks } from '../../examples/inputs.js';
import { runExample } from './run-example.js';

describe('examples/moving-average', () => {
  it('prints the 5-minute moving average of every symbol at every minute', () => {
    const ticks = stockTicks();
    const windows = new Map<string, { symbol: string; end: number; cents: number; ticks: number }>();
    for (const { symbol, price, time } of ticks) {
      // A tick counts toward the averages reported at the next five minute boundaries after it.
      const firstEnd = Math.floor(time / 60_000) * 60_000 + 60_000;
      for (let end = firstEnd; end < firstEnd + 5 * 60_000; end += 60_000) {
        const id = `${symbol} ${end}`;
        const w = windows.get(id) ?? { symbol, end, cents: 0, ticks: 0 };
        w.cents += Math.round(price * 100);
        w.ticks += 1;
        windows.set(id, w);
      }
    }
    const expected = [...windows.values()]
      .sort((a, b) => a.end - b.end || a.symbol.localeCompare(b.symbol))
      .map((w) => `${clock(w.end)}  ${w.symbol.padEnd(7)}  ${(w.cents / w.ticks / 100).toFixed(4).padStart(9)}  (${w.ticks} tick${w.ticks === 1 ? '' : 's'})`);

    const lines = runExample('moving-average');
    assert.equal(lines[0], `moving-average at parallelism 2: ${expected.length} averages over the last 5 minutes, every minute`);
    assert.deepEqual(lines.slice(1), expected);
  });
});
