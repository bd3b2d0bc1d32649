// Storage of one named state in a heap keyed state backend: per key group, a map from key to cell
// for the default namespace, and key -> namespace -> cell for the others (window state). A cell is
// what one state kind keeps per (key, namespace): a value, an array, a Map, or their TTL forms.

import { StreamError } from '../core/errors.js';
import { copyForSnapshot } from '../checkpoint/snapshot-codec.js';
import { keyOfStateKey, stateKeyOf, type StateKey } from './state-key.js';
import type { Key } from '../core/key-groups.js';
import { DEFAULT_NAMESPACE, type Namespace } from '../core/state.js';
import type { StateKind } from '../core/state-descriptors.js';

/** What a state table reads from its backend on every access: the current key. */
export interface StateHost {
  /** `keyGroup - keyGroupRange.start` of the current key; -1 before the first `setCurrentKey`. */
  readonly currentGroupIndex: number;
  /** The current key as a `Map` key (`stateKeyOf`). */
  readonly currentStateKey: StateKey;
  /** How many key groups the backend owns. */
  readonly numKeyGroups: number;
  /** Processing time in epoch ms, for TTL. */
  readonly clock: () => number;
}

/** How one state kind turns its cells into snapshot data and back, and drops expired parts. */
export interface CellCodec<C> {
  encode(cell: C): unknown;
  decode(data: unknown): C;
  /** Removes what expired by `now` from a TTL cell; true when nothing is left of it. */
  prune(cell: C, now: number): boolean;
}

/**
 * One state's entries in one key group, as plain data (arrays of entries, keys as they were
 * given, cells as their codec encodes them).
 */
export interface StateGroupSnapshot {
  readonly name: string;
  readonly kind: StateKind;
  readonly ttl: boolean;
  /** `[key, cell]` for the default namespace. */
  readonly entries: [Key, unknown][];
  /** `[key, [namespace, cell][]]` for the other namespaces. */
  readonly namespaced: [Key, [Namespace, unknown][]][];
}

/** Refuses `undefined` as a stored value: it means "no value" to every read, and msgpack drops it. */
export function checkDefined(value: unknown, state: string, method: string): void {
  if (value === undefined) {
    throw new StreamError(
      'INVALID_ARGUMENT',
      `${method} on state "${state}" was given undefined, which state cannot hold; use null, or do not store the value`,
      { domain: 'user' },
    );
  }
}

/**
 * One key's cells in one state as a snapshot in progress keeps them when the key is touched
 * before its key group was encoded: encoded and copied, as the group's snapshot would hold them.
 */
export interface PreservedCells {
  /** The default namespace's cell; undefined: none. */
  readonly cell: unknown;
  /** The other namespaces' cells; undefined: none. */
  readonly namespaced: [Namespace, unknown][] | undefined;
}

/** The keys a snapshot in progress preserved in one key group, with their cells per state (by registration order). */
export type PreservedKeys = ReadonlyMap<StateKey, readonly (PreservedCells | undefined)[]>;

type NamespaceMap<C> = Map<Namespace, C>;

/** Storage of one state: cells per key group, key and namespace. Never shared between threads. */
export class StateTable<C> {
  /** Namespace that `get`, `put` and `remove` use; set by the state's `setCurrentNamespace`. */
  namespace: Namespace = DEFAULT_NAMESPACE;
  private readonly flat: (Map<StateKey, C> | undefined)[];
  private readonly nested: (Map<StateKey, NamespaceMap<C>> | undefined)[];
  /**
   * The namespace map of the key last looked up (`undefined`: it has none), since one record
   * usually touches several namespaces of its key (one per window). Reset whenever a key's map
   * may be dropped or replaced other than through `put` and `remove`.
   */
  private memoKey: StateKey | undefined;
  private memoNamespaces: NamespaceMap<C> | undefined;

  constructor(
    readonly name: string,
    readonly kind: StateKind,
    readonly ttl: boolean,
    private readonly host: StateHost,
    private readonly codec: CellCodec<C>,
  ) {
    this.flat = new Array<Map<StateKey, C> | undefined>(host.numKeyGroups).fill(undefined);
    this.nested = new Array<Map<StateKey, NamespaceMap<C>> | undefined>(host.numKeyGroups).fill(undefined);
  }

