// Chooses the operator for a windowed stream: sliding windows with their default trigger share
// panes when the window function allows it (an aggregate, or a reduce declared associative);
// everything else runs Flink's per-window operator.

import type { Key } from '../../core/key-groups.js';
import type { OneInputOperator } from '../../core/operator.js';
import { SlidingWindows } from './assigners/sliding.js';
import { greatestCommonDivisor, PaneWindowOperator, type PaneContentsSpec } from './pane-window-operator.js';
import type { TimeWindow, Window } from './time-window.js';
import type { Trigger } from './triggers/trigger.js';
import type { WindowAssigner } from './window-assigner.js';
import type { WindowContentsSpec } from './window-contents.js';
import type { WindowEmitter } from './window-functions.js';
import { WindowOperator } from './window-operator.js';

/**
 * Panes per slide above which sharing panes stops paying (size 10001 ms, slide 10000 ms would
 * make 1 ms panes): then each window keeps its own state.
 */
const MAX_PANES_PER_SLIDE = 4;

/** Everything a windowed stream knows when its window function is given. */
export interface WindowSetup<IN, ACC, OUT, K, W extends Window> {
  readonly assigner: WindowAssigner<IN, W>;
  /** The trigger set with `.trigger(...)`, or undefined for the assigner's default. */
  readonly trigger: Trigger<IN, W> | undefined;
  readonly allowedLateness: number;
  readonly lateDataTag: string | undefined;
  readonly contents: WindowContentsSpec<IN, ACC>;
  /** True when partial results may be combined across panes (aggregate, associative reduce). */
  readonly combinable: boolean;
  readonly emit: WindowEmitter<ACC, OUT, K, W>;
}

/** Whether `setup` runs on shared panes, and their spec if so. */
export function paneContentsOf<IN, ACC, OUT, K, W extends Window>(setup: WindowSetup<IN, ACC, OUT, K, W>): PaneContentsSpec<IN, ACC> | undefined {
  const { assigner, contents } = setup;
  if (setup.trigger !== undefined || !setup.combinable || !(assigner instanceof SlidingWindows)) return undefined;
  if (assigner.size <= assigner.slide || assigner.slide / greatestCommonDivisor(assigner.size, assigner.slide) > MAX_PANES_PER_SLIDE) return undefined;
  if (contents.kind === 'aggregate') return { kind: 'aggregate', aggregate: contents.aggregate };
  if (contents.kind === 'reduce') return { kind: 'reduce', reduce: contents.reduce };
  return undefined;
}

/** A factory of the window operator for `setup`, one operator per subtask. */
export function windowOperatorFactory<IN, ACC, OUT, K extends Key, W extends Window>(
  setup: WindowSetup<IN, ACC, OUT, K, W>,
): () => OneInputOperator<IN, OUT> {
  const { assigner, allowedLateness, lateDataTag } = setup;
  const options = { isEventTime: assigner.isEventTime, allowedLateness, lateDataTag };
  const panes = paneContentsOf(setup);
  if (panes !== undefined) {
    const sliding = assigner as unknown as SlidingWindows;
    const emit = setup.emit as unknown as WindowEmitter<ACC, OUT, K, TimeWindow>;
    return () =>
      new PaneWindowOperator<IN, ACC, OUT, K>({
        ...options,
        emit,
        size: sliding.size,
        slide: sliding.slide,
        offset: sliding.offset,
        assignerName: String(assigner),
        contents: panes,
      });
  }
  const trigger = setup.trigger ?? assigner.defaultTrigger();
  return () => new WindowOperator<IN, ACC, OUT, K, W>({ ...options, emit: setup.emit, assigner, trigger, contents: setup.contents });
}
