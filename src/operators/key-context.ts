// The keyed side of an operator after keyBy: extracts each record's key, takes the key group its
// sender hashed it to (hashing it here only for records that came without one, and every
// VERIFY_EVERY-th record to check the sender agrees), checks this subtask owns it, and makes it the current key of the operator's keyed state (which
// the task actor owns and hands in) before the operator touches state.

import { StreamError } from '../core/errors.js';
import { formatKey, keyGroupOf, type Key } from '../core/key-groups.js';
import type { OperatorContext, ReceivedKeyGroup } from '../core/operator.js';
import type { KeyedStateBackend } from '../core/state.js';

/** Of the records that arrive with their key group, the first and then one in this many are hashed again to check it. */
const VERIFY_EVERY = 1024;

export class KeyContext {
  readonly backend: KeyedStateBackend;
  private readonly keySelector: (value: unknown) => Key;
  private readonly maxParallelism: number;
  private readonly firstKeyGroup: number;
  private readonly lastKeyGroup: number;
  /** The operator's name, for the errors of a bad key. */
  private readonly where: string;
  private readonly received: ReceivedKeyGroup;
  /** Received key groups to take before the next is checked. */
  private untilVerified = 0;

  constructor(private readonly ctx: OperatorContext) {
    if (ctx.keySelector === undefined || ctx.keyedState === undefined) {
      throw new StreamError('INTERNAL', `"${ctx.operatorName}" is keyed but has no key selector or keyed state`, { domain: 'internal' });
    }
    this.backend = ctx.keyedState;
    this.keySelector = ctx.keySelector;
    this.maxParallelism = ctx.maxParallelism;
    this.firstKeyGroup = this.backend.keyGroupRange.start;
    this.lastKeyGroup = this.backend.keyGroupRange.end;
    this.where = ctx.operatorName;
    this.received = ctx.receivedKeyGroup;
  }

  /** Makes `value`'s key the current key of the state backend (`selector`: the second input's, for two-input operators). */
  setCurrentKeyOf(value: unknown, selector: (value: unknown) => Key = this.keySelector): void {
    const key = selector(value);
    const sent = this.received.value;
    let keyGroup: number;
    if (sent < 0) {
      keyGroup = keyGroupOf(key, this.maxParallelism, this.where);
    } else {
      // The sender hashed this record's key with the same selector: take its key group, once.
      this.received.value = -1;
      keyGroup = sent;
      if (this.untilVerified-- === 0) {
        this.untilVerified = VERIFY_EVERY - 1;
        const here = keyGroupOf(key, this.maxParallelism, this.where);
        if (here !== sent) throw this.notOwned(key, here);
      }
    }
    if (keyGroup < this.firstKeyGroup || keyGroup > this.lastKeyGroup) throw this.notOwned(key, keyGroup);
    this.backend.setCurrentKey(key, keyGroup);
  }

  currentKey(): Key {
    return this.backend.getCurrentKey();
  }

  /**
   * The sender hashed this record to this subtask, but the key selector gives it a key of
   * another subtask here: the selector returns different keys in different threads.
   */
  private notOwned(key: Key, keyGroup: number): StreamError {
    const { operatorName, subtask, parallelism } = this.ctx;
    return new StreamError(
      'INCONSISTENT_KEY',
      `A record reached subtask ${subtask} of ${parallelism} of "${operatorName}" (key groups ${this.firstKeyGroup}..${this.lastKeyGroup}), ` +
        `but its key here is ${formatKey(key)}, of key group ${keyGroup}: the key selector gave the record another key in the worker thread that sent it. ` +
        'This happens when the key depends on module-level values that differ per worker (random numbers, the clock, environment variables). ' +
        'Compute such values in the main thread and pass them to the job as defineJob args, or through env.fromElements(...).',
      { domain: 'user', operator: operatorName, subtask, parallelism },
    );
  }
}
