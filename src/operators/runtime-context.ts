// The RuntimeContext user functions get in open(): where the subtask runs and, for functions on a
// keyed stream, its keyed state. Shared by every operator that runs user functions.

import { StreamError } from '../core/errors.js';
import type { RuntimeContext } from '../core/functions.js';
import type { OperatorContext } from '../core/operator.js';
import type { KeyedStateStore } from '../core/state.js';

function notKeyed(): never {
  throw new StreamError(
    'INVALID_GRAPH',
    'Keyed state is only available in functions on a keyed stream: call keyBy(...) before process(...), or keep the state in a field of the function.',
  );
}

/** The runtime context of an operator: keyed state comes from the operator's keyed state, when it is keyed. */
export function runtimeContext(ctx: OperatorContext): RuntimeContext {
  const state: KeyedStateStore | undefined = ctx.keyedState;
  return {
    indexOfThisSubtask: ctx.subtask,
    numberOfParallelSubtasks: ctx.parallelism,
    taskName: ctx.operatorName,
    getState: (d) => (state ?? notKeyed()).getState(d),
    getListState: (d) => (state ?? notKeyed()).getListState(d),
    getMapState: (d) => (state ?? notKeyed()).getMapState(d),
    getReducingState: (d) => (state ?? notKeyed()).getReducingState(d),
    getAggregatingState: (d) => (state ?? notKeyed()).getAggregatingState(d),
  };
}
