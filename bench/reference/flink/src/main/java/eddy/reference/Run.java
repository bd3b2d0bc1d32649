package eddy.reference;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;
import org.HdrHistogram.Histogram;
import org.apache.flink.api.common.JobID;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.StateBackendOptions;
import org.apache.flink.core.execution.CheckpointingMode;
import org.apache.flink.runtime.jobgraph.JobGraph;
import org.apache.flink.runtime.jobmaster.JobResult;
import org.apache.flink.runtime.minicluster.MiniCluster;
import org.apache.flink.runtime.minicluster.MiniClusterConfiguration;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/**
 * Runs one query on a local MiniCluster and prints bench/nexmark/SPEC.md's JSON report line as the
 * last line of standard output. Flink's logs go to a file (--log, default
 * $TMPDIR/eddy-flink-reference.log), never to standard output.
 *
 * <pre>
 * java -cp 'target/eddy-flink-reference.jar:target/lib/*' eddy.reference.Run
 *   --query q0|q1|q2|q3|q5|q7|q8|q11|seed  --events N  --parallelism P
 *   [--rate R]            event-time rate, events per second of event time (Nexmark default
 *                         10000000, seed default 10000; latency mode: the --rate-limit)
 *   [--devices D]         seed job's devices (default 1000)
 *   [--output FILE]       write the output lines, sorted, to FILE (collected at parallelism 1)
 *   [--buffer-timeout MS] network buffer timeout (Flink's default 100 ms; 0 flushes per record)
 *   [--warmup N]          first run the same job on N events on the same cluster, unmeasured
 *   [--latency --rate-limit EVENTS_PER_SECOND --seconds S [--warmup-seconds W]]
 *                         seed or q5: a rate-limited source stamping each record; the keyed
 *                         window operator measures stamp -> arrival (HDR histogram, µs); records
 *                         stamped in the first W seconds (default 1) are not measured
 *   [--dump N]            print the first N events (readings with --query seed) as JSON lines
 *   [--checkpoint-interval MS [--checkpoint-dir DIR]]
 *                         checkpoint every MS ms, exactly once, hashmap state, filesystem storage in
 *                         DIR (default: a fresh temporary folder, removed after the run); the report
 *                         adds the checkpoints' count, duration and size (Checkpoints.java)
 * </pre>
 */
public final class Run {
  private Run() {}

  static final class Args {
    String query = "q0";
    long events = 1_000_000;
    int parallelism = 1;
    Long rate;
    int devices = Nexmark.DEFAULT_DEVICES;
    String output;
    Long bufferTimeout;
    long warmup;
    boolean latency;
    double rateLimit;
    double seconds = 10;
    double warmupSeconds = 1;
    long dump = -1;
    String log;
    Long checkpointInterval;
    String checkpointDir;

    static Args parse(String[] argv) {
      Args a = new Args();
      for (int i = 0; i < argv.length; i++) {
        String flag = argv[i];
        if (flag.equals("--latency")) {
          a.latency = true;
          continue;
        }
        if (i + 1 >= argv.length) throw new IllegalArgumentException("missing value after " + flag);
        String v = argv[++i];
        switch (flag) {
          case "--query" -> a.query = v;
          case "--events" -> a.events = parseCount(v);
          case "--parallelism" -> a.parallelism = Integer.parseInt(v);
          case "--rate" -> a.rate = parseCount(v);
          case "--devices" -> a.devices = Integer.parseInt(v);
          case "--output" -> a.output = v;
          case "--buffer-timeout" -> a.bufferTimeout = Long.parseLong(v);
          case "--warmup" -> a.warmup = parseCount(v);
          case "--rate-limit" -> a.rateLimit = Double.parseDouble(v.replace("_", ""));
          case "--seconds" -> a.seconds = Double.parseDouble(v);
          case "--warmup-seconds" -> a.warmupSeconds = Double.parseDouble(v);
          case "--dump" -> a.dump = parseCount(v);
          case "--log" -> a.log = v;
          case "--checkpoint-interval" -> a.checkpointInterval = parseCount(v);
          case "--checkpoint-dir" -> a.checkpointDir = v;
          default -> throw new IllegalArgumentException("unknown flag " + flag);
        }
      }
      if (!java.util.Set.of("q0", "q1", "q2", "q3", "q5", "q7", "q8", "q11", "seed").contains(a.query)) {
        throw new IllegalArgumentException("unknown query " + a.query + " (q0 q1 q2 q3 q5 q7 q8 q11 seed)");
      }
      if (a.latency && a.rateLimit <= 0) throw new IllegalArgumentException("--latency needs --rate-limit EVENTS_PER_SECOND");
      if (a.latency && !a.query.equals("seed") && !a.query.equals("q5")) {
        throw new IllegalArgumentException("--latency supports --query seed and q5");
      }
      if (a.checkpointInterval != null && a.checkpointInterval < 10) {
        throw new IllegalArgumentException("--checkpoint-interval needs at least 10 (ms between checkpoints)");
      }
      if (a.checkpointDir != null && a.checkpointInterval == null) {
        throw new IllegalArgumentException("--checkpoint-dir needs --checkpoint-interval MS");
      }
      if (!a.latency) a.rateLimit = 0;
      return a;
    }

