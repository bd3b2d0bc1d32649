// The heap keyed state backend of one operator subtask: the registry of its named states, the
// current key that every state object acts on, and snapshots per key group, so that a checkpoint
// restores at another parallelism (Flink's HeapKeyedStateBackend).

import { StreamError } from '../core/errors.js';
import { keyOfStateKey, stateKeyOf, type StateKey } from './state-key.js';
import type { Key } from '../core/key-groups.js';
import { HeapListState, TtlListState } from './heap-list-states.js';
import { HeapMapState, TtlMapState } from './heap-map-states.js';
import { HeapAggregatingState, HeapReducingState, HeapValueState } from './heap-value-states.js';
import { DEFAULT_NAMESPACE, type AggregatingState, type KeyedStateBackend, type ListState, type MapState, type Namespace, type ReducingState, type ValueState } from '../core/state.js';
import { checkStateCompatible } from './state-compatibility.js';
import { StateDescriptor, type AggregatingStateDescriptor, type ListStateDescriptor, type MapStateDescriptor, type ReducingStateDescriptor, type ValueStateDescriptor } from '../core/state-descriptors.js';
import type { KeyedSnapshotTask } from './keyed-snapshot-task.js';
import type { PreservedCells, PreservedKeys, StateGroupSnapshot, StateHost, StateTable } from './state-table.js';
import { TtlPolicy } from './ttl.js';

/** The state of one key group as plain data (msgpack-friendly: arrays of entries, keys as given). */
export interface KeyGroupSnapshot {
  readonly states: StateGroupSnapshot[];
}

export interface HeapKeyedStateBackendOptions {
  /** Number of key groups of the job. */
  readonly maxParallelism: number;
  /** The key groups this subtask owns, `end` inclusive. */
  readonly keyGroupRange: { readonly start: number; readonly end: number };
  /** Processing time in epoch ms, for TTL; `Date.now` by default. */
  readonly clock?: () => number;
}

/** A registered state object and its storage. */
interface Registered {
  readonly table: StateTable<unknown>;
}

/**
 * Keyed state of one operator subtask, kept on the heap per key group. The runtime calls
 * `setCurrentKey` before each keyed record or timer; state objects (created once with `getState`
 * and friends) then act on that key. Single-threaded: never called concurrently.
 */
export class HeapKeyedStateBackend implements KeyedStateBackend, StateHost {
  readonly maxParallelism: number;
  readonly keyGroupRange: { readonly start: number; readonly end: number };
  readonly numKeyGroups: number;
  readonly clock: () => number;
  /** @internal The current key's `keyGroup - keyGroupRange.start`, -1 before the first key. */
  currentGroupIndex = -1;
  /** @internal The current key as a `Map` key. */
  currentStateKey: StateKey = '';
  private currentKey: Key | undefined = undefined;
  private readonly firstKeyGroup: number;
  private readonly states = new Map<string, Registered>();
  /** The states' tables in registration order (the order of a key's preserved cells). */
  private readonly tables: StateTable<unknown>[] = [];
  /** Restored data of states that nobody registered yet, applied when they are. */
  private readonly pending = new Map<string, [keyGroup: number, data: StateGroupSnapshot][]>();
  /** A snapshot still encoding key groups: a key of a group it has not encoded is preserved before it is touched. */
  private snapshotInProgress: KeyedSnapshotTask | undefined;

  constructor(options: HeapKeyedStateBackendOptions) {
    const { maxParallelism, keyGroupRange, clock = Date.now } = options;
    if (!Number.isInteger(maxParallelism) || maxParallelism < 1 || maxParallelism > 32768) {
      throw new RangeError(`maxParallelism must be an integer from 1 to 32768, got ${maxParallelism}`);
    }
    const { start, end } = keyGroupRange ?? {};
    if (!Number.isInteger(start) || !Number.isInteger(end) || start < 0 || end < start || end >= maxParallelism) {
      throw new RangeError(
        `keyGroupRange must satisfy 0 <= start <= end < maxParallelism (${maxParallelism}), got ${JSON.stringify(keyGroupRange)}`,
      );
    }
    if (typeof clock !== 'function') throw new TypeError(`clock must be a function returning epoch ms, got ${typeof clock}`);
    this.maxParallelism = maxParallelism;
    this.keyGroupRange = { start, end };
    this.firstKeyGroup = start;
    this.numKeyGroups = end - start + 1;
    this.clock = clock;
  }

  /** Makes `key` (of `keyGroup`, as computed when the record was routed) the current key. */
  setCurrentKey(key: Key, keyGroup: number): void {
    const index = keyGroup - this.firstKeyGroup;
    if (!(index >= 0 && index < this.numKeyGroups)) throw this.notOwned(keyGroup);
    this.currentKey = key;
    this.currentGroupIndex = index;
    this.currentStateKey = stateKeyOf(key);
    this.snapshotInProgress?.touch(index, this.currentStateKey);
  }

