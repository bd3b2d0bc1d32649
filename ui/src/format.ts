// Numbers as people read them: counts and rates with k/M/G, bytes with kB/MB/GB, durations in the
// largest units that fit, ratios as percentages, times of day, watermarks with their lag.

const UNITS = ['', ' k', ' M', ' G', ' T'];
const BYTE_UNITS = [' B', ' kB', ' MB', ' GB', ' TB'];

/** A value scaled by 1000s: 950, 1.2 k, 34 M; three significant digits at most. */
function scaled(value: number, units: readonly string[]): string {
  let scaledValue = value;
  let unit = 0;
  while (Math.abs(scaledValue) >= 999.5 && unit < units.length - 1) {
    scaledValue /= 1000;
    unit++;
  }
  const digits = unit === 0 && Number.isInteger(scaledValue) ? 0 : Math.abs(scaledValue) < 10 ? 1 : 0;
  return `${scaledValue.toFixed(digits)}${units[unit]}`;
}

export function formatCount(value: number): string {
  return scaled(value, UNITS);
}

export function formatRate(perSecond: number): string {
  return `${scaled(perSecond, UNITS)}/s`;
}

export function formatBytes(bytes: number | null): string {
  return bytes === null ? '–' : scaled(bytes, BYTE_UNITS);
}

export function formatByteRate(bytesPerSecond: number): string {
  return `${formatBytes(bytesPerSecond)}/s`;
}

export function formatPercent(ratio: number): string {
  return `${Math.round(ratio * 100)}%`;
}

/** 12 ms, 3.4 s, 5 m 6 s, 7 h 8 m, 2 d 3 h. */
export function formatDuration(ms: number | null): string {
  if (ms === null) return '–';
  if (ms < 1000) return `${Math.round(ms)} ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(ms < 10_000 ? 1 : 0)} s`;
  const seconds = Math.floor(ms / 1000);
  const [days, hours, minutes] = [Math.floor(seconds / 86_400), Math.floor(seconds / 3600) % 24, Math.floor(seconds / 60) % 60];
  if (days > 0) return `${days} d ${hours} h`;
  if (hours > 0) return `${hours} h ${minutes} m`;
  return `${minutes} m ${seconds % 60} s`;
}

function twoDigits(value: number): string {
  return String(value).padStart(2, '0');
}

/** The local time of day: 09:41:07. */
export function formatClock(epochMs: number): string {
  const date = new Date(epochMs);
  if (Number.isNaN(date.getTime())) return String(epochMs);
  return `${twoDigits(date.getHours())}:${twoDigits(date.getMinutes())}:${twoDigits(date.getSeconds())}`;
}

/** The local time of day, with the date when it is not the day of `now`. */
export function formatTime(epochMs: number, now: number = Date.now()): string {
  const date = new Date(epochMs);
  if (Number.isNaN(date.getTime()) || date.toDateString() === new Date(now).toDateString()) return formatClock(epochMs);
  return `${date.getFullYear()}-${twoDigits(date.getMonth() + 1)}-${twoDigits(date.getDate())} ${formatClock(epochMs)}`;
}

/** Watermarks past year 9999 mean "end of input" (the engine's final watermark). */
const END_OF_INPUT_WATERMARK = 253_402_300_800_000;

/** A watermark as its time (of day alone with `clockOnly`) and its lag behind the wall clock. */
export function formatWatermark(watermark: number | null, lagMs: number | null, now: number, clockOnly = false): string {
  if (watermark === null) return 'no watermark';
  if (watermark >= END_OF_INPUT_WATERMARK) return 'end of input';
  const lag = lagMs === null ? '' : ` (lag ${formatDuration(Math.max(0, lagMs))})`;
  return `${clockOnly ? formatClock(watermark) : formatTime(watermark, now)}${lag}`;
}
