// Allocates, for one deployment, the rings a job shares with the main thread that embeds it: one
// per subtask of every push or request source (main thread to subtask), of every request source's
// replies and of every collectAsync sink (subtask to main thread), and the doorbells, with one
// more for the main thread itself.

import { Doorbells } from '../actors/channels/doorbell.js';
import { RingBuffer } from '../actors/channels/ring-buffer.js';
import { mainThreadRingsOf, type MainThreadRings } from '../actors/thread-task.js';
import type { PlannedJob } from '../core/job-plan.js';

/** The stream node type of a collectAsync() sink. */
export const COLLECT_ASYNC_TYPE = 'collect-async';

/** The main-thread rings of a deployment, and the job's doorbells (the main thread's is the last). */
export interface DeploymentMainThreadRings {
  readonly rings: MainThreadRings;
  readonly doorbells: SharedArrayBuffer;
}

/** Rings shared with the main thread that a job of this plan needs (they take channel memory too). */
export function countMainThreadRings(planned: PlannedJob): number {
  let count = 0;
  for (const node of planned.nodes) {
    const p = planned.job.parallelism[node.id]!;
    if (node.source?.mainThreadFeed === 'push') count += p;
    if (node.source?.mainThreadFeed === 'requests') count += 2 * p;
    if (node.type === COLLECT_ASYNC_TYPE) count += p;
  }
  return count;
}

export function allocateMainThreadRings(planned: PlannedJob, ringBytes: number): DeploymentMainThreadRings {
  const byNode = (wanted: (nodeId: number) => boolean): [number, SharedArrayBuffer[]][] =>
    planned.nodes.filter((n) => wanted(n.id)).map((n) => [n.id, Array.from({ length: planned.job.parallelism[n.id]! }, () => RingBuffer.allocate(ringBytes))]);
  const feed = (id: number): string | undefined => planned.nodes[id]!.source?.mainThreadFeed;
  const mainActor = planned.plan.actors.length;
  return {
    rings: {
      actor: mainActor,
      inputs: byNode((id) => feed(id) !== undefined),
      replies: byNode((id) => feed(id) === 'requests'),
      outputs: byNode((id) => planned.nodes[id]!.type === COLLECT_ASYNC_TYPE),
    },
    doorbells: Doorbells.allocate(mainActor + 1),
  };
}

/** The actor of every subtask of `nodeId`, by subtask. */
export function actorsOfNode(planned: PlannedJob, nodeId: number): number[] {
  const vertexId = planned.job.vertexOf[nodeId]!;
  return planned.plan.actors
    .filter((a) => a.vertexId === vertexId)
    .sort((a, b) => a.subtask - b.subtask)
    .map((a) => a.index);
}

/** `nodeId`'s rings in one set of a deployment's main-thread rings, as views. */
export function ringsOf(set: MainThreadRings['inputs'], nodeId: number): RingBuffer[] {
  return mainThreadRingsOf(set, nodeId).map((sab) => new RingBuffer(sab));
}
