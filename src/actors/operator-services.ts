// What the task actor gives each operator of its chain: the operator's context (where it runs,
// its clock, the way to the main thread) and, for a keyed operator, the keyed state and timers
// the actor owns for it, so that the actor can snapshot and restore them.

import { StreamError } from '../core/errors.js';
import type { Key } from '../core/key-groups.js';
import type { MainThreadOutput } from '../core/main-thread-io.js';
import type { OperatorContext, OperatorCounters, ProcessingTimeService, ReceivedKeyGroup } from '../core/operator.js';
import type { StreamNode } from '../core/job-plan.js';
import { KeyedOperatorState } from '../state/keyed-operator-state.js';
import { attributedSync } from './operator-failure.js';

/** Where an operator runs. */
export interface OperatorPlacement {
  readonly subtask: number;
  readonly parallelism: number;
  readonly maxParallelism: number;
  /** The key groups the subtask owns, `end` inclusive. */
  readonly keyGroupRange: { readonly start: number; readonly end: number };
}

/** What the actor (or a test harness) provides to all of its operators. */
export interface ActorServices {
  readonly processingTime: ProcessingTimeService;
  readonly autoWatermarkInterval: number;
  /** env.enableObjectReuse(). */
  readonly objectReuse: boolean;
  readonly checkpointing: boolean;
  sendToMain(collectorId: number, values: readonly unknown[], timestamps: Float64Array, epoch: number): Promise<void>;
  waitFor(work: Promise<void>): void;
  /** The way to the main thread of collectAsync sink `nodeId`. */
  mainThreadOutput(nodeId: number): MainThreadOutput;
  /** Answers the request going through the actor's chain now (see `OperatorContext.reply`). */
  reply(value: unknown): boolean;
}

/** One operator's context and the state the actor keeps for it. */
export interface OperatorServices {
  readonly context: OperatorContext;
  /** Keyed state and timers, for operators after keyBy. */
  readonly keyedState: KeyedOperatorState | undefined;
  readonly counters: OperatorCounters;
}

/**
 * The services of operator `node`; `receivedKeyGroup`: where the actor puts the key group each
 * record arrived with, for the chain's head operator (others hash keys themselves); `outputKept`:
 * whether something after the operator in its chain keeps the records it emits.
 */
export function createOperatorServices(node: StreamNode, placement: OperatorPlacement, actor: ActorServices, receivedKeyGroup: ReceivedKeyGroup = { value: -1 }, outputKept = true): OperatorServices {
  const nodeId = node.id;
  const processingTime: ProcessingTimeService = {
    now: () => actor.processingTime.now(),
    // Callbacks are the operator's code: tag their failures with it.
    schedule: (at, callback) => actor.processingTime.schedule(at, (t) => attributedSync(nodeId, () => callback(t))),
  };
  const keyedState =
    node.keySelector === undefined
      ? undefined
      : new KeyedOperatorState({
          operatorName: node.name,
          maxParallelism: placement.maxParallelism,
          keyGroupRange: placement.keyGroupRange,
          processingTime,
        });
  const counters: OperatorCounters = { lateRecordsDropped: 0 };
  const context: OperatorContext = {
    operatorName: node.name,
    subtask: placement.subtask,
    parallelism: placement.parallelism,
    maxParallelism: placement.maxParallelism,
    keySelector: node.keySelector as ((value: unknown) => Key) | undefined,
    keySelector2: node.keySelector2 as ((value: unknown) => Key) | undefined,
    receivedKeyGroup,
    keyedState: keyedState?.backend,
    timerService: (target) => {
      if (keyedState === undefined) {
        throw new StreamError('INVALID_GRAPH', `"${node.name}" uses timers, which need a keyed stream: call keyBy(...) before it.`);
      }
      return keyedState.timerService(target);
    },
    processingTime,
    autoWatermarkInterval: actor.autoWatermarkInterval,
    objectReuse: actor.objectReuse && !outputKept,
    metrics: counters,
    checkpointing: actor.checkpointing,
    sendToMain: (collectorId, values, timestamps, epoch) => actor.sendToMain(collectorId, values, timestamps, epoch),
    waitFor: (work) => actor.waitFor(work),
    mainThreadOutput: () => actor.mainThreadOutput(nodeId),
    reply: (value) => actor.reply(value),
  };
  return { context, keyedState, counters };
}