  /** The cell of the current key and namespace. */
  get(): C | undefined {
    const host = this.host;
    if (this.namespace === DEFAULT_NAMESPACE) {
      const byKey = this.flat[host.currentGroupIndex];
      return byKey === undefined ? undefined : byKey.get(host.currentStateKey);
    }
    const byNamespace = this.namespacesOfCurrentKey();
    return byNamespace === undefined ? undefined : byNamespace.get(this.namespace);
  }

  /** The current key's cells in namespaces other than the default, if it has any. */
  private namespacesOfCurrentKey(): NamespaceMap<C> | undefined {
    const host = this.host;
    const key = host.currentStateKey;
    // A key always lies in the same key group: the key alone identifies the memo.
    if (key === this.memoKey) return this.memoNamespaces;
    const byNamespace = this.nested[host.currentGroupIndex]?.get(key);
    this.memoKey = key;
    this.memoNamespaces = byNamespace;
    return byNamespace;
  }

  /** Sets the cell of the current key and namespace. */
  put(cell: C): void {
    const host = this.host;
    const group = host.currentGroupIndex;
    if (this.namespace === DEFAULT_NAMESPACE) {
      const byKey = this.flat[group] ?? (this.flat[group] = this.newGroup<C>(group));
      byKey.set(host.currentStateKey, cell);
      return;
    }
    const byNamespace = this.namespacesOfCurrentKey();
    if (byNamespace !== undefined) {
      byNamespace.set(this.namespace, cell);
      return;
    }
    const byKey = this.nested[group] ?? (this.nested[group] = this.newGroup<NamespaceMap<C>>(group));
    const created = new Map([[this.namespace, cell]]);
    byKey.set(host.currentStateKey, created);
    this.memoNamespaces = created;
  }

  /** Removes the cell of the current key and namespace; a key with no cell left is gone. */
  remove(): void {
    const host = this.host;
    if (this.namespace === DEFAULT_NAMESPACE) {
      this.flat[host.currentGroupIndex]?.delete(host.currentStateKey);
      return;
    }
    const byNamespace = this.namespacesOfCurrentKey();
    if (byNamespace === undefined || !byNamespace.delete(this.namespace)) return;
    if (byNamespace.size > 0) return;
    this.nested[host.currentGroupIndex]!.delete(host.currentStateKey);
    this.memoNamespaces = undefined;
  }

  private newGroup<V>(group: number): Map<StateKey, V> {
    if (group < 0) {
      throw new StreamError(
        'INTERNAL',
        `State "${this.name}" was written before a current key was set: keyed state is only available while a keyed record (or timer) is processed`,
        { domain: 'internal' },
      );
    }
    return new Map();
  }

  /** Calls `fn` for every key with a cell in `namespace`, in key group then insertion order. */
  forEachKey(namespace: Namespace, fn: (stateKey: StateKey, groupIndex: number) => void): void {
    for (let group = 0; group < this.flat.length; group++) {
      if (namespace === DEFAULT_NAMESPACE) {
        const byKey = this.flat[group];
        if (byKey !== undefined) for (const stateKey of byKey.keys()) fn(stateKey, group);
      } else {
        const byKey = this.nested[group];
        if (byKey === undefined) continue;
        for (const [stateKey, byNamespace] of byKey) if (byNamespace.has(namespace)) fn(stateKey, group);
      }
    }
  }

  /** Adds the keys that hold any cell in `group` to `into`. */
  collectKeys(group: number, into: Set<StateKey>): void {
    const flat = this.flat[group];
    if (flat !== undefined) for (const stateKey of flat.keys()) into.add(stateKey);
    const nested = this.nested[group];
    if (nested !== undefined) for (const stateKey of nested.keys()) into.add(stateKey);
  }

  /** Number of (key, namespace) cells. */
  numEntries(): number {
    let count = 0;
    for (let group = 0; group < this.flat.length; group++) {
      count += this.flat[group]?.size ?? 0;
      const nested = this.nested[group];
      if (nested !== undefined) for (const byNamespace of nested.values()) count += byNamespace.size;
    }
    return count;
  }

