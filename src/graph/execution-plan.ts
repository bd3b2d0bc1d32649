// JobGraph -> ExecutionPlan: one actor per (vertex, subtask), one channel per pair of producer
// and consumer subtasks on every network edge, and a worker thread for every actor.

import type { ActorSpec, ChannelSpec, ExecutionPlan, JobGraph } from '../core/job-plan.js';
import { keyGroupRangeForSubtask } from '../core/key-groups.js';

/**
 * Places actors round-robin over the threads in plan order (vertex by vertex, subtask by
 * subtask), so every thread gets an equal share and the subtasks of one operator spread out.
 */
export function buildExecutionPlan(job: JobGraph, maxThreads: number): ExecutionPlan {
  const actorCount = job.vertices.reduce((sum, v) => sum + v.parallelism, 0);
  const threads = Math.max(1, Math.min(maxThreads, actorCount));
  const actors: ActorSpec[] = [];
  const firstActorOf: number[] = [];
  for (const vertex of job.vertices) {
    firstActorOf[vertex.id] = actors.length;
    for (let subtask = 0; subtask < vertex.parallelism; subtask++) {
      actors.push({
        index: actors.length,
        vertexId: vertex.id,
        subtask,
        parallelism: vertex.parallelism,
        thread: actors.length % threads,
        keyGroupRange: keyGroupRangeForSubtask(job.maxParallelism, vertex.parallelism, subtask),
      });
    }
  }
  const channels: ChannelSpec[] = [];
  job.edges.forEach((edge, edgeIndex) => {
    if (edge.chained) return;
    const from = job.vertices[job.vertexOf[edge.sourceNodeId]!]!;
    const to = job.vertices[job.vertexOf[edge.targetNodeId]!]!;
    for (let p = 0; p < from.parallelism; p++) {
      for (let c = 0; c < to.parallelism; c++) {
        if (edge.kind === 'forward' && p !== c) continue;
        channels.push({
          index: channels.length,
          edgeIndex,
          producerActor: firstActorOf[from.id]! + p,
          consumerActor: firstActorOf[to.id]! + c,
          consumerSubtask: c,
        });
      }
    }
  });
  return { actors, channels, threads };
}
