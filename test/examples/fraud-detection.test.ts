// examples/fraud-detection.ts at parallelism 2: its alerts are exactly the payments made in another
// city than the same card's previous payment, at most ten minutes earlier (a plain loop).

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { clock, transactions } from '../../examples/inputs.js';
import { runExample } from './run-example.js';

const TEN_MINUTES = 10 * 60_000;

describe('examples/fraud-detection', () => {
  it('alerts on a card used in two cities within ten minutes, and not after a longer pause', () => {
    const last = new Map<string, { city: string; time: number }>();
    const alerts: { card: string; line: string; time: number }[] = [];
    let pausedChanges = 0;
    for (const tx of transactions()) {
      const before = last.get(tx.card);
      if (before !== undefined && before.city !== tx.city) {
        if (tx.time - before.time <= TEN_MINUTES) {
          alerts.push({ card: tx.card, time: tx.time, line: `ALERT ${tx.card}: ${before.city} at ${clock(before.time)}, then ${tx.city} at ${clock(tx.time)}` });
        } else {
          pausedChanges++;
        }
      }
      last.set(tx.card, { city: tx.city, time: tx.time });
    }
    const expected = alerts.sort((a, b) => a.time - b.time || a.card.localeCompare(b.card)).map((a) => a.line);
    assert.ok(expected.length >= 10 && pausedChanges >= 10, 'the input has changes of city both within and after ten minutes');

    const lines = runExample('fraud-detection');
    assert.equal(lines[0], `fraud-detection at parallelism 2: ${expected.length} alerts`);
    assert.deepEqual(
      lines.slice(1).map((l) => l.replace(/ \(\d+\.\d min apart\)$/, '')),
      expected,
    );
  });
});
