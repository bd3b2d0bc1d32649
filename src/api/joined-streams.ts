// Window co-group and join (Flink's CoGroupedStreams and JoinedStreams):
// a.coGroup(b).where(k1).equalTo(k2).window(assigner).apply((lefts, rights, out) => ...) and
// a.join(b)...apply((left, right) => out). Both sides are tagged, unioned, keyed by their key and
// windowed; each window of each key hands its left and right records to the function (a join
// emits every (left, right) pair), with the window's maxTimestamp as timestamp.

import type { Collector } from '../core/functions.js';
import type { Key } from '../core/key-groups.js';
import { requireFunction } from '../core/validate.js';
import type { Window } from '../operators/windows/time-window.js';
import type { WindowAssigner } from '../operators/windows/window-assigner.js';
import { DataStream } from './data-stream.js';
// The join keys both sides with keyBy, which keyed-stream.ts adds to DataStream.
import './keyed-stream.js';

declare module './data-stream.js' {
  interface DataStream<T> {
    /** Joins this stream with another on a key within windows: join(b).where(k1).equalTo(k2).window(w).apply(fn). */
    join<R>(other: DataStream<R>): JoinedStreams<T, R>;
    /**
     * Groups this stream with another on a key within windows:
     * coGroup(b).where(k1).equalTo(k2).window(w).apply((lefts, rights, out) => ...), once per key and window.
     */
    coGroup<R>(other: DataStream<R>): CoGroupedStreams<T, R>;
  }
}

DataStream.prototype.join = function join<T, R>(this: DataStream<T>, other: DataStream<R>): JoinedStreams<T, R> {
  this.assertSameJob(other, 'join');
  return new JoinedStreams(this, other);
};

DataStream.prototype.coGroup = function coGroup<T, R>(this: DataStream<T>, other: DataStream<R>): CoGroupedStreams<T, R> {
  this.assertSameJob(other, 'coGroup');
  return new CoGroupedStreams(this, other);
};

/** A record of either side, tagged with its side. */
interface Tagged<L, R> {
  readonly left: boolean;
  readonly value: L | R;
}

/** Flink's CoGroupFunction: the records of both sides that share a key and a window (either may be empty). */
export type CoGroupFunction<L, R, Out> = (lefts: readonly L[], rights: readonly R[], out: Collector<Out>) => void;

/** `where(leftKey).equalTo(rightKey)`, then `.window(assigner)`, then the function. */
class TwoStreamKeys<L, R, Spec> {
  constructor(
    private readonly what: string,
    private readonly spec: (leftKey: (value: L) => Key, rightKey: (value: R) => Key) => Spec,
  ) {}

  /** The key of the left (this) stream. */
  where<K extends Key>(leftKey: (value: L) => K): { equalTo(rightKey: (value: R) => K): Spec } {
    requireFunction(leftKey, `${this.what}(...).where`);
    return {
      equalTo: (rightKey) => {
        requireFunction(rightKey, `${this.what}(...).where(...).equalTo`);
        return this.spec(leftKey, rightKey);
      },
    };
  }
}

export class CoGroupedStreams<L, R> extends TwoStreamKeys<L, R, WindowCoGroupSpec<L, R>> {
  /** @internal Made by `DataStream.coGroup`. */
  constructor(left: DataStream<L>, right: DataStream<R>) {
    super('coGroup', (leftKey, rightKey) => new WindowCoGroupSpec(left, right, leftKey, rightKey));
  }
}

export class JoinedStreams<L, R> extends TwoStreamKeys<L, R, WindowJoinSpec<L, R>> {
  /** @internal Made by `DataStream.join`. */
  constructor(left: DataStream<L>, right: DataStream<R>) {
    super('join', (leftKey, rightKey) => new WindowJoinSpec(new WindowCoGroupSpec(left, right, leftKey, rightKey)));
  }
}

export class WindowCoGroupSpec<L, R> {
  /** @internal */
  constructor(
    private readonly leftStream: DataStream<L>,
    private readonly rightStream: DataStream<R>,
    private readonly leftKey: (value: L) => Key,
    private readonly rightKey: (value: R) => Key,
  ) {}

  /** The windows that group records: both sides' records of one key and one window meet. */
  window<W extends Window>(assigner: WindowAssigner<unknown, W>): { apply<Out>(fn: CoGroupFunction<L, R, Out>): DataStream<Out> } {
    return {
      apply: <Out>(fn: CoGroupFunction<L, R, Out>): DataStream<Out> => {
        requireFunction(fn, 'coGroup(...).window(...).apply');
        return this.build(assigner, fn, 'Window CoGroup');
      },
    };
  }

  /** @internal The keyed, windowed co-group of both sides, named `name`. */
  build<W extends Window, Out>(assigner: WindowAssigner<unknown, W>, fn: CoGroupFunction<L, R, Out>, name: string): DataStream<Out> {
    const { leftKey, rightKey } = this;
    const tagged = this.leftStream
      .map((value): Tagged<L, R> => ({ left: true, value }))
      .name(`${name} (left)`)
      .union(this.rightStream.map((value): Tagged<L, R> => ({ left: false, value })).name(`${name} (right)`));
    return tagged
      .keyBy((t) => (t.left ? leftKey(t.value as L) : rightKey(t.value as R)))
      .window(assigner as WindowAssigner<Tagged<L, R>, W>)
      .process<Out>((_key, _ctx, elements, out) => {
        const lefts: L[] = [];
        const rights: R[] = [];
        for (const e of elements) (e.left ? lefts : rights).push(e.value as never);
        fn(lefts, rights, out);
      })
      .name(name);
  }
}

export class WindowJoinSpec<L, R> {
  /** @internal */
  constructor(private readonly coGroup: WindowCoGroupSpec<L, R>) {}

  /** The windows pairs must share: both records in the same window of the same key. */
  window<W extends Window>(assigner: WindowAssigner<unknown, W>): { apply<Out>(fn: (left: L, right: R) => Out): DataStream<Out> } {
    return {
      apply: <Out>(fn: (left: L, right: R) => Out): DataStream<Out> => {
        requireFunction(fn, 'join(...).window(...).apply');
        return this.coGroup.build<W, Out>(
          assigner,
          (lefts, rights, out) => {
            for (const l of lefts) for (const r of rights) out.collect(fn(l, r));
          },
          'Window Join',
        );
      },
    };
  }
}
