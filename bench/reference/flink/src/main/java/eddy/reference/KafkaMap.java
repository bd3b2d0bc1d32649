package eddy.reference;

import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.apache.flink.api.common.JobID;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.functions.MapFunction;
import org.apache.flink.api.common.serialization.SimpleStringSchema;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.StateBackendOptions;
import org.apache.flink.connector.base.DeliveryGuarantee;
import org.apache.flink.connector.kafka.sink.KafkaRecordSerializationSchema;
import org.apache.flink.connector.kafka.sink.KafkaSink;
import org.apache.flink.connector.kafka.source.KafkaSource;
import org.apache.flink.connector.kafka.source.enumerator.initializer.OffsetsInitializer;
import org.apache.flink.core.execution.CheckpointingMode;
import org.apache.flink.runtime.jobmaster.JobResult;
import org.apache.flink.runtime.minicluster.MiniCluster;
import org.apache.flink.runtime.minicluster.MiniClusterConfiguration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/**
 * eddy's Kafka benchmark job (bench/jobs/kafka-map.ts) in Flink, for {@code npm run bench:compare
 * -- --suite kafka}: a bounded KafkaSource (earliest to the offsets latest at the start, read
 * committed) reads 1 KB JSON readings, a map converts each reading's {@code value} to Fahrenheit
 * (parse, change, serialize, as eddy's JSON deserializer, map and JSON serializer do), and a
 * KafkaSink writes it to the output topic, at least once or exactly once (a checkpoint every
 * --checkpoint-interval ms, transactions committed when it completes, the final one included).
 * Prints a JSON report line as Run does (without outputLines: bench:compare reads the output topic
 * back), timed from job submission to its result on a started MiniCluster.
 *
 * <pre>
 * java -cp 'target/eddy-flink-reference.jar:target/lib/*' eddy.reference.KafkaMap
 *   --brokers HOST:PORT --input TOPIC --output TOPIC --records N --parallelism P
 *   --guarantee at-least-once|exactly-once [--checkpoint-interval MS] [--transactional-id-prefix ID]
 *   [--log FILE]
 * </pre>
 */
public final class KafkaMap {
  private KafkaMap() {}

  /** Reading.value in degrees Fahrenheit, the JSON otherwise as it came. */
  static final class ToFahrenheit implements MapFunction<String, String> {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Override
    public String map(String reading) throws Exception {
      ObjectNode node = (ObjectNode) JSON.readTree(reading);
      node.put("value", node.get("value").asDouble() * 1.8 + 32);
      return JSON.writeValueAsString(node);
    }
  }

