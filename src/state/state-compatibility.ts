// The rule that binds a state name to one kind of state and one TTL setting, checked when a state
// is registered and when checkpointed data meets the state that restores it.

import { StreamError } from '../core/errors.js';
import type { StateKind } from '../core/state-descriptors.js';

/**
 * Throws unless a state known as `kind` (with or without TTL), registered or found in a
 * checkpoint, may be used as `wantedKind` with `wantedTtl`: names are bound to one kind and one
 * TTL setting, as in Flink.
 */
export function checkStateCompatible(
  name: string,
  kind: StateKind,
  ttl: boolean,
  wantedKind: StateKind,
  wantedTtl: boolean,
  how: 'registered' | 'checkpointed',
): void {
  // A checkpoint that does not fit the job is a STATE_MISMATCH: restarting cannot help, so the job fails at once.
  const code = how === 'checkpointed' ? 'STATE_MISMATCH' : 'INVALID_ARGUMENT';
  if (kind !== wantedKind) {
    throw new StreamError(
      code,
      `State "${name}" is ${how} as ${kind} state and cannot be used as ${wantedKind} state: give each state its own name`,
      { domain: 'user' },
    );
  }
  if (ttl !== wantedTtl) {
    throw new StreamError(
      code,
      `State "${name}" is ${how} ${ttl ? 'with' : 'without'} a time-to-live and cannot be used ${wantedTtl ? 'with' : 'without'} one: ` +
        'TTL cannot be switched on or off for an existing state; use a new state name',
      { domain: 'user' },
    );
  }
}
