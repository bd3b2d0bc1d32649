// examples/user-sessions.ts at parallelism 2: each user's sessions (clicks at most 30 minutes apart,
// so exactly 30 minutes still continues one), against a plain loop over the clicks.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { clicks, clock } from '../../examples/inputs.js';
import { runExample } from './run-example.js';

const GAP = 30 * 60_000;

describe('examples/user-sessions', () => {
  it('prints every session with its user, start, end and clicks', () => {
    const open = new Map<string, { user: string; start: number; last: number; clicks: number }>();
    const sessions: { user: string; start: number; last: number; clicks: number }[] = [];
    let exactGaps = 0;
    for (const { user, time } of clicks()) {
      const session = open.get(user);
      if (session !== undefined && time - session.last <= GAP) {
        if (time - session.last === GAP) exactGaps++;
        session.last = time;
        session.clicks++;
      } else {
        const next = { user, start: time, last: time, clicks: 1 };
        sessions.push(next);
        open.set(user, next);
      }
    }
    assert.ok(exactGaps > 0, 'the input has clicks exactly 30 minutes apart');
    const expected = sessions
      .sort((a, b) => a.start - b.start || a.user.localeCompare(b.user))
      .map((s) => `${s.user.padEnd(5)}  ${clock(s.start)} - ${clock(s.last + GAP)}  ${String(s.clicks).padStart(3)} click${s.clicks === 1 ? '' : 's'}`);

    const lines = runExample('user-sessions');
    assert.equal(lines[0], `user-sessions at parallelism 2: ${expected.length} sessions (30 minutes of inactivity ends one)`);
    assert.deepEqual(lines.slice(1), expected);
  });
});
