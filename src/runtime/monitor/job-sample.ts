// One sample of a running deployment, as monitoring takes it off the hot path: every actor's
// counters (asked over the control channel) and every channel ring's position counters (read
// straight from shared memory), turned into totals that survive the counters' wrap at 4 GiB.

import type { ActorMetrics } from '../../actors/thread-task.js';
import { RingBuffer } from '../../actors/channels/ring-buffer.js';

/** One channel's ring: bytes written and read so far, and how full it is (0 to 1). */
export interface RingSample {
  readonly written: number;
  readonly read: number;
  readonly fill: number;
  /** The raw counters, for the next sample's deltas. */
  readonly rawWritten: number;
  readonly rawRead: number;
}

export interface JobSample {
  /** Which deployment of the job (0, then one more per restart). */
  readonly attempt: number;
  /** performance.now() when taken. */
  readonly at: number;
  /** Every actor's metrics, by actor index. */
  readonly actors: readonly (ActorMetrics | undefined)[];
  /** Every channel's ring, by channel index. */
  readonly rings: readonly RingSample[];
}

/** What a deployment gives a sample. */
export interface DeploymentState {
  readonly attempt: number;
  readonly actors: readonly ActorMetrics[];
  readonly channelBuffers: readonly SharedArrayBuffer[];
}

/** Takes a sample of `state`, continuing the byte totals of `previous` when it is of the same deployment. */
export function takeSample(state: DeploymentState, previous: JobSample | undefined, actorCount: number): JobSample {
  const before = previous?.attempt === state.attempt ? previous.rings : undefined;
  const rings = state.channelBuffers.map((sab, i): RingSample => {
    const { written, read, capacity } = RingBuffer.positions(sab);
    const last = before?.[i];
    return {
      written: last === undefined ? written : last.written + ((written - last.rawWritten) >>> 0),
      read: last === undefined ? read : last.read + ((read - last.rawRead) >>> 0),
      fill: ((written - read) >>> 0) / capacity,
      rawWritten: written,
      rawRead: read,
    };
  });
  const actors = new Array<ActorMetrics | undefined>(actorCount).fill(undefined);
  for (const a of state.actors) actors[a.actor] = a;
  return { attempt: state.attempt, at: performance.now(), actors, rings };
}
