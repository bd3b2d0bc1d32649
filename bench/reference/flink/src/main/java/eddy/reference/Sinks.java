package eddy.reference;

import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.api.connector.sink2.SinkWriter;
import org.apache.flink.api.connector.sink2.WriterInitContext;

/**
 * The runner's sinks. They hand what they saw to static fields: the MiniCluster runs every task in
 * this JVM, and user classes come from the application class path (no user jars), so the runner's
 * main thread reads the same fields after the job.
 */
public final class Sinks {
  private Sinks() {}

  static final AtomicLong COUNT = new AtomicLong();
  static final ConcurrentLinkedQueue<String> LINES = new ConcurrentLinkedQueue<>();

  static void reset() {
    COUNT.set(0);
    LINES.clear();
  }

  /** Counts records and discards them (no formatting). */
  public static final class Counting<T> implements Sink<T> {
    private static final long serialVersionUID = 1L;

    @Override
    public SinkWriter<T> createWriter(WriterInitContext context) {
      return new SinkWriter<>() {
        private long count;

        @Override
        public void write(T element, Context ctx) {
          count++;
        }

        @Override
        public void flush(boolean endOfInput) {
          COUNT.addAndGet(count);
          count = 0;
        }

        @Override
        public void close() {
          COUNT.addAndGet(count);
          count = 0;
        }
      };
    }
  }

  /** Collects output lines (the runner sorts and writes them to --output). */
  public static final class Collecting implements Sink<String> {
    private static final long serialVersionUID = 1L;

    @Override
    public SinkWriter<String> createWriter(WriterInitContext context) {
      return new SinkWriter<>() {
        @Override
        public void write(String line, Context ctx) {
          LINES.add(line);
          COUNT.incrementAndGet();
        }

        @Override
        public void flush(boolean endOfInput) {}

        @Override
        public void close() {}
      };
    }
  }
}
