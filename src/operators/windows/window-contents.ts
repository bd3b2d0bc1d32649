// What a window operator keeps per (key, window) in keyed state, one namespace per window (so it
// is snapshotted per key group): a reduced value, an aggregate's accumulator, or the elements.
// Merging windows (sessions) fold the merged windows' contents together, as Flink's states do.

import { ListStateDescriptor, ValueStateDescriptor, type AggregateFunction } from '../../core/state-descriptors.js';
import type { KeyedStateStore, ListState, Namespace, ValueState } from '../../core/state.js';

/** How a window's elements are kept: the three ways of Flink's window functions. */
export type WindowContentsSpec<IN, ACC> =
  /** `reduce`: one value per window, `acc = reduce(acc, next)` in arrival order. */
  | { readonly kind: 'reduce'; readonly reduce: (a: IN, b: IN) => IN }
  /** `aggregate`: one accumulator per window. */
  | { readonly kind: 'aggregate'; readonly aggregate: AggregateFunction<IN, ACC, unknown> }
  /**
   * `process` (and count windows with a slide): every element. With `keepLast`, each firing first
   * drops all but the last `keepLast` elements, for good (Flink's CountEvictor).
   */
  | { readonly kind: 'list'; readonly keepLast?: number };

/**
 * The contents of the current key's windows. `setWindow` selects the window (namespace) that the
 * other calls act on; the key is the state backend's current key.
 */
export interface WindowContents<IN, ACC> {
  setWindow(namespace: Namespace): void;
  /** Adds `value`; true when the window is known to have held something before (false: empty, or not known). */
  add(value: IN): boolean;
  /** The contents to emit, or `undefined` when the window holds nothing. */
  get(): ACC | undefined;
  clear(): void;
  /**
   * Folds the contents of `sources` into `target` and clears the sources (Flink's
   * `mergeNamespaces`: sources in order, then `target = combine(target, merged)`).
   */
  merge(target: Namespace, sources: readonly Namespace[]): void;
}

/** The name of the window contents in keyed state. */
export const WINDOW_CONTENTS = 'window-contents';

/** Creates the contents of `spec`, registering its state with `backend`. */
export function createWindowContents<IN, ACC>(spec: WindowContentsSpec<IN, ACC>, backend: KeyedStateStore): WindowContents<IN, ACC> {
  switch (spec.kind) {
    case 'reduce':
      return new ReducedContents(backend.getState(new ValueStateDescriptor<IN>(WINDOW_CONTENTS)), spec.reduce) as unknown as WindowContents<IN, ACC>;
    case 'aggregate':
      return new AggregatedContents(backend.getState(new ValueStateDescriptor<ACC>(WINDOW_CONTENTS)), spec.aggregate);
    case 'list':
      return new ListContents(backend.getListState(new ListStateDescriptor<IN>(WINDOW_CONTENTS)), spec.keepLast) as unknown as WindowContents<IN, ACC>;
  }
}

/** A single value per window that sources fold into with `combine(accumulated, next)`. */
abstract class SingleValueContents<IN, V> implements WindowContents<IN, V> {
  constructor(protected readonly state: ValueState<V>) {}

  setWindow(namespace: Namespace): void {
    this.state.setCurrentNamespace(namespace);
  }

  abstract add(value: IN): boolean;
  protected abstract combine(a: V, b: V): V;

  get(): V | undefined {
    return this.state.value();
  }

  clear(): void {
    this.state.clear();
  }

  merge(target: Namespace, sources: readonly Namespace[]): void {
    const state = this.state;
    let merged: V | undefined;
    for (const source of sources) {
      state.setCurrentNamespace(source);
      const value = state.value();
      if (value === undefined) continue;
      state.clear();
      merged = merged === undefined ? value : this.combine(merged, value);
    }
    if (merged === undefined) return;
    state.setCurrentNamespace(target);
    const current = state.value();
    state.update(current === undefined ? merged : this.combine(current, merged));
  }
}

class ReducedContents<T> extends SingleValueContents<T, T> {
  constructor(
    state: ValueState<T>,
    private readonly reduce: (a: T, b: T) => T,
  ) {
    super(state);
  }

  add(value: T): boolean {
    const current = this.state.value();
    this.state.update(current === undefined ? value : this.reduce(current, value));
    return current !== undefined;
  }

  protected combine(a: T, b: T): T {
    return this.reduce(a, b);
  }
}

class AggregatedContents<IN, ACC> extends SingleValueContents<IN, ACC> {
  constructor(
    state: ValueState<ACC>,
    private readonly aggregate: AggregateFunction<IN, ACC, unknown>,
  ) {
    super(state);
  }

  add(value: IN): boolean {
    const current = this.state.value();
    this.state.update(this.aggregate.add(value, current === undefined ? this.aggregate.createAccumulator() : current));
    return current !== undefined;
  }

  protected combine(a: ACC, b: ACC): ACC {
    return this.aggregate.merge(a, b);
  }
}

class ListContents<T> implements WindowContents<T, readonly T[]> {
  constructor(
    private readonly state: ListState<T>,
    private readonly keepLast: number | undefined,
  ) {}

  setWindow(namespace: Namespace): void {
    this.state.setCurrentNamespace(namespace);
  }

  add(value: T): boolean {
    this.state.add(value);
    return false;
  }

  get(): readonly T[] | undefined {
    const elements = this.state.get();
    if (elements.length === 0) return undefined;
    if (this.keepLast === undefined || elements.length <= this.keepLast) return elements;
    const kept = elements.slice(elements.length - this.keepLast);
    this.state.update(kept);
    return kept;
  }

  clear(): void {
    this.state.clear();
  }

  merge(target: Namespace, sources: readonly Namespace[]): void {
    const merged: T[] = [];
    for (const source of sources) {
      this.state.setCurrentNamespace(source);
      merged.push(...this.state.get());
      this.state.clear();
    }
    if (merged.length === 0) return;
    this.state.setCurrentNamespace(target);
    this.state.addAll(merged);
  }
}
