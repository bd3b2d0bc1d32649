// The RuntimeContext user functions get in open(): where the subtask runs and, for functions on a
// keyed stream, its keyed state. Shared by every operator that runs user functions.

import type { RuntimeContext } from '../api/functions.js';
import { StreamError } from '../errors.js';
import type { HeapKeyedStateBackend } from '../state/keyed-state-backend.js';
import type { OperatorContext } from './operator.js';

function notKeyed(): never {
  throw new StreamError(
    'INVALID_GRAPH',
    'Keyed state is only available in functions on a keyed stream: call keyBy(...) before process(...), or keep the state in a field of the function.',
  );
}

/** The runtime context of an operator; `backend` gives keyed state, when the operator is keyed. */
export function runtimeContext(ctx: OperatorContext, backend: HeapKeyedStateBackend | undefined): RuntimeContext {
  return {
    indexOfThisSubtask: ctx.subtask,
    numberOfParallelSubtasks: ctx.parallelism,
    taskName: ctx.operatorName,
    getState: (d) => (backend ?? notKeyed()).getState(d),
    getListState: (d) => (backend ?? notKeyed()).getListState(d),
    getMapState: (d) => (backend ?? notKeyed()).getMapState(d),
    getReducingState: (d) => (backend ?? notKeyed()).getReducingState(d),
    getAggregatingState: (d) => (backend ?? notKeyed()).getAggregatingState(d),
  };
}
