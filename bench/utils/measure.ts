// Wall and CPU time of a piece of work, for the benchmark suites.

export interface Measurement {
  seconds: number;
  cpuSeconds: number;
}

/** Runs `work` and measures its wall and CPU time (CPU of every thread of the process). */
export async function measure(work: () => Promise<void> | void): Promise<Measurement> {
  const cpu = process.cpuUsage();
  const started = performance.now();
  await work();
  const seconds = (performance.now() - started) / 1000;
  const used = process.cpuUsage(cpu);
  return { seconds, cpuSeconds: (used.user + used.system) / 1e6 };
}
