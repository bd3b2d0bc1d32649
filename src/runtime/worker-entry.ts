// The piscina task that runs on each worker thread: plans the job by re-importing the job script,
// checks it is the main thread's job, and runs the actors the plan put on this thread, logging as
// the main thread does. A job that
// cannot be loaded is reported to the master as what it is, not as a dead worker.

import * as Comlink from 'comlink';
import { ActorGroup } from '../actors/actor-group.js';
import type { ActorMetrics, MasterEndpoint, ThreadTask } from '../actors/thread-task.js';
import { serializeError } from '../core/errors.js';
import { configureLogs } from '../core/log.js';
import { checkSameGraph, loadPlannedJob } from './job-loader.js';

export default async function runThread(task: ThreadTask): Promise<ActorMetrics[]> {
  configureLogs(task.logs, { job: task.jobName, thread: task.thread });
  const master = Comlink.wrap<MasterEndpoint>(task.masterPort);
  try {
    let group: ActorGroup;
    try {
      const planned = await loadPlannedJob(task.job, task.settings);
      checkSameGraph(task.fingerprint, planned.fingerprint);
      group = await ActorGroup.create(task, planned, master);
    } catch (error) {
      await master.reportFailure(serializeError(error));
      return [];
    }
    Comlink.expose(group, task.threadPort);
    return await group.run();
  } finally {
    master[Comlink.releaseProxy]();
    task.masterPort.close();
    task.threadPort.close();
  }
}
