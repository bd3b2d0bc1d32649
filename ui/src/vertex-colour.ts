// A vertex's colour by what its subtasks do, as Flink's dashboard shows it: idle blue-grey, busy
// shading to red, back-pressured striped orange (the stripes' opacity is the back-pressured share).
import type { TaskMetrics } from './rest.js';

const IDLE = [223, 230, 238] as const;
const BUSY = [242, 139, 130] as const;

/** The fill between idle and busy by the busiest subtask's busy share. */
export function busyFill(metrics: TaskMetrics): string {
  const ratio = Math.min(1, Math.max(0, metrics.busyRatio));
  const channels = IDLE.map((idle, index) => Math.round(idle + (BUSY[index] - idle) * ratio));
  return `rgb(${channels.join(', ')})`;
}

/** The stripes' opacity when always back-pressured: the names on them stay readable. */
const FULL_STRIPES_OPACITY = 0.8;

/** The opacity of the back-pressure stripes over the fill. */
export function backPressureOpacity(metrics: TaskMetrics): number {
  return Math.round(Math.min(1, Math.max(0, metrics.backPressuredRatio)) * FULL_STRIPES_OPACITY * 100) / 100;
}

/** Back-pressured most of the time: the vertex gets an orange border too. */
export function isBackPressured(metrics: TaskMetrics): boolean {
  return metrics.backPressuredRatio >= 0.5;
}
