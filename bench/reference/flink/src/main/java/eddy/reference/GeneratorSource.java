package eddy.reference;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.Serializable;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.apache.flink.api.connector.source.Boundedness;
import org.apache.flink.api.connector.source.ReaderOutput;
import org.apache.flink.api.connector.source.Source;
import org.apache.flink.api.connector.source.SourceReader;
import org.apache.flink.api.connector.source.SourceReaderContext;
import org.apache.flink.api.connector.source.SourceSplit;
import org.apache.flink.api.connector.source.SplitEnumerator;
import org.apache.flink.api.connector.source.SplitEnumeratorContext;
import org.apache.flink.core.io.InputStatus;
import org.apache.flink.core.io.SimpleVersionedSerializer;

/**
 * A bounded FLIP-27 source of generated records: subtask {@code i} of {@code p} generates records
 * {@code n = i, i + p, i + 2p, ...} below {@code count} (one split per subtask), so timestamps grow
 * within each subtask. With {@code rateLimit > 0} the subtasks together emit at most that many
 * records per second of wall time (each {@code p / rateLimit} s apart, bursts catching up when
 * behind, no busy waiting), and each record is stamped with its emission time (Clock.micros()).
 */
public final class GeneratorSource<T> implements Source<T, GeneratorSource.StrideSplit, Void> {
  private static final long serialVersionUID = 1L;

  /** Record n of the generated stream; {@code stampMicros} is 0 unless rate-limited (latency mode). */
  @FunctionalInterface
  public interface Generator<T> extends Serializable {
    T generate(long n, Rng rnd, long stampMicros);
  }

  private final long count;
  private final double rateLimit;
  private final Generator<T> generator;

  public GeneratorSource(long count, double rateLimit, Generator<T> generator) {
    this.count = count;
    this.rateLimit = rateLimit;
    this.generator = generator;
  }

  @Override
  public Boundedness getBoundedness() {
    return Boundedness.BOUNDED;
  }

  @Override
  public SplitEnumerator<StrideSplit, Void> createEnumerator(SplitEnumeratorContext<StrideSplit> context) {
    return new Enumerator(context);
  }

  @Override
  public SplitEnumerator<StrideSplit, Void> restoreEnumerator(SplitEnumeratorContext<StrideSplit> context, Void checkpoint) {
    return new Enumerator(context);
  }

  @Override
  public SimpleVersionedSerializer<StrideSplit> getSplitSerializer() {
    return new SplitSerializer();
  }

  @Override
  public SimpleVersionedSerializer<Void> getEnumeratorCheckpointSerializer() {
    return new SimpleVersionedSerializer<>() {
      @Override
      public int getVersion() {
        return 1;
      }

      @Override
      public byte[] serialize(Void v) {
        return new byte[0];
      }

      @Override
      public Void deserialize(int version, byte[] bytes) {
        return null;
      }
    };
  }

  @Override
  public SourceReader<T, StrideSplit> createReader(SourceReaderContext context) {
    return new Reader<>(count, rateLimit, generator);
  }

  /** Records next, next + stride, ... below the count. */
  public static final class StrideSplit implements SourceSplit {
    final int subtask;
    final int stride;
    long next;

    StrideSplit(int subtask, int stride, long next) {
      this.subtask = subtask;
      this.stride = stride;
      this.next = next;
    }

    @Override
    public String splitId() {
      return Integer.toString(subtask);
    }
  }

  static final class SplitSerializer implements SimpleVersionedSerializer<StrideSplit> {
    @Override
    public int getVersion() {
      return 1;
    }

    @Override
    public byte[] serialize(StrideSplit split) throws IOException {
      ByteArrayOutputStream bytes = new ByteArrayOutputStream(16);
      try (DataOutputStream out = new DataOutputStream(bytes)) {
        out.writeInt(split.subtask);
        out.writeInt(split.stride);
        out.writeLong(split.next);
      }
      return bytes.toByteArray();
    }

    @Override
    public StrideSplit deserialize(int version, byte[] serialized) throws IOException {
      try (DataInputStream in = new DataInputStream(new java.io.ByteArrayInputStream(serialized))) {
        return new StrideSplit(in.readInt(), in.readInt(), in.readLong());
      }
    }
  }

