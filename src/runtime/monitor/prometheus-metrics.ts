// eddy's metrics for Prometheus, through prom-client: collectors that read the monitored jobs'
// latest samples when a registry is scraped. Labels as Flink's reporter has them: the job, the
// task (an operator chain) or the operator, and the subtask; ids beside names, which may repeat.

import type { Registry } from 'prom-client';
import { lazyModule } from '../../core/lazy-module.js';
import type { JobMonitor } from './job-monitor.js';
import { monitoredJobs } from './monitored-jobs.js';
import type { OperatorSubtaskMetrics, SubtaskDetails } from './rest-types.js';

/** prom-client, loaded when metrics are first registered. */
export const promClient = lazyModule<typeof import('prom-client')>('prom-client');

const OPERATOR_LABELS = ['job', 'job_id', 'operator', 'operator_id', 'subtask'] as const;
const TASK_LABELS = ['job', 'job_id', 'task', 'task_id', 'subtask'] as const;
const JOB_LABELS = ['job', 'job_id'] as const;

type Labels = Record<string, string | number>;

/** Every subtask figure of every shown job, with the task's labels. */
function* subtasks(): Generator<{ job: JobMonitor; labels: Labels; figures: SubtaskDetails }> {
  for (const job of monitoredJobs.all()) {
    const { actors } = job.job.planned.plan;
    const { vertices } = job.job.planned.job;
    const figures = job.subtaskFigures();
    for (const spec of actors) {
      const f = figures[spec.index];
      if (f === undefined) continue;
      const vertex = vertices[spec.vertexId]!;
      yield { job, labels: { job: job.job.jobName, job_id: job.id, task: vertex.name, task_id: vertex.id, subtask: spec.subtask }, figures: f };
    }
  }
}

/** Every operator figure of every shown job, with the operator's labels. */
function* operators(): Generator<{ labels: Labels; figures: OperatorSubtaskMetrics }> {
  for (const { labels, figures } of subtasks()) {
    for (const op of figures.operators) {
      yield { labels: { job: labels['job']!, job_id: labels['job_id']!, operator: op.name, operator_id: op.id, subtask: labels['subtask']! }, figures: op };
    }
  }
}

/** A gauge set at each scrape from `values`. */
function gauge(registry: Registry, name: string, help: string, labelNames: readonly string[], values: () => Iterable<[Labels, number | null]>): void {
  new (promClient().Gauge)({
    name,
    help,
    labelNames,
    registers: [registry],
    collect() {
      this.reset();
      for (const [labels, value] of values()) if (value !== null) this.set(labels, value);
    },
  });
}

/** A counter whose total is read at each scrape from `values` (the counts live in the workers). */
function counter(registry: Registry, name: string, help: string, labelNames: readonly string[], values: () => Iterable<[Labels, number]>): void {
  new (promClient().Counter)({
    name,
    help,
    labelNames,
    registers: [registry],
    collect() {
      this.reset();
      for (const [labels, value] of values()) this.inc(labels, value);
    },
  });
}

function* mapped<T, R>(items: Iterable<T>, f: (item: T) => R): Generator<R> {
  for (const item of items) yield f(item);
}

const jobLabels = (job: JobMonitor): Labels => ({ job: job.job.jobName, job_id: job.id });

/**
 * Registers eddy's metrics (every job of this process, under `eddy_` names) into a prom-client
 * registry, and keeps the jobs sampled from then on. A registry that has them already is left
 * as it is.
 */
