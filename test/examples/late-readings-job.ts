// Job fixture for the docs/event-time.md walk-through as a real job: readings with punctuated
// watermarks into 10 s tumbling windows with 5 s of allowed lateness, and the too-late reading
// either in a side output or dropped (and counted in the job's metrics).

import { defineJob, OutputTag, Time, TumblingEventTimeWindows, WatermarkStrategy, type WatermarkGenerator } from '../../src/index.js';

export interface TimedReading {
  device: string;
  temp: number;
  time: number;
  /** The watermark to emit after this reading, if any. */
  wm?: number;
}

/** The walk-through: two readings, watermark 9999, a late-but-allowed one, watermark 14999, one too late. */
export const WALK_THROUGH: TimedReading[] = [
  { device: 'a', temp: 20, time: 1_000 },
  { device: 'a', temp: 21, time: 4_000, wm: 9_999 },
  { device: 'a', temp: 22, time: 3_000 },
  { device: 'a', temp: 24, time: 15_000, wm: 14_999 },
  { device: 'a', temp: 23, time: 2_000 },
];

const LATE = new OutputTag<TimedReading>('late-readings');

const punctuated = (): WatermarkGenerator<TimedReading> => ({
  onEvent: (r, _ts, out) => {
    if (r.wm !== undefined) out.emitWatermark(r.wm);
  },
  onPeriodicEmit: () => undefined,
});

export default defineJob((env, args: { sideOutput: boolean }) => {
  const windowed = env
    .fromCollection(WALK_THROUGH)
    .assignTimestampsAndWatermarks(WatermarkStrategy.forGenerator(punctuated).withTimestampAssigner((r) => r.time))
    .keyBy((r) => r.device)
    .window(TumblingEventTimeWindows.of(Time.seconds(10)))
    .allowedLateness(Time.seconds(5));
  if (args.sideOutput) windowed.sideOutputLateData(LATE);
  const counts = windowed
    .process<string>((device, ctx, elements, out) => {
      out.collect(`${device} [${ctx.window.start}, ${ctx.window.end}): ${[...elements].length} readings`);
    })
    .name('Readings per Window');
  return args.sideOutput ? counts.union(counts.getSideOutput(LATE).map((r) => `late ${r.device}@${r.time}`)) : counts;
});
