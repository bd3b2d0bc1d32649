// Latency samples recorded by many worker threads into one SharedArrayBuffer (passed to a job in
// its args), read back in the main thread as an HDR histogram (hdr-histogram-js) for percentiles.
//
// Buckets are HDR's log-linear layout with 1024 sub-buckets per power of two: values below 2048 µs
// are exact, larger ones within 0.1 %. Threads add with Atomics, so no sample is lost or counted twice.

import hdr, { type Histogram } from 'hdr-histogram-js';

const SUB_BUCKET_BITS = 10;
const SUB_BUCKETS = 1 << SUB_BUCKET_BITS;
/** Samples are clamped to 2^26 - 1 µs (67 s). */
const MAX_BITS = 26;
export const MAX_TRACKED_MICROS = 2 ** MAX_BITS - 1;
const BUCKETS = SUB_BUCKETS * (MAX_BITS - SUB_BUCKET_BITS) + SUB_BUCKETS;

/** The bucket of `micros` (a whole number in [0, MAX_TRACKED_MICROS]). */
export function bucketOf(micros: number): number {
  if (micros < 2 * SUB_BUCKETS) return micros;
  const shift = 31 - Math.clz32(micros) - SUB_BUCKET_BITS;
  return SUB_BUCKETS * shift + (micros >>> shift);
}

/** The middle of bucket `index`'s value range. */
export function valueOf(index: number): number {
  if (index < 2 * SUB_BUCKETS) return index;
  const shift = Math.floor(index / SUB_BUCKETS) - 1;
  const lowest = (index - SUB_BUCKETS * shift) * 2 ** shift;
  return lowest + 2 ** (shift - 1);
}

export class SharedHistogram {
  private readonly counts: Int32Array;

  /** A histogram over `buffer` (from {@link SharedHistogram.allocate}), shared by every thread that has it. */
  constructor(readonly buffer: SharedArrayBuffer) {
    if (buffer.byteLength !== BUCKETS * 4) throw new RangeError(`SharedHistogram: expected a buffer from SharedHistogram.allocate(), got ${buffer.byteLength} bytes.`);
    this.counts = new Int32Array(buffer);
  }

  static allocate(): SharedArrayBuffer {
    return new SharedArrayBuffer(BUCKETS * 4);
  }

  /** Records one sample of `micros` (rounded; at least 1, at most MAX_TRACKED_MICROS). */
  record(micros: number): void {
    const value = Math.min(MAX_TRACKED_MICROS, Math.max(1, Math.round(micros)));
    Atomics.add(this.counts, bucketOf(value), 1);
  }

  /** The samples so far as an HDR histogram (3 significant digits). */
  toHdr(): Histogram {
    const histogram = hdr.build({ lowestDiscernibleValue: 1, highestTrackableValue: 2 * MAX_TRACKED_MICROS, numberOfSignificantValueDigits: 3 });
    for (let i = 0; i < BUCKETS; i++) {
      const count = Atomics.load(this.counts, i);
      if (count > 0) histogram.recordValueWithCount(valueOf(i), count);
    }
    return histogram;
  }
}
