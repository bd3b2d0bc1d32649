package eddy.reference;

/**
 * The per-event random numbers of bench/nexmark/SPEC.md: mulberry32 on 32-bit unsigned integers,
 * seeded from the event (or reading) index. Java {@code int} arithmetic wraps exactly like the
 * specification's {@code mod 2^32} and {@code Math.imul}; unsigned values are read with
 * {@code & 0xFFFFFFFFL}.
 */
public final class Rng {
  private static final double TWO_POW_32 = 4294967296.0;
  private int state;

  public Rng(long seed) {
    reset(seed);
  }

  /** Re-seeds in place (one generator per source subtask, re-seeded per event: no allocation). */
  public void reset(long seed) {
    state = (int) seed * 0x9E3779B1 + 0x7F4A7C15;
  }

  /** The next unsigned 32-bit value, in a long. */
  public long nextU32() {
    state += 0x6D2B79F5;
    int t = state;
    t = (t ^ (t >>> 15)) * (t | 1);
    t ^= t + (t ^ (t >>> 7)) * (t | 61);
    return (t ^ (t >>> 14)) & 0xFFFFFFFFL;
  }

  /** floor(nextU32() * n / 2^32), 0 <= result < n, for 0 < n <= 2^31 (exact in long arithmetic). */
  public int nextInt(long n) {
    return (int) ((nextU32() * n) >>> 32);
  }

  /** nextU32() / 2^32, in [0, 1). */
  public double nextDouble() {
    return nextU32() / TWO_POW_32;
  }
}