export function registerEddyMetrics(registry: Registry): void {
  if (registry.getSingleMetric('eddy_job_uptime_seconds') !== undefined) return;
  monitoredJobs.watch();
  const op = (pick: (f: OperatorSubtaskMetrics) => number | null) => () => mapped(operators(), ({ labels, figures }): [Labels, number | null] => [labels, pick(figures)]);
  const task = (pick: (f: SubtaskDetails) => number | null) => () => mapped(subtasks(), ({ labels, figures }): [Labels, number | null] => [labels, pick(figures)]);
  const count = (pick: (f: OperatorSubtaskMetrics) => number) => () => mapped(operators(), ({ labels, figures }): [Labels, number] => [labels, pick(figures)]);
  const taskCount = (pick: (f: SubtaskDetails) => number) => () => mapped(subtasks(), ({ labels, figures }): [Labels, number] => [labels, pick(figures)]);
  const jobs = <R>(pick: (job: JobMonitor) => R) => () => mapped(monitoredJobs.all(), (job): [Labels, R] => [jobLabels(job), pick(job)]);

  counter(registry, 'eddy_operator_records_in_total', 'Records into the operator.', OPERATOR_LABELS, count((f) => f.recordsIn));
  counter(registry, 'eddy_operator_records_out_total', 'Records the operator emitted (side outputs included).', OPERATOR_LABELS, count((f) => f.recordsOut));
  counter(registry, 'eddy_operator_late_records_dropped_total', 'Records an event-time operator dropped as late.', OPERATOR_LABELS, count((f) => f.lateRecordsDropped));
  gauge(registry, 'eddy_operator_state_keys', 'Keys the operator holds keyed state for.', OPERATOR_LABELS, op((f) => f.stateKeys));
  gauge(registry, 'eddy_operator_timers', 'Event-time and processing-time timers waiting to fire.', OPERATOR_LABELS, op((f) => f.timers));
  gauge(registry, 'eddy_operator_watermark_milliseconds', "The operator's input watermark (event time, epoch ms).", OPERATOR_LABELS, op((f) => f.watermark));

  counter(registry, 'eddy_task_bytes_in_total', 'Bytes through the subtask\'s input rings.', TASK_LABELS, taskCount((f) => f.bytesIn));
  counter(registry, 'eddy_task_bytes_out_total', 'Bytes through the subtask\'s output rings.', TASK_LABELS, taskCount((f) => f.bytesOut));
  gauge(registry, 'eddy_task_busy_ratio', 'Share of the last second the subtask worked (Flink: busyTimeMsPerSecond / 1000).', TASK_LABELS, task((f) => f.busyRatio));
  gauge(registry, 'eddy_task_idle_ratio', 'Share of the last second the subtask waited for input.', TASK_LABELS, task((f) => f.idleRatio));
  gauge(registry, 'eddy_task_backpressured_ratio', 'Share of the last second the subtask waited for room in an output ring.', TASK_LABELS, task((f) => f.backPressuredRatio));
  gauge(registry, 'eddy_task_input_ring_fill_ratio', 'How full the fullest input ring is (0 to 1).', TASK_LABELS, task((f) => f.inputFill));
  gauge(registry, 'eddy_task_output_ring_fill_ratio', 'How full the fullest output ring is (0 to 1).', TASK_LABELS, task((f) => f.outputFill));
  gauge(registry, 'eddy_task_watermark_lag_milliseconds', 'Wall-clock time minus the input watermark.', TASK_LABELS, task((f) => f.watermarkLagMs));
  gauge(registry, 'eddy_task_state_bytes', "Bytes of the subtask's state in the newest completed checkpoint.", TASK_LABELS, task((f) => f.stateBytes));

  gauge(registry, 'eddy_job_uptime_seconds', 'Time since the job started (to its end, once it ended).', JOB_LABELS, jobs((job) => job.summary().durationMs / 1000));
  gauge(registry, 'eddy_job_running', '1 while the job runs (or restarts), 0 once it ended.', JOB_LABELS, jobs((job) => (job.ended ? 0 : 1)));
  counter(registry, 'eddy_job_restarts_total', 'Restarts after failures.', JOB_LABELS, jobs((job) => job.job.restarts()));
  counter(registry, 'eddy_job_checkpoints_completed_total', 'Checkpoints and savepoints completed.', JOB_LABELS, jobs((job) => job.checkpointsInfo().counts.completed));
  counter(registry, 'eddy_job_checkpoints_failed_total', 'Checkpoints and savepoints that failed.', JOB_LABELS, jobs((job) => job.checkpointsInfo().counts.failed));
  gauge(registry, 'eddy_job_last_checkpoint_duration_milliseconds', 'Trigger to completion of the newest completed checkpoint.', JOB_LABELS, jobs((job) => job.checkpointsInfo().latestCompleted?.durationMs ?? null));
  gauge(registry, 'eddy_job_last_checkpoint_size_bytes', 'Bytes of the newest completed checkpoint.', JOB_LABELS, jobs((job) => job.checkpointsInfo().latestCompleted?.stateBytes ?? null));
  gauge(registry, 'eddy_job_last_checkpoint_alignment_milliseconds', 'The longest barrier alignment of the newest completed checkpoint.', JOB_LABELS, jobs((job) => job.checkpointsInfo().latestCompleted?.alignmentMs ?? null));
}