  /** Gives reader i the split of subtask i (parallelism = the source's), then no more. */
  static final class Enumerator implements SplitEnumerator<StrideSplit, Void> {
    private final SplitEnumeratorContext<StrideSplit> context;
    private final Set<Integer> assigned = new HashSet<>();

    Enumerator(SplitEnumeratorContext<StrideSplit> context) {
      this.context = context;
    }

    @Override
    public void start() {}

    @Override
    public void handleSplitRequest(int subtaskId, String requesterHostname) {}

    @Override
    public void addSplitsBack(List<StrideSplit> splits, int subtaskId) {
      // Checkpointing is off: a failed job fails; nothing to hand out again.
    }

    @Override
    public void addReader(int subtaskId) {
      if (assigned.add(subtaskId)) {
        int p = context.currentParallelism();
        context.assignSplit(new StrideSplit(subtaskId, p, subtaskId), subtaskId);
      }
      context.signalNoMoreSplits(subtaskId);
    }

    @Override
    public Void snapshotState(long checkpointId) {
      return null;
    }

    @Override
    public void close() {}
  }

  static final class Reader<T> implements SourceReader<T, StrideSplit> {
    private static final ScheduledExecutorService WAKER = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "generator-source-waker");
      t.setDaemon(true);
      return t;
    });

    private final long count;
    private final double rateLimit;
    private final Generator<T> generator;
    private final Rng rnd = new Rng(0);
    private final ArrayDeque<StrideSplit> splits = new ArrayDeque<>();
    private boolean noMoreSplits;
    private StrideSplit current;
    private volatile CompletableFuture<Void> available = new CompletableFuture<>();
    // rate limiting: the k-th record of this subtask is due at startNanos + k * intervalNanos
    private double intervalNanos;
    private long startNanos;
    private long k;

    Reader(long count, double rateLimit, Generator<T> generator) {
      this.count = count;
      this.rateLimit = rateLimit;
      this.generator = generator;
    }

    @Override
    public void start() {}

    @Override
    public InputStatus pollNext(ReaderOutput<T> output) {
      if (current == null) {
        current = splits.poll();
        if (current == null) return noMoreSplits ? InputStatus.END_OF_INPUT : waitForSplits();
        if (rateLimit > 0) {
          intervalNanos = 1e9 * current.stride / rateLimit;
          startNanos = System.nanoTime();
          k = 0;
        }
      }
      StrideSplit split = current;
      if (split.next >= count) {
        current = null;
        return splits.isEmpty() && noMoreSplits ? InputStatus.END_OF_INPUT : InputStatus.MORE_AVAILABLE;
      }
      long stamp = 0;
      if (rateLimit > 0) {
        long due = startNanos + (long) (k * intervalNanos);
        long now = System.nanoTime();
        if (now < due) {
          CompletableFuture<Void> wake = new CompletableFuture<>();
          available = wake;
          WAKER.schedule(() -> wake.complete(null), due - now, TimeUnit.NANOSECONDS);
          return InputStatus.NOTHING_AVAILABLE;
        }
        k++;
        stamp = Clock.micros();
      }
      output.collect(generator.generate(split.next, rnd, stamp));
      split.next += split.stride;
      return InputStatus.MORE_AVAILABLE;
    }

    private InputStatus waitForSplits() {
      CompletableFuture<Void> f = new CompletableFuture<>();
      available = f;
      if (!splits.isEmpty() || noMoreSplits) f.complete(null);
      return InputStatus.NOTHING_AVAILABLE;
    }

    @Override
    public CompletableFuture<Void> isAvailable() {
      return available;
    }

    @Override
    public void addSplits(List<StrideSplit> newSplits) {
      splits.addAll(newSplits);
      available.complete(null);
    }

    @Override
    public void notifyNoMoreSplits() {
      noMoreSplits = true;
      available.complete(null);
    }

    @Override
    public List<StrideSplit> snapshotState(long checkpointId) {
      List<StrideSplit> state = new ArrayList<>();
      if (current != null) state.add(new StrideSplit(current.subtask, current.stride, current.next));
      for (StrideSplit s : splits) state.add(new StrideSplit(s.subtask, s.stride, s.next));
      return state;
    }

    @Override
    public void close() {}
  }
}
