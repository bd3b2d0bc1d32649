// User sessions: a session ends after 30 minutes without a click
// (EventTimeSessionWindows.withGap); a ProcessWindowFunction reports each session's user, start,
// end and number of clicks. Run: node dist/examples/user-sessions.js

import { EventTimeSessionWindows, StreamExecutionEnvironment, Time, WatermarkStrategy } from 'eddy';
import { clicks, clock, type Click } from './inputs.js';

interface Session {
  user: string;
  /** The first click. */
  start: number;
  /** The last click + 30 minutes: when the session timed out (the window's exclusive end). */
  end: number;
  clicks: number;
}

const env = StreamExecutionEnvironment.getExecutionEnvironment();

const sessions = await env
  .fromCollection(clicks())
  .assignTimestampsAndWatermarks(WatermarkStrategy.forMonotonousTimestamps<Click>().withTimestampAssigner((c) => c.time))
  .keyBy((c) => c.user)
  .window(EventTimeSessionWindows.withGap(Time.minutes(30)))
  .process<Session>((user, ctx, elements, out) => {
    out.collect({ user, start: ctx.window.start, end: ctx.window.end, clicks: [...elements].length });
  })
  .name('Sessions')
  .executeAndCollect({ jobName: 'user-sessions' });

sessions.sort((a, b) => a.start - b.start || a.user.localeCompare(b.user));
console.log(`user-sessions at parallelism ${env.getParallelism()}: ${sessions.length} sessions (30 minutes of inactivity ends one)`);
for (const { user, start, end, clicks: count } of sessions) {
  console.log(`${user.padEnd(5)}  ${clock(start)} - ${clock(end)}  ${String(count).padStart(3)} click${count === 1 ? '' : 's'}`);
}
