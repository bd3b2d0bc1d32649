// The TriggerContext the window operator hands to triggers: one reusable object pointed at the
// (key, window) being handled, whose timers and partitioned state use the window's namespace.

import type { Namespace, KeyedStateStore, State } from '../../core/state.js';
import type { AggregatingStateDescriptor, ListStateDescriptor, MapStateDescriptor, ReducingStateDescriptor, StateDescriptor, ValueStateDescriptor } from '../../core/state-descriptors.js';
import type { InternalTimerService } from '../../core/timers.js';
import { NamespacedTimers } from '../namespaced-timers.js';
import type { OnMergeContext } from './triggers/trigger.js';

const NO_NAMESPACES: readonly Namespace[] = Object.freeze([]);
/** `eventTimer` / `processingTimer` when the trigger set none: NaN, which no timer time equals. */
const NO_TIMER = Number.NaN;

/** Acts for the state backend's current key and the window set by `at`. Not reentrant. */
export class WindowTriggerContext extends NamespacedTimers<Namespace> implements OnMergeContext {
  /** During `onMerge`: the namespaces of the windows being merged into `namespace`. */
  mergedNamespaces: readonly Namespace[] = NO_NAMESPACES;
  /**
   * The event-time and processing-time timer the trigger set for this window since `at` (NaN if
   * none, or deleted again): the operator's cleanup timer at the same time need not be set twice.
   */
  eventTimer = NO_TIMER;
  processingTimer = NO_TIMER;

  constructor(
    private readonly backend: KeyedStateStore,
    timers: InternalTimerService<Namespace>,
  ) {
    super(timers, 0);
  }

  /** Points the context at the window named `namespace`; returns it. */
  at(namespace: Namespace): this {
    this.namespace = namespace;
    this.eventTimer = NO_TIMER;
    this.processingTimer = NO_TIMER;
    return this;
  }

  override registerEventTimeTimer(time: number): void {
    super.registerEventTimeTimer(time);
    this.eventTimer = time;
  }

  override deleteEventTimeTimer(time: number): void {
    super.deleteEventTimeTimer(time);
    if (time === this.eventTimer) this.eventTimer = NO_TIMER;
  }

  override registerProcessingTimeTimer(time: number): void {
    super.registerProcessingTimeTimer(time);
    this.processingTimer = time;
  }

  override deleteProcessingTimeTimer(time: number): void {
    super.deleteProcessingTimeTimer(time);
    if (time === this.processingTimer) this.processingTimer = NO_TIMER;
  }

  getPartitionedState<S extends State>(descriptor: StateDescriptor): S {
    const state = this.stateOf(descriptor);
    state.setCurrentNamespace(this.namespace);
    return state as S;
  }

  mergePartitionedState<T>(descriptor: ReducingStateDescriptor<T> | ListStateDescriptor<T>): void {
    if (this.mergedNamespaces.length === 0) return;
    if (descriptor.kind === 'reducing') {
      const state = this.backend.getReducingState(descriptor);
      let merged: T | undefined;
      for (const namespace of this.mergedNamespaces) {
        state.setCurrentNamespace(namespace);
        const value = state.get();
        if (value === undefined) continue;
        state.clear();
        merged = merged === undefined ? value : descriptor.reduceFn(merged, value);
      }
      state.setCurrentNamespace(this.namespace);
      if (merged !== undefined) state.add(merged);
      return;
    }
    if (descriptor.kind === 'list') {
      const state = this.backend.getListState(descriptor);
      const merged: T[] = [];
      for (const namespace of this.mergedNamespaces) {
        state.setCurrentNamespace(namespace);
        merged.push(...state.get());
        state.clear();
      }
      state.setCurrentNamespace(this.namespace);
      state.addAll(merged);
      return;
    }
    throw new TypeError(
      `mergePartitionedState merges reducing and list state; "${(descriptor as StateDescriptor).name}" is ${(descriptor as StateDescriptor).kind} state.`,
    );
  }

  private stateOf(descriptor: StateDescriptor): State {
    const backend = this.backend;
    switch (descriptor.kind) {
      case 'value':
        return backend.getState(descriptor as ValueStateDescriptor<unknown>);
      case 'list':
        return backend.getListState(descriptor as ListStateDescriptor<unknown>);
      case 'map':
        return backend.getMapState(descriptor as MapStateDescriptor<unknown, unknown>);
      case 'reducing':
        return backend.getReducingState(descriptor as ReducingStateDescriptor<unknown>);
      case 'aggregating':
        return backend.getAggregatingState(descriptor as AggregatingStateDescriptor<unknown, unknown, unknown>);
    }
  }
}
