// What the main-thread ends of a job's rings (push and request sources, collectAsync sinks) get
// from each deployment: the rings, the doorbells, the actors at the other end, and a way to wake
// the main thread's pump. A job that restarts links them to its next deployment.

import type { Doorbells } from '../actors/channels/doorbell.js';
import type { PlannedJob } from '../core/job-plan.js';
import type { DeploymentMainThreadRings } from './main-thread-rings.js';

export interface MainThreadLink {
  readonly planned: PlannedJob;
  readonly rings: DeploymentMainThreadRings['rings'];
  readonly bells: Doorbells;
  /** Asks the pump to run soon (a reader took records and made room to read more). */
  wake(): void;
  /** Fails the job: the main-thread end could not go on (a pushed record that can never be sent). */
  fail(error: Error): void;
}

/** A main-thread end of some rings, run by the deployment's pump. */
export interface MainThreadEndpoint {
  /** The job (re)deployed: use its rings. */
  attach(link: MainThreadLink): void;
  /** Reads or writes what it can now; true when it did anything. */
  pump(): boolean;
  /** Whether `pump` would do something now (the pump sleeps otherwise). */
  hasWork(): boolean;
  /** The deployment ended (its rings were read to the end): `failure` when it failed. */
  detach(failure: Error | undefined): void;
  /** The job ended: finish or fail what waits (`failure` undefined: it ended normally or was cancelled). */
  end(failure: Error | undefined): void;
}
