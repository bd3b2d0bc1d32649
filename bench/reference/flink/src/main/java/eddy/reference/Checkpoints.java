package eddy.reference;

import java.nio.file.Path;
import java.time.Duration;
import org.apache.flink.configuration.CheckpointingOptions;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.RestartStrategyOptions;
import org.apache.flink.core.execution.CheckpointingMode;
import org.apache.flink.runtime.checkpoint.CheckpointStatsCounts;
import org.apache.flink.runtime.checkpoint.CheckpointStatsSnapshot;
import org.apache.flink.runtime.checkpoint.CompletedCheckpointStatsSummarySnapshot;

/**
 * Checkpointing of a run with {@code --checkpoint-interval}: its configuration and its report
 * fields (bench/nexmark/SPEC.md, "What each run reports").
 *
 * <p>Configuration (Flink 2.x keys): {@code execution.checkpointing.interval} MS,
 * {@code execution.checkpointing.mode: EXACTLY_ONCE}, {@code state.backend.type: hashmap} (set by
 * Run for every run), {@code execution.checkpointing.storage: filesystem} into
 * {@code execution.checkpointing.dir: file:///...}, {@code restart-strategy.type: none} (a failure
 * fails the run instead of restarting it, as on eddy's side). {@code
 * execution.checkpointing.checkpoints-after-tasks-finish} stays true (Flink's default): tasks that
 * reached the end of their bounded input wait for one more checkpoint before they finish, so a
 * bounded job ends with a final checkpoint, as eddy's does.
 *
 * <p>Report: the numbers of the job's {@code CheckpointStatsSnapshot}, read from the archived
 * execution graph after the job finished (the chk-* folders are gone by then: a finished job
 * discards its checkpoints). {@code checkpoints} counts the completed ones (the final one
 * included), durations are end to end (trigger to last acknowledgement), sizes are the state
 * size of each checkpoint (all state handles; with the hashmap backend every checkpoint is full).
 */
final class Checkpoints {
  private Checkpoints() {}

  static void configure(Configuration conf, long intervalMs, Path dir) {
    conf.set(CheckpointingOptions.CHECKPOINTING_INTERVAL, Duration.ofMillis(intervalMs));
    conf.set(CheckpointingOptions.CHECKPOINTING_CONSISTENCY_MODE, CheckpointingMode.EXACTLY_ONCE);
    conf.set(CheckpointingOptions.CHECKPOINT_STORAGE, "filesystem");
    conf.set(CheckpointingOptions.CHECKPOINTS_DIRECTORY, dir.toAbsolutePath().toUri().toString());
    conf.set(CheckpointingOptions.ENABLE_CHECKPOINTS_AFTER_TASKS_FINISH, true);
    conf.set(RestartStrategyOptions.RESTART_STRATEGY, "none");
  }

  /** {@code ,"checkpointIntervalMs":..,"checkpoints":..,...}: the fields eddy's report has too. */
  static String reportFields(long intervalMs, CheckpointStatsSnapshot stats) {
    CheckpointStatsCounts counts = stats.getCounts();
    CompletedCheckpointStatsSummarySnapshot summary = stats.getSummaryStats();
    return ",\"checkpointIntervalMs\":" + intervalMs
        + ",\"checkpoints\":" + counts.getNumberOfCompletedCheckpoints()
        + ",\"checkpointsFailed\":" + counts.getNumberOfFailedCheckpoints()
        + ",\"checkpointAvgMs\":" + summary.getEndToEndDurationStats().getAverage()
        + ",\"checkpointMaxMs\":" + summary.getEndToEndDurationStats().getMaximum()
        + ",\"checkpointAvgBytes\":" + summary.getStateSizeStats().getAverage()
        + ",\"checkpointMaxBytes\":" + summary.getStateSizeStats().getMaximum();
  }
}