  /** The key set by the last `setCurrentKey`. */
  getCurrentKey(): Key {
    if (this.currentKey === undefined) {
      throw new StreamError('INTERNAL', 'getCurrentKey() was called before any key was set', { domain: 'internal' });
    }
    return this.currentKey;
  }

  /** The key group of the current key (`keyGroupRange.start - 1` before the first key). */
  getCurrentKeyGroup(): number {
    return this.currentGroupIndex + this.firstKeyGroup;
  }

  /**
   * Registers a value state, or returns the one already registered under this name. The same
   * holds for the other `get...State` methods; a name is bound to one kind of state and one
   * TTL setting for the life of the job (checkpoints included).
   */
  getState<T>(descriptor: ValueStateDescriptor<T>): ValueState<T> {
    return this.register(descriptor, () => new HeapValueState(this, descriptor));
  }

  getListState<T>(descriptor: ListStateDescriptor<T>): ListState<T> {
    return this.register(descriptor, (ttl) =>
      ttl === undefined ? new HeapListState(this, descriptor) : new TtlListState(this, descriptor, ttl),
    );
  }

  getMapState<UK, UV>(descriptor: MapStateDescriptor<UK, UV>): MapState<UK, UV> {
    return this.register(descriptor, (ttl) =>
      ttl === undefined ? new HeapMapState(this, descriptor) : new TtlMapState(this, descriptor, ttl),
    );
  }

  getReducingState<T>(descriptor: ReducingStateDescriptor<T>): ReducingState<T> {
    return this.register(descriptor, () => new HeapReducingState(this, descriptor));
  }

  getAggregatingState<IN, ACC, OUT>(descriptor: AggregatingStateDescriptor<IN, ACC, OUT>): AggregatingState<IN, OUT> {
    return this.register(descriptor, () => new HeapAggregatingState(this, descriptor));
  }

  private register<S extends Registered>(descriptor: StateDescriptor, create: (ttl: TtlPolicy | undefined) => S): S {
    if (!(descriptor instanceof StateDescriptor)) {
      throw new TypeError('Keyed state needs a state descriptor, e.g. new ValueStateDescriptor("count")');
    }
    const ttl = descriptor.ttl !== undefined;
    const existing = this.states.get(descriptor.name);
    if (existing !== undefined) {
      checkStateCompatible(descriptor.name, existing.table.kind, existing.table.ttl, descriptor.kind, ttl, 'registered');
      return existing as S;
    }
    // A state that appears while a snapshot is in progress holds nothing of it (or only restored data): finish it first.
    this.snapshotInProgress?.finish();
    const restored = this.pending.get(descriptor.name) ?? [];
    for (const [, data] of restored) checkStateCompatible(data.name, data.kind, data.ttl, descriptor.kind, ttl, 'checkpointed');
    const state = create(TtlPolicy.of(descriptor, this.clock));
    for (const [keyGroup, data] of restored) state.table.restoreGroup(keyGroup - this.firstKeyGroup, data);
    this.pending.delete(descriptor.name);
    this.states.set(descriptor.name, state);
    this.tables.push(state.table);
    return state;
  }

  /**
   * The keys that hold an entry of state `stateName` in `namespace`, in key group order: a copy,
   * so state may be changed while walking it.
   */
  keys(stateName: string, namespace: Namespace = DEFAULT_NAMESPACE): Key[] {
    const keys: Key[] = [];
    this.tableOf(stateName).forEachKey(namespace, (stateKey) => keys.push(keyOfStateKey(stateKey)));
    return keys;
  }

  /**
   * Calls `fn` with each key that holds an entry of `stateName` in `namespace`, with that key set
   * as the current key (Flink's `applyToAllKeys`); the previous current key is restored after.
   */
  applyToAllKeys(stateName: string, fn: (key: Key) => void, namespace: Namespace = DEFAULT_NAMESPACE): void {
    this.snapshotInProgress?.finish();
    const stateKeys: StateKey[] = [];
    const groups: number[] = [];
    this.tableOf(stateName).forEachKey(namespace, (stateKey, group) => {
      stateKeys.push(stateKey);
      groups.push(group);
    });
    const previous = [this.currentKey, this.currentGroupIndex, this.currentStateKey] as const;
    for (let i = 0; i < stateKeys.length; i++) {
      const key = keyOfStateKey(stateKeys[i]!);
      this.currentKey = key;
      this.currentGroupIndex = groups[i]!;
      this.currentStateKey = stateKeys[i]!;
      fn(key);
    }
    [this.currentKey, this.currentGroupIndex, this.currentStateKey] = previous;
  }

  /** Distinct keys with any entry, in all states or in `stateName`. */
  numKeys(stateName?: string): number {
    const tables = stateName === undefined ? [...this.states.values()].map((s) => s.table) : [this.tableOf(stateName)];
    let count = 0;
    const keys = new Set<StateKey>();
    for (let group = 0; group < this.numKeyGroups; group++) {
      keys.clear();
      for (const table of tables) table.collectKeys(group, keys);
      count += keys.size;
    }
    return count;
  }

