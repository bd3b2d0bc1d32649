// The window join (Flink's JoinedStreams): a.join(b).where(k1).equalTo(k2).window(assigner)
// .apply((left, right) => out). As in Flink it is a co-group: both sides are tagged, unioned,
// keyed by their join key and windowed; each window emits every (left, right) pair it holds, with
// the window's maxTimestamp as timestamp.

import type { Key } from '../graph/key-groups.js';
import type { Window } from '../operators/windows/time-window.js';
import type { WindowAssigner } from '../operators/windows/window-assigner.js';
import type { DataStream } from './data-stream.js';
import { requireFunction } from './validate.js';

/** A record of either side of a join, tagged with its side. */
interface Tagged<L, R> {
  readonly left: boolean;
  readonly value: L | R;
}

export class JoinedStreams<L, R> {
  /** @internal Made by `DataStream.join`. */
  constructor(
    private readonly leftStream: DataStream<L>,
    private readonly rightStream: DataStream<R>,
  ) {}

  /** The join key of the left (this) stream. */
  where<K extends Key>(leftKey: (value: L) => K): { equalTo(rightKey: (value: R) => K): WindowJoinSpec<L, R, K> } {
    requireFunction(leftKey, 'join(...).where');
    return {
      equalTo: (rightKey) => {
        requireFunction(rightKey, 'join(...).where(...).equalTo');
        return new WindowJoinSpec(this.leftStream, this.rightStream, leftKey, rightKey);
      },
    };
  }
}

export class WindowJoinSpec<L, R, K extends Key> {
  /** @internal */
  constructor(
    private readonly leftStream: DataStream<L>,
    private readonly rightStream: DataStream<R>,
    private readonly leftKey: (value: L) => K,
    private readonly rightKey: (value: R) => K,
  ) {}

  /** The windows pairs must share: both records in the same window of the same key. */
  window<W extends Window>(assigner: WindowAssigner<unknown, W>): { apply<Out>(fn: (left: L, right: R) => Out): DataStream<Out> } {
    return {
      apply: <Out>(fn: (left: L, right: R) => Out): DataStream<Out> => {
        requireFunction(fn, 'join(...).window(...).apply');
        const { leftKey, rightKey } = this;
        const tagged = this.leftStream
          .map((value): Tagged<L, R> => ({ left: true, value }))
          .name('Join (left)')
          .union(this.rightStream.map((value): Tagged<L, R> => ({ left: false, value })).name('Join (right)'));
        return tagged
          .keyBy((t) => (t.left ? leftKey(t.value as L) : rightKey(t.value as R)))
          .window(assigner as WindowAssigner<Tagged<L, R>, W>)
          .process<Out>((_key, _ctx, elements, out) => {
            const lefts: L[] = [];
            const rights: R[] = [];
            for (const e of elements) (e.left ? lefts : rights).push(e.value as never);
            for (const l of lefts) for (const r of rights) out.collect(fn(l, r));
          })
          .name('Window Join');
      },
    };
  }
}
