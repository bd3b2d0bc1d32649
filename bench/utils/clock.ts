// Wall-clock time for latency stamps, comparable across worker threads: every thread's
// performance.timeOrigin + performance.now() reads the same epoch clock, with µs precision.

/** Epoch time in ms, fractional (µs precision). */
export function nowMs(): number {
  return performance.timeOrigin + performance.now();
}
