// The piscina task that runs on each worker thread: loads the job's graph by re-importing the job
// script, checks it matches the main thread's, and runs the actors the plan put on this thread.

import * as Comlink from 'comlink';
import { StreamError } from '../core/errors.js';
import { buildExecutionPlan } from '../graph/execution-plan.js';
import { buildJobGraph } from '../graph/job-graph.js';
import { ActorGroup } from '../actors/actor-group.js';
import { loadJobGraph } from './job-loader.js';
import type { ActorMetrics, MasterEndpoint, ThreadTask } from '../actors/thread-task.js';

export default async function runThread(task: ThreadTask): Promise<ActorMetrics[]> {
  const master = Comlink.wrap<MasterEndpoint>(task.masterPort);
  try {
    const graph = await loadJobGraph(task.job, task.defaultParallelism);
    if (graph.fingerprint() !== task.fingerprint) {
      throw new StreamError(
        'GRAPH_MISMATCH',
        `The job script built a different graph in a worker than in the main thread.\n  main:   ${task.fingerprint}\n  worker: ${graph.fingerprint()}\n` +
          'Build the job the same way on every run: do not branch on isMainThread, random values or the time.',
      );
    }
    const job = buildJobGraph(graph, task.defaultParallelism, task.maxParallelism);
    const plan = buildExecutionPlan(job, task.maxThreads);
    const group = new ActorGroup(task, graph, job, plan, master);
    Comlink.expose(group, task.threadPort);
    return await group.run();
  } finally {
    master[Comlink.releaseProxy]();
    task.masterPort.close();
    task.threadPort.close();
  }
}