  /** Removes whatever expired by `now` (TTL tables only); returns how many cells went away. */
  prune(now: number): number {
    this.memoKey = undefined;
    let removed = 0;
    for (let group = 0; group < this.flat.length; group++) {
      const flat = this.flat[group];
      if (flat !== undefined) {
        for (const [stateKey, cell] of flat) {
          if (this.codec.prune(cell, now)) {
            flat.delete(stateKey);
            removed++;
          }
        }
      }
      const nested = this.nested[group];
      if (nested === undefined) continue;
      for (const [stateKey, byNamespace] of nested) {
        for (const [namespace, cell] of byNamespace) {
          if (this.codec.prune(cell, now)) {
            byNamespace.delete(namespace);
            removed++;
          }
        }
        if (byNamespace.size === 0) nested.delete(stateKey);
      }
    }
    return removed;
  }

  /** The current key's cells, encoded and copied, for a snapshot in progress; undefined when it has none. */
  preserveCurrentKey(): PreservedCells | undefined {
    const { currentGroupIndex: group, currentStateKey: stateKey } = this.host;
    const cell = this.flat[group]?.get(stateKey);
    const byNamespace = this.nested[group]?.get(stateKey);
    if (cell === undefined && byNamespace === undefined) return undefined;
    return {
      cell: cell === undefined ? undefined : copyForSnapshot(this.codec.encode(cell)),
      namespaced: byNamespace === undefined ? undefined : [...byNamespace].map(([namespace, c]): [Namespace, unknown] => [namespace, copyForSnapshot(this.codec.encode(c))]),
    };
  }

  /**
   * This state's cells in `group` as plain data, or `undefined` when it has none there. The keys
   * in `preserved` are taken as they were preserved (cells of state number `index`), not as they
   * are now.
   */
  snapshotGroup(group: number, preserved?: PreservedKeys, index = 0): StateGroupSnapshot | undefined {
    const entries: [Key, unknown][] = [];
    const namespaced: [Key, [Namespace, unknown][]][] = [];
    const flat = this.flat[group];
    if (flat !== undefined) {
      for (const [stateKey, cell] of flat) if (preserved?.has(stateKey) !== true) entries.push([keyOfStateKey(stateKey), this.codec.encode(cell)]);
    }
    const nested = this.nested[group];
    if (nested !== undefined) {
      for (const [stateKey, byNamespace] of nested) {
        if (preserved?.has(stateKey) === true) continue;
        const cells: [Namespace, unknown][] = [];
        for (const [namespace, cell] of byNamespace) cells.push([namespace, this.codec.encode(cell)]);
        namespaced.push([keyOfStateKey(stateKey), cells]);
      }
    }
    if (preserved !== undefined) {
      for (const [stateKey, states] of preserved) {
        const kept = states[index];
        if (kept?.cell !== undefined) entries.push([keyOfStateKey(stateKey), kept.cell]);
        if (kept?.namespaced !== undefined) namespaced.push([keyOfStateKey(stateKey), kept.namespaced]);
      }
    }
    if (entries.length === 0 && namespaced.length === 0) return undefined;
    return { name: this.name, kind: this.kind, ttl: this.ttl, entries, namespaced };
  }

  /** Adds the cells of a snapshot of this state to `group` (replacing cells of the same key). */
  restoreGroup(group: number, data: StateGroupSnapshot): void {
    this.memoKey = undefined;
    if (data.entries.length > 0) {
      const flat = this.flat[group] ?? (this.flat[group] = new Map());
      for (const [key, cell] of data.entries) flat.set(stateKeyOf(key), this.codec.decode(cell));
    }
    if (data.namespaced.length > 0) {
      const nested = this.nested[group] ?? (this.nested[group] = new Map());
      for (const [key, cells] of data.namespaced) {
        const stateKey = stateKeyOf(key);
        let byNamespace = nested.get(stateKey);
        if (byNamespace === undefined) nested.set(stateKey, (byNamespace = new Map()));
        for (const [namespace, cell] of cells) byNamespace.set(namespace, this.codec.decode(cell));
      }
    }
  }
}
