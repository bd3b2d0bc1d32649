// The windows of the window operator (Flink's TimeWindow and GlobalWindow), the arithmetic that
// aligns a timestamp to its window, and how a window is named in keyed state (its namespace).

import type { Namespace } from '../../core/state.js';

/** What every window has: the last timestamp it covers, which its results carry. */
export interface Window {
  maxTimestamp(): number;
}

/** Where getWindowStartWithOffset's floor division stops being exact: 2^52. */
const FLOOR_EXACT_BELOW = 2 ** 52;

/**
 * The start of the window of length `size` (aligned at `offset`) that contains `timestamp`, as
 * Flink's `TimeWindow.getWindowStartWithOffset`: JavaScript's `%` truncates like Java's, so
 * negative timestamps fall into the window below them.
 */
export function getWindowStartWithOffset(timestamp: number, offset: number, windowSize: number): number {
  const x = timestamp - offset;
  // Epoch milliseconds are doubles above 2^31, where `%` is a slow library call. Below 2^52,
  // floor(x / windowSize) is exact (the quotient's rounding error stays under 1 / windowSize),
  // so this floor modulo equals the truncating one below, made non-negative.
  if (x < FLOOR_EXACT_BELOW && x > -FLOOR_EXACT_BELOW) return timestamp - (x - Math.floor(x / windowSize) * windowSize);
  const remainder = x % windowSize;
  return remainder < 0 ? timestamp - (remainder + windowSize) : timestamp - remainder;
}

/** The time interval `[start, end)`, in epoch ms. Immutable; compare with `equals`. */
export class TimeWindow implements Window {
  constructor(
    readonly start: number,
    readonly end: number,
  ) {}

  /** `end - 1`: the last timestamp in the window, and the timestamp of what it emits. */
  maxTimestamp(): number {
    return this.end - 1;
  }

  equals(other: TimeWindow): boolean {
    return this.start === other.start && this.end === other.end;
  }

  /** Whether the windows overlap or touch (`[0, 10)` and `[10, 20)` do): sessions merge them. */
  intersects(other: TimeWindow): boolean {
    return this.start <= other.end && this.end >= other.start;
  }

  /** The smallest window that contains both. */
  cover(other: TimeWindow): TimeWindow {
    return new TimeWindow(Math.min(this.start, other.start), Math.max(this.end, other.end));
  }

  toString(): string {
    return `TimeWindow{start=${this.start}, end=${this.end}}`;
  }
}

/** The one window of `GlobalWindows`: everything, forever. Its results carry timestamp +Infinity. */
export class GlobalWindow implements Window {
  private static readonly instance = new GlobalWindow();

  private constructor() {}

  static get(): GlobalWindow {
    return GlobalWindow.instance;
  }

  /** +Infinity, the end of time (Flink's `Long.MAX_VALUE`): only end of input reaches it. */
  maxTimestamp(): number {
    return Number.POSITIVE_INFINITY;
  }

  toString(): string {
    return 'GlobalWindow';
  }
}

/**
 * How the windows of one assigner name their keyed state and timers: a collision-free mapping
 * between a window and a namespace (string or number), and back.
 */
export interface WindowNamespaces<W extends Window> {
  namespaceOf(window: W): Namespace;
  windowOf(namespace: Namespace): W;
}

/**
 * Namespaces of windows that all have length `size` (tumbling and sliding): the start alone names
 * a window, as a number, which costs nothing to build or hash.
 */
export function fixedSizeWindowNamespaces(size: number): WindowNamespaces<TimeWindow> {
  return {
    namespaceOf: (window) => window.start,
    windowOf: (namespace) => new TimeWindow(namespace as number, (namespace as number) + size),
  };
}

/** The session namespace cache has 2^NAMESPACE_CACHE_BITS slots. */
const NAMESPACE_CACHE_BITS = 12;
const NAMESPACE_CACHE_SIZE = 1 << NAMESPACE_CACHE_BITS;
const cachedStarts = new Float64Array(NAMESPACE_CACHE_SIZE).fill(Number.NaN);
const cachedEnds = new Float64Array(NAMESPACE_CACHE_SIZE);
const cachedNamespaces: string[] = new Array<string>(NAMESPACE_CACHE_SIZE).fill('');

/**
 * Namespaces of time windows of any length (sessions): `"start/end"`. A session's window is named
 * many times per element (state, trigger, timers), so recent names are kept in a direct-mapped
 * cache: a hit returns the same string, whose hash V8 has already computed for the state maps.
 */
export const timeWindowNamespaces: WindowNamespaces<TimeWindow> = {
  namespaceOf: (window) => {
    const { start, end } = window;
    const slot = (Math.imul(start | 0, 0x9e3779b1) ^ Math.imul(end | 0, 0x85ebca6b)) >>> (32 - NAMESPACE_CACHE_BITS);
    if (cachedStarts[slot] === start && cachedEnds[slot] === end) return cachedNamespaces[slot]!;
    const namespace = `${start}/${end}`;
    cachedStarts[slot] = start;
    cachedEnds[slot] = end;
    cachedNamespaces[slot] = namespace;
    return namespace;
  },
  windowOf: (namespace) => {
    const text = namespace as string;
    const slash = text.indexOf('/');
    return new TimeWindow(Number(text.slice(0, slash)), Number(text.slice(slash + 1)));
  },
};

/** The namespace of the global window: 0. */
export const globalWindowNamespaces: WindowNamespaces<GlobalWindow> = {
  namespaceOf: () => 0,
  windowOf: () => GlobalWindow.get(),
};