  /** Number of (state, key, namespace) entries. */
  numEntries(): number {
    let count = 0;
    for (const { table } of this.states.values()) count += table.numEntries();
    return count;
  }

  /**
   * Removes every expired entry of the states with TTL (reads already hide them and drop them
   * lazily); returns how many (key, namespace) entries went away entirely.
   */
  cleanupExpired(): number {
    this.snapshotInProgress?.finish();
    const now = this.clock();
    let removed = 0;
    for (const { table } of this.states.values()) if (table.ttl) removed += table.prune(now);
    return removed;
  }

  /**
   * Until `task` completes, each key of a group it has not encoded yet is preserved before it
   * becomes current, and every group is encoded before all keys are walked. The current key is
   * preserved at once: the operator may still act on it. A snapshot still in progress is
   * finished first.
   */
  guardSnapshot(task: KeyedSnapshotTask): void {
    this.snapshotInProgress?.finish();
    if (task.complete) return;
    this.snapshotInProgress = task;
    if (this.currentGroupIndex >= 0) task.touch(this.currentGroupIndex, this.currentStateKey);
  }

  /** @internal The current key's cells in every state, in registration order, encoded and copied. */
  preserveCurrentKey(): (PreservedCells | undefined)[] {
    return this.tables.map((table) => table.preserveCurrentKey());
  }

  /** The guarded snapshot completed: keys are touched freely again. */
  endSnapshotGuard(task: KeyedSnapshotTask): void {
    if (this.snapshotInProgress === task) this.snapshotInProgress = undefined;
  }

  /**
   * The state of one owned key group as plain data, the keys in `preserved` as they were
   * preserved. It shares user objects (values, accumulators) with the live state: encode it
   * before its keys are touched again.
   */
  snapshotKeyGroup(keyGroup: number, preserved?: PreservedKeys): KeyGroupSnapshot {
    const group = this.indexOf(keyGroup);
    const states: StateGroupSnapshot[] = [];
    this.tables.forEach((table, index) => {
      const data = table.snapshotGroup(group, preserved, index);
      if (data !== undefined) states.push(data);
    });
    for (const restored of this.pending.values()) {
      for (const [restoredGroup, data] of restored) if (restoredGroup === keyGroup) states.push(data);
    }
    return { states };
  }

  /** Adds a key group's snapshot (from `snapshotKeyGroup` of any backend) to this backend. */
  restoreKeyGroup(keyGroup: number, data: unknown): void {
    const group = this.indexOf(keyGroup);
    for (const stateData of (data as KeyGroupSnapshot).states) {
      const registered = this.states.get(stateData.name);
      if (registered === undefined) {
        const restored = this.pending.get(stateData.name);
        if (restored === undefined) this.pending.set(stateData.name, [[keyGroup, stateData]]);
        else restored.push([keyGroup, stateData]);
        continue;
      }
      const { table } = registered;
      checkStateCompatible(stateData.name, stateData.kind, stateData.ttl, table.kind, table.ttl, 'checkpointed');
      table.restoreGroup(group, stateData);
    }
  }

  /** Snapshots of every owned key group that holds state. */
  snapshot(): { keyGroup: number; data: KeyGroupSnapshot }[] {
    const parts: { keyGroup: number; data: KeyGroupSnapshot }[] = [];
    for (let keyGroup = this.keyGroupRange.start; keyGroup <= this.keyGroupRange.end; keyGroup++) {
      const data = this.snapshotKeyGroup(keyGroup);
      if (data.states.length > 0) parts.push({ keyGroup, data });
    }
    return parts;
  }

  /** Restores the parts (of snapshots of any backends) whose key group this backend owns; skips the rest. */
  restore(parts: Iterable<{ readonly keyGroup: number; readonly data: unknown }>): void {
    const { start, end } = this.keyGroupRange;
    for (const { keyGroup, data } of parts) if (keyGroup >= start && keyGroup <= end) this.restoreKeyGroup(keyGroup, data);
  }

  private tableOf(stateName: string): StateTable<unknown> {
    const registered = this.states.get(stateName);
    if (registered === undefined) {
      throw new StreamError('INVALID_ARGUMENT', `No keyed state named "${stateName}" is registered with this backend`, {
        domain: 'internal',
      });
    }
    return registered.table;
  }

  private indexOf(keyGroup: number): number {
    const index = keyGroup - this.firstKeyGroup;
    if (!(index >= 0 && index < this.numKeyGroups)) throw this.notOwned(keyGroup);
    return index;
  }

  private notOwned(keyGroup: number): StreamError {
    const { start, end } = this.keyGroupRange;
    return new StreamError(
      'INTERNAL',
      `Key group ${keyGroup} is not owned by this subtask (key groups ${start}..${end} of ${this.maxParallelism})`,
      { domain: 'internal' },
    );
  }
}