  public static void main(String[] argv) throws Exception {
    String brokers = null;
    String input = null;
    String output = null;
    long records = 0;
    int parallelism = 1;
    String guarantee = "at-least-once";
    Long checkpointInterval = null;
    String prefix = "eddy-flink-kafka-map";
    String log = null;
    for (int i = 0; i + 1 < argv.length; i += 2) {
      String v = argv[i + 1];
      switch (argv[i]) {
        case "--brokers" -> brokers = v;
        case "--input" -> input = v;
        case "--output" -> output = v;
        case "--records" -> records = Long.parseLong(v);
        case "--parallelism" -> parallelism = Integer.parseInt(v);
        case "--guarantee" -> guarantee = v;
        case "--checkpoint-interval" -> checkpointInterval = Long.parseLong(v);
        case "--transactional-id-prefix" -> prefix = v;
        case "--log" -> log = v;
        default -> {
          System.err.println("eddy.reference.KafkaMap: unknown flag " + argv[i]);
          System.exit(2);
        }
      }
    }
    boolean exactlyOnce = guarantee.equals("exactly-once");
    if (brokers == null || input == null || output == null || (!exactlyOnce && !guarantee.equals("at-least-once")) || (exactlyOnce && checkpointInterval == null)) {
      System.err.println("eddy.reference.KafkaMap: needs --brokers, --input, --output, --guarantee at-least-once|exactly-once (exactly-once with --checkpoint-interval MS)");
      System.exit(2);
    }
    System.setProperty("eddy.flink.log", log != null ? log : Path.of(System.getProperty("java.io.tmpdir"), "eddy-flink-reference.log").toString());

    Configuration conf = new Configuration();
    conf.set(StateBackendOptions.STATE_BACKEND, "hashmap");
    Path checkpoints = null;
    if (checkpointInterval != null) {
      checkpoints = Files.createTempDirectory("eddy-flink-chk-");
      Checkpoints.configure(conf, checkpointInterval, checkpoints);
    }
    MiniCluster cluster = new MiniCluster(new MiniClusterConfiguration.Builder()
        .setConfiguration(conf).setNumTaskManagers(1).setNumSlotsPerTaskManager(parallelism).withRandomPorts().build());
    int exit = 0;
    try {
      cluster.start();
      StreamExecutionEnvironment env = new StreamExecutionEnvironment(conf);
      env.setParallelism(parallelism);
      if (checkpointInterval != null) env.enableCheckpointing(checkpointInterval, CheckpointingMode.EXACTLY_ONCE);
      KafkaSource<String> source = KafkaSource.<String>builder()
          .setBootstrapServers(brokers)
          .setTopics(input)
          .setGroupId(output + "-flink")
          .setStartingOffsets(OffsetsInitializer.earliest())
          .setBounded(OffsetsInitializer.latest())
          .setValueOnlyDeserializer(new SimpleStringSchema())
          .setProperty("isolation.level", "read_committed")
          .build();
      KafkaSink<String> sink = KafkaSink.<String>builder()
          .setBootstrapServers(brokers)
          .setRecordSerializer(KafkaRecordSerializationSchema.builder().setTopic(output).setValueSerializationSchema(new SimpleStringSchema()).build())
          .setDeliveryGuarantee(exactlyOnce ? DeliveryGuarantee.EXACTLY_ONCE : DeliveryGuarantee.AT_LEAST_ONCE)
          .setTransactionalIdPrefix(prefix)
          // eddy's default; within the broker's transaction.max.timeout.ms (15 min; Flink's own default is 1 h).
          .setProperty("transaction.timeout.ms", "60000")
          .build();
      env.fromSource(source, WatermarkStrategy.noWatermarks(), "in").map(new ToFahrenheit()).name("Map").sinkTo(sink).name("Sink");

      com.sun.management.OperatingSystemMXBean os = (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
      long cpu0 = os.getProcessCpuTime();
      long t0 = System.nanoTime();
      JobID id = cluster.submitJob(env.getStreamGraph().getJobGraph()).get().getJobID();
      JobResult result = cluster.requestJobResult(id).get();
      long t1 = System.nanoTime();
      long cpu1 = os.getProcessCpuTime();
      if (!result.isSuccess()) {
        System.err.println("eddy.reference.KafkaMap: the job failed");
        result.getSerializedThrowable().ifPresent(t -> t.deserializeError(KafkaMap.class.getClassLoader()).printStackTrace());
        exit = 1;
      } else {
        double seconds = (t1 - t0) / 1e9;
        System.out.println("{\"engine\":\"flink\",\"query\":\"kafka-map " + guarantee + "\",\"events\":" + records
            + ",\"parallelism\":" + parallelism + ",\"seconds\":" + Run.fmt(seconds)
            + ",\"eventsPerSecond\":" + Math.round(records / seconds) + ",\"cpuSeconds\":" + Run.fmt((cpu1 - cpu0) / 1e9)
            + ",\"peakRssBytes\":" + Run.peakRssBytes() + "}");
      }
    } finally {
      cluster.closeAsync().get();
      if (checkpoints != null) Run.deleteRecursively(checkpoints);
    }
    System.out.flush();
    System.exit(exit);
  }
}