    static long parseCount(String v) {
      return Long.parseLong(v.replace("_", ""));
    }

    long eventTimeRate() {
      if (rate != null) return rate;
      if (latency) return Math.max(1, Math.round(rateLimit)); // event time advances with wall time
      return query.equals("seed") ? Nexmark.DEFAULT_SEED_RATE : Nexmark.DEFAULT_RATE;
    }

    long count() {
      return latency ? Math.round(rateLimit * seconds) : events;
    }
  }

  public static void main(String[] argv) throws Exception {
    Args a;
    try {
      a = Args.parse(argv);
    } catch (IllegalArgumentException e) {
      System.err.println("eddy.reference.Run: " + e.getMessage());
      System.exit(2);
      return;
    }
    if (a.dump >= 0) {
      Nexmark.dump(System.out, a.query, a.dump, a.eventTimeRate(), a.devices);
      return;
    }
    System.setProperty("eddy.flink.log", a.log != null ? a.log
        : Path.of(System.getProperty("java.io.tmpdir"), "eddy-flink-reference.log").toString());

    Configuration conf = new Configuration();
    conf.set(StateBackendOptions.STATE_BACKEND, "hashmap");
    Path temporaryCheckpoints = null;
    if (a.checkpointInterval != null) {
      Path dir = a.checkpointDir != null ? Path.of(a.checkpointDir)
          : (temporaryCheckpoints = Files.createTempDirectory("eddy-flink-chk-"));
      Checkpoints.configure(conf, a.checkpointInterval, dir);
    }
    MiniCluster cluster = new MiniCluster(new MiniClusterConfiguration.Builder()
        .setConfiguration(conf)
        .setNumTaskManagers(1)
        .setNumSlotsPerTaskManager(a.parallelism)
        .withRandomPorts()
        .build());
    int exit = 0;
    try {
      cluster.start();
      if (a.warmup > 0) {
        runJob(cluster, conf, a, a.latency ? 0 : a.warmup, false);
      }
      exit = runJob(cluster, conf, a, a.count(), true);
    } finally {
      cluster.closeAsync().get();
      if (temporaryCheckpoints != null) deleteRecursively(temporaryCheckpoints);
    }
    System.out.flush();
    System.exit(exit);
  }

