// A keyed operator's snapshot taken after the barrier, key group by key group, so the actor does
// not stop for all of its state at once (copy-on-write, as Flink's heap backend does it, with the
// key as the unit). At the barrier every owned key group is pending. Before a key of a pending
// group becomes current, its cells are preserved (encoded and copied: the operator may then
// change them, in place too); the actor encodes pending groups in short slices between its
// steps, each from its live cells and the preserved ones. Once every group is encoded the
// snapshot is complete, and it is exactly the state at the barrier.

import type { StateKey } from './state-key.js';
import type { PreservedCells, PreservedKeys } from './state-table.js';

export class KeyedSnapshotTask {
  /** Per group index: its bytes, null when it held nothing, undefined while pending. */
  private readonly groups: (Uint8Array | null | undefined)[];
  /** Per pending group index: the keys preserved in it so far. */
  private readonly preserved: (Map<StateKey, readonly (PreservedCells | undefined)[]> | undefined)[];
  private pending: number;
  /** Where `step` goes on from. */
  private cursor = 0;

  constructor(
    numGroups: number,
    /** Encodes the group at `index` from its live cells and `preserved`; null when it holds nothing. */
    private readonly encodeGroup: (index: number, preserved: PreservedKeys | undefined) => Uint8Array | null,
    /** The current key's cells in every state (the key being touched). */
    private readonly preserveCurrentKey: () => readonly (PreservedCells | undefined)[],
    /** Called once, when the last pending group was encoded. */
    private readonly onComplete: () => void,
  ) {
    this.groups = new Array<Uint8Array | null | undefined>(numGroups).fill(undefined);
    this.preserved = new Array<Map<StateKey, readonly (PreservedCells | undefined)[]> | undefined>(numGroups).fill(undefined);
    this.pending = numGroups;
  }

  get complete(): boolean {
    return this.pending === 0;
  }

  /** The current key (`stateKey`, of the group at `index`) is about to be read or changed: preserves it first if its group is pending. */
  touch(index: number, stateKey: StateKey): void {
    if (this.groups[index] !== undefined) return;
    let keys = this.preserved[index];
    if (keys === undefined) this.preserved[index] = keys = new Map();
    if (!keys.has(stateKey)) keys.set(stateKey, this.preserveCurrentKey());
  }

  /** Encodes pending groups until `deadline` (a `performance.now()` time) passes; true once complete. */
  step(deadline: number): boolean {
    while (this.pending > 0) {
      this.take(this.cursor++);
      if (performance.now() >= deadline) break;
    }
    return this.pending === 0;
  }

  /** Encodes every pending group now and returns the encoded groups that hold state, in key group order. */
  finish(): Uint8Array[] {
    while (this.pending > 0) this.take(this.cursor++);
    return this.groups.filter((bytes): bytes is Uint8Array => bytes !== null && bytes !== undefined);
  }

  private take(index: number): void {
    if (this.groups[index] !== undefined) return;
    this.groups[index] = this.encodeGroup(index, this.preserved[index]);
    this.preserved[index] = undefined;
    if (--this.pending === 0) this.onComplete();
  }
}
