package eddy.reference;

import eddy.reference.Model.Stamped;
import java.util.Collection;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.HdrHistogram.Histogram;
import org.apache.flink.api.common.ExecutionConfig;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.streaming.api.windowing.assigners.WindowAssigner;
import org.apache.flink.streaming.api.windowing.triggers.Trigger;
import org.apache.flink.streaming.api.windowing.windows.TimeWindow;

/**
 * Latency mode's measuring point: wraps the job's window assigner, which the window operator calls
 * exactly once per arriving record, before it touches window state. It records each stamped
 * record's age (creation stamp -> arrival at the keyed window operator, after the source, the
 * watermark assigner and the keyBy shuffle) in an HDR histogram per subtask, in microseconds.
 * Records stamped before {@link #measureFromMicros} (the warm-up) are not recorded.
 */
public final class LatencyAssigner extends WindowAssigner<Object, TimeWindow> {
  private static final long serialVersionUID = 1L;

  static final ConcurrentLinkedQueue<Histogram> HISTOGRAMS = new ConcurrentLinkedQueue<>();
  static volatile long measureFromMicros = Long.MAX_VALUE;

  private final WindowAssigner<Object, TimeWindow> inner;
  private transient Histogram histogram;

  public LatencyAssigner(WindowAssigner<Object, TimeWindow> inner) {
    this.inner = inner;
  }

  static Histogram newHistogram() {
    return new Histogram(60_000_000L, 3);
  }

  @Override
  public Collection<TimeWindow> assignWindows(Object element, long timestamp, WindowAssignerContext context) {
    long stamp = ((Stamped) element).stampMicros();
    if (stamp >= measureFromMicros) {
      if (histogram == null) {
        histogram = newHistogram();
        HISTOGRAMS.add(histogram);
      }
      histogram.recordValue(Math.min(60_000_000L, Math.max(1, Clock.micros() - stamp)));
    }
    return inner.assignWindows(element, timestamp, context);
  }

  @Override
  public Trigger<Object, TimeWindow> getDefaultTrigger() {
    return inner.getDefaultTrigger();
  }

  @Override
  public TypeSerializer<TimeWindow> getWindowSerializer(ExecutionConfig executionConfig) {
    return inner.getWindowSerializer(executionConfig);
  }

  @Override
  public boolean isEventTime() {
    return inner.isEventTime();
  }

  @Override
  public String toString() {
    return "Latency(" + inner + ")";
  }
}