  /** Builds, submits and waits for one job; prints the report when {@code report}. */
  static int runJob(MiniCluster cluster, Configuration conf, Args a, long count, boolean report) throws Exception {
    StreamExecutionEnvironment env = new StreamExecutionEnvironment(conf);
    env.setParallelism(a.parallelism);
    env.getConfig().enableObjectReuse();
    if (a.bufferTimeout != null) env.setBufferTimeout(a.bufferTimeout);
    if (a.checkpointInterval != null) env.enableCheckpointing(a.checkpointInterval, CheckpointingMode.EXACTLY_ONCE);
    Queries.Options options = new Queries.Options(count, a.eventTimeRate(), a.devices, a.latency ? a.rateLimit : 0);
    Queries.Job<?> job = Queries.build(a.query, env, options);
    attachSink(job, a.output != null && report);
    JobGraph graph = env.getStreamGraph().getJobGraph();

    Sinks.reset();
    LatencyAssigner.HISTOGRAMS.clear();
    com.sun.management.OperatingSystemMXBean os =
        (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
    long cpu0 = os.getProcessCpuTime();
    long t0 = System.nanoTime();
    if (a.latency) LatencyAssigner.measureFromMicros = Clock.micros() + Math.round(a.warmupSeconds * 1e6);
    JobID id = cluster.submitJob(graph).get().getJobID();
    JobResult result = cluster.requestJobResult(id).get();
    long t1 = System.nanoTime();
    long cpu1 = os.getProcessCpuTime();
    if (!result.isSuccess()) {
      System.err.println("eddy.reference.Run: the job failed");
      result.getSerializedThrowable().ifPresent(t -> t.deserializeError(Run.class.getClassLoader()).printStackTrace());
      return 1;
    }
    if (!report) return 0;

    if (a.output != null) {
      List<String> lines = new ArrayList<>(Sinks.LINES);
      Collections.sort(lines);
      Files.write(Path.of(a.output), lines, StandardCharsets.UTF_8);
    }
    double seconds = (t1 - t0) / 1e9;
    StringBuilder json = new StringBuilder(300);
    json.append("{\"engine\":\"flink\",\"query\":\"").append(a.query)
        .append("\",\"events\":").append(count)
        .append(",\"parallelism\":").append(a.parallelism)
        .append(",\"seconds\":").append(fmt(seconds))
        .append(",\"eventsPerSecond\":").append(Math.round(count / seconds))
        .append(",\"cpuSeconds\":").append(fmt((cpu1 - cpu0) / 1e9))
        .append(",\"peakRssBytes\":").append(peakRssBytes())
        .append(",\"outputLines\":").append(Sinks.COUNT.get());
    if (a.latency) {
      Histogram merged = LatencyAssigner.newHistogram();
      for (Histogram h : LatencyAssigner.HISTOGRAMS) merged.add(h);
      json.append(",\"rateLimit\":").append(Math.round(a.rateLimit))
          .append(",\"bufferTimeoutMs\":").append(a.bufferTimeout == null ? 100 : a.bufferTimeout)
          .append(",\"samples\":").append(merged.getTotalCount())
          .append(",\"p50us\":").append(merged.getValueAtPercentile(50))
          .append(",\"p99us\":").append(merged.getValueAtPercentile(99))
          .append(",\"p999us\":").append(merged.getValueAtPercentile(99.9))
          .append(",\"maxUs\":").append(merged.getMaxValue());
    }
    if (a.checkpointInterval != null) {
      json.append(Checkpoints.reportFields(a.checkpointInterval, cluster.getArchivedExecutionGraph(id).get().getCheckpointStatsSnapshot()));
    }
    json.append('}');
    System.out.println(json);
    return 0;
  }

  @SuppressWarnings("unchecked")
  static <R> void attachSink(Queries.Job<R> job, boolean output) {
    DataStream<R> results = job.results();
    if (output) {
      results.process(job.format()).returns(String.class).name("Format lines")
          .sinkTo(new Sinks.Collecting()).setParallelism(1).name("Collect lines");
    } else {
      results.sinkTo(new Sinks.Counting<>()).name("Count and discard");
    }
  }

  static String fmt(double v) {
    return String.format(Locale.ROOT, "%.3f", v);
  }

  static void deleteRecursively(Path root) throws IOException {
    try (Stream<Path> paths = Files.walk(root)) {
      for (Path p : paths.sorted(java.util.Comparator.reverseOrder()).toList()) Files.deleteIfExists(p);
    }
  }

  /** VmHWM of /proc/self/status, in bytes (0 where there is no /proc). */
  static long peakRssBytes() {
    try {
      for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
        if (line.startsWith("VmHWM:")) {
          return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
        }
      }
    } catch (IOException | NumberFormatException e) {
      // not Linux
    }
    return 0;
  }
}
