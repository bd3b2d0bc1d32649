package eddy.reference;

/**
 * Wall-clock time in epoch microseconds for latency stamps: one System.nanoTime-based clock for
 * the whole JVM (the MiniCluster runs every task in this process), anchored to the epoch once.
 */
public final class Clock {
  private Clock() {}

  private static final long NANO_BASE = System.nanoTime();
  private static final long EPOCH_MICROS_BASE = java.time.Instant.now().getEpochSecond() * 1_000_000L
      + java.time.Instant.now().getNano() / 1000;

  public static long micros() {
    return EPOCH_MICROS_BASE + (System.nanoTime() - NANO_BASE) / 1000;
  }
}
