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

/** The stream nodes with rings to the main thread, by kind of ring: one rule for counting and allocating them. */
function ringNodes(planned: PlannedJob): Record<keyof Omit<MainThreadRings, 'actor'>, readonly number[]> {
  const feed = (n: PlannedJob['nodes'][number]): string | undefined => n.source?.mainThreadFeed;
  const ids = (wanted: (n: PlannedJob['nodes'][number]) => boolean): number[] => planned.nodes.filter(wanted).map((n) => n.id);
  return {
    inputs: ids((n) => feed(n) !== undefined),
    replies: ids((n) => feed(n) === 'requests'),
    outputs: ids((n) => n.type === COLLECT_ASYNC_TYPE),
  };
}

/** Rings shared with the main thread that a job of this plan needs (they take channel memory too). */
export function countMainThreadRings(planned: PlannedJob): number {
  const { inputs, replies, outputs } = ringNodes(planned);
  return [...inputs, ...replies, ...outputs].reduce((count, id) => count + planned.job.parallelism[id]!, 0);
}

export function allocateMainThreadRings(planned: PlannedJob, ringBytes: number): DeploymentMainThreadRings {
  const allocate = (ids: readonly number[]): [number, SharedArrayBuffer[]][] =>
    ids.map((id) => [id, Array.from({ length: planned.job.parallelism[id]! }, () => RingBuffer.allocate(ringBytes))]);
  const { inputs, replies, outputs } = ringNodes(planned);
  const mainActor = planned.plan.actors.length;
  return {
    rings: { actor: mainActor, inputs: allocate(inputs), replies: allocate(replies), outputs: allocate(outputs) },
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
