// The worker-thread pool of one job: piscina with one long-running task per thread (the thread's
// actors), event loops left free (atomics disabled) so that timers and Atomics.waitAsync work.

import { lazyModule } from '../core/lazy-module.js';
import type { ActorMetrics, ThreadTask } from '../actors/thread-task.js';

/** piscina, loaded in the main thread only (a worker imports this file through the job script but starts no pool). */
const piscinaModule = lazyModule<typeof import('piscina')>('piscina');

export interface WorkerPool {
  run(task: ThreadTask, transfer: readonly unknown[]): Promise<ActorMetrics[]>;
  destroy(): Promise<void>;
}

export function createWorkerPool(threads: number): WorkerPool {
  const { Piscina } = piscinaModule();
  const piscina = new Piscina({
    filename: new URL('./worker-bootstrap.cjs', import.meta.url).href,
    minThreads: threads,
    maxThreads: threads,
    // One task per thread: each task is a thread's whole group of actors.
    concurrentTasksPerWorker: 1,
    maxQueue: threads,
    idleTimeout: Number.MAX_SAFE_INTEGER,
    atomics: 'disabled',
    // The job script reads its arguments in every worker too (process.argv.slice(2)).
    argv: process.argv.slice(2),
  });
  let destroyed: Promise<void> | undefined;
  return {
    run: (task, transfer) => piscina.run(task, { transferList: transfer as never }) as Promise<ActorMetrics[]>,
    destroy: () => (destroyed ??= piscina.destroy()),
  };
}
