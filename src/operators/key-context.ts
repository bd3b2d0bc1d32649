// The keyed side of an operator after keyBy: extracts each record's key, finds its key group,
// and points the operator's keyed state backend at it before the operator touches state.

import { keyGroupFor, keyGroupOf, type Key, type StateKey } from '../graph/key-groups.js';
import { HeapKeyedStateBackend } from '../state/keyed-state-backend.js';
import { StreamError } from '../errors.js';
import type { TimerKeyContext } from '../state/timer-service.js';
import type { OperatorContext } from './operator.js';

export class KeyContext implements TimerKeyContext {
  readonly backend: HeapKeyedStateBackend;
  private readonly keySelector: (value: unknown) => Key;
  private readonly maxParallelism: number;
  private readonly where: string;

  constructor(ctx: OperatorContext) {
    if (ctx.keySelector === undefined) {
      throw new StreamError('INTERNAL', `"${ctx.operatorName}" is keyed but has no key selector`, { domain: 'internal' });
    }
    this.keySelector = ctx.keySelector;
    this.maxParallelism = ctx.maxParallelism;
    this.where = ctx.operatorName;
    this.backend = new HeapKeyedStateBackend({
      maxParallelism: ctx.maxParallelism,
      keyGroupRange: ctx.keyGroupRange,
      clock: () => ctx.processingTime.now(),
    });
    ctx.metrics.keyedStateKeys = () => this.backend.numKeys();
  }

  /** Makes `value`'s key the current key of the state backend (`selector`: the second input's, for two-input operators). */
  setCurrentKeyOf(value: unknown, selector: (value: unknown) => Key = this.keySelector): void {
    const key = selector(value);
    this.backend.setCurrentKey(key, keyGroupOf(key, this.maxParallelism, this.where));
  }

  /** Makes `key` (a valid key, e.g. a timer's) the current key. */
  setCurrentKey(key: Key): void {
    this.backend.setCurrentKey(key, keyGroupFor(key, this.maxParallelism));
  }

  currentKey(): Key {
    return this.backend.getCurrentKey();
  }

  currentStateKey(): StateKey {
    return this.backend.currentStateKey;
  }
}
