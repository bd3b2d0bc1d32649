// Heap implementations of MapState: a Map per (key, namespace), or, with TTL, a Map of TtlValue
// whose entries expire one by one (as in Flink). An empty map is removed, so its key leaves no trace.

import type { MapState, Namespace } from '../core/state.js';
import type { MapStateDescriptor } from '../core/state-descriptors.js';
import { checkDefined, StateTable, type CellCodec, type StateHost } from './state-table.js';
import { TtlPolicy, TtlValue } from './ttl.js';

const EMPTY_MAP: ReadonlyMap<unknown, unknown> = new Map();

/** Heap {@link MapState} without TTL. */
export class HeapMapState<UK, UV> implements MapState<UK, UV>, CellCodec<Map<UK, UV>> {
  readonly table: StateTable<Map<UK, UV>>;

  constructor(host: StateHost, descriptor: MapStateDescriptor<UK, UV>) {
    this.table = new StateTable<Map<UK, UV>>(descriptor.name, 'map', false, host, this);
  }

  setCurrentNamespace(namespace: Namespace): void {
    this.table.namespace = namespace;
  }

  get(key: UK): UV | undefined {
    return this.table.get()?.get(key);
  }

  put(key: UK, value: UV): void {
    checkDefined(value, this.table.name, 'MapState.put');
    const map = this.table.get();
    if (map === undefined) this.table.put(new Map([[key, value]]));
    else map.set(key, value);
  }

  remove(key: UK): void {
    const map = this.table.get();
    if (map !== undefined && map.delete(key) && map.size === 0) this.table.remove();
  }

  contains(key: UK): boolean {
    return this.table.get()?.has(key) ?? false;
  }

  entries(): IterableIterator<[UK, UV]> {
    return (this.table.get() ?? (EMPTY_MAP as ReadonlyMap<UK, UV>)).entries();
  }

  keys(): IterableIterator<UK> {
    return (this.table.get() ?? (EMPTY_MAP as ReadonlyMap<UK, UV>)).keys();
  }

  values(): IterableIterator<UV> {
    return (this.table.get() ?? (EMPTY_MAP as ReadonlyMap<UK, UV>)).values();
  }

  isEmpty(): boolean {
    return this.table.get() === undefined;
  }

  clear(): void {
    this.table.remove();
  }

  encode(cell: Map<UK, UV>): unknown {
    return Array.from(cell);
  }

  decode(data: unknown): Map<UK, UV> {
    return new Map(data as [UK, UV][]);
  }

  prune(): boolean {
    return false;
  }
}

/** Heap {@link MapState} with TTL: each mapping expires on its own. */
export class TtlMapState<UK, UV> implements MapState<UK, UV>, CellCodec<Map<UK, TtlValue<UV>>> {
  readonly table: StateTable<Map<UK, TtlValue<UV>>>;
  private readonly ttl: TtlPolicy;

  constructor(host: StateHost, descriptor: MapStateDescriptor<UK, UV>, ttl: TtlPolicy) {
    this.ttl = ttl;
    this.table = new StateTable<Map<UK, TtlValue<UV>>>(descriptor.name, 'map', true, host, this);
  }

  setCurrentNamespace(namespace: Namespace): void {
    this.table.namespace = namespace;
  }

  get(key: UK): UV | undefined {
    const map = this.table.get();
    const entry = map?.get(key);
    if (entry === undefined) return undefined;
    const now = this.ttl.clock();
    if (this.ttl.expired(entry, now)) {
      this.remove(key);
      return undefined;
    }
    if (this.ttl.updateOnRead) entry.timestamp = now;
    return entry.value;
  }

  put(key: UK, value: UV): void {
    checkDefined(value, this.table.name, 'MapState.put');
    const now = this.ttl.clock();
    const map = this.table.get();
    const entry = map?.get(key);
    if (entry !== undefined) {
      entry.value = value;
      entry.timestamp = now;
    } else if (map === undefined) {
      this.table.put(new Map([[key, new TtlValue(value, now)]]));
    } else {
      map.set(key, new TtlValue(value, now));
    }
  }

  remove(key: UK): void {
    const map = this.table.get();
    if (map !== undefined && map.delete(key) && map.size === 0) this.table.remove();
  }

  contains(key: UK): boolean {
    return this.get(key) !== undefined;
  }

  /** Yields the live mappings, dropping expired ones; removes the map if nothing is left. */
  *entries(): IterableIterator<[UK, UV]> {
    const map = this.table.get();
    if (map === undefined) return;
    const now = this.ttl.clock();
    for (const [key, entry] of map) {
      if (this.ttl.expired(entry, now)) {
        map.delete(key);
        continue;
      }
      if (this.ttl.updateOnRead) entry.timestamp = now;
      yield [key, entry.value];
    }
    if (map.size === 0 && this.table.get() === map) this.table.remove();
  }

  *keys(): IterableIterator<UK> {
    for (const [key] of this.entries()) yield key;
  }

  *values(): IterableIterator<UV> {
    for (const [, value] of this.entries()) yield value;
  }

  isEmpty(): boolean {
    const map = this.table.get();
    if (map === undefined) return true;
    if (!this.prune(map, this.ttl.clock())) return false;
    this.table.remove();
    return true;
  }

  clear(): void {
    this.table.remove();
  }

  encode(cell: Map<UK, TtlValue<UV>>): unknown {
    const entries: [UK, UV, number][] = [];
    for (const [key, entry] of cell) entries.push([key, entry.value, entry.timestamp]);
    return entries;
  }

  decode(data: unknown): Map<UK, TtlValue<UV>> {
    const map = new Map<UK, TtlValue<UV>>();
    for (const [key, value, timestamp] of data as [UK, UV, number][]) map.set(key, new TtlValue(value, timestamp));
    return map;
  }

  /** Drops expired mappings; true when none is left. */
  prune(cell: Map<UK, TtlValue<UV>>, now: number): boolean {
    for (const [key, entry] of cell) if (this.ttl.expired(entry, now)) cell.delete(key);
    return cell.size === 0;
  }
}
