// Processing-time TTL for keyed state (Flink's StateTtlConfig): the wrapper that stamps a stored
// value with its last access time, and the policy that decides when it expired.

import type { StateDescriptor } from '../core/state-descriptors.js';

/** A stored value with the processing time (epoch ms) it was last written, or read if so configured. */
export class TtlValue<V> {
  constructor(
    public value: V,
    public timestamp: number,
  ) {}
}

/** The TTL of one state: how long entries live and whether reads extend their life. */
export class TtlPolicy {
  private constructor(
    readonly ttlMs: number,
    readonly updateOnRead: boolean,
    readonly clock: () => number,
  ) {}

  /** The policy of `descriptor`, or `undefined` when it has no TTL. */
  static of(descriptor: StateDescriptor, clock: () => number): TtlPolicy | undefined {
    const ttl = descriptor.ttl;
    return ttl === undefined ? undefined : new TtlPolicy(ttl.ttlMs, ttl.updateType === 'on-read-and-write', clock);
  }

  /** True when `entry` expired at `now`: its last access was `ttlMs` or more ago. */
  expired(entry: TtlValue<unknown>, now: number): boolean {
    return entry.timestamp + this.ttlMs <= now;
  }
}
