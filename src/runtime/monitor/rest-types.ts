// The JSON the monitoring server answers with: its REST API (/jobs/overview, /jobs/:id, ...) and
// the live stream the dashboard reads (server-sent events). Times are epoch ms, durations ms,
// rates per second over the last sampling interval; a value a job cannot know yet is null.

/** Where a job is in its life. */
export type JobState = 'RUNNING' | 'RESTARTING' | 'FINISHED' | 'FAILED' | 'CANCELED';

/** One job in `GET /jobs/overview`. */
export interface JobSummary {
  /** The job's id in this process (stable while the process runs). */
  readonly id: string;
  readonly name: string;
  readonly state: JobState;
  readonly startTime: number;
  /** When it ended, or null while it runs. */
  readonly endTime: number | null;
  /** From its start to its end, or to now while it runs. */
  readonly durationMs: number;
  /** Restarts after failures (its restart strategy). */
  readonly restarts: number;
  /** Vertices (operator chains) and subtasks (actors) of the job. */
  readonly vertexCount: number;
  readonly subtaskCount: number;
  /** Records its sources emitted, and per second. */
  readonly recordsRead: number;
  readonly recordsReadPerSecond: number;
  /** Records the sources will emit in all, where every source knows it (bounded jobs); else null. */
  readonly recordsExpected: number | null;
}

/** `GET /jobs/overview`. */
export interface JobsOverview {
  readonly jobs: readonly JobSummary[];
}

/** How records travel between two vertices. */
export interface VertexEdge {
  readonly source: number;
  readonly target: number;
  readonly partitioning: 'forward' | 'rebalance' | 'hash' | 'broadcast';
  /** The side output the edge reads (its tag id), or null for the main output. */
  readonly sideOutput: string | null;
  /** Which input of a two-input operator it feeds (0 or 1). */
  readonly inputIndex: number;
}

/** One operator of a vertex's chain. */
export interface OperatorInfo {
  /** The stream node's id, unique in the job. */
  readonly id: number;
  readonly name: string;
  readonly kind: 'source' | 'operator' | 'sink';
  /** What it does: "map", "window", "keyed-process", ... */
  readonly type: string;
}

/**
 * Metrics of one subtask, or of a vertex over its subtasks: counts and rates summed; busy and
 * back-pressured ratios and ring fill as their highest subtask's (the one that holds the job
 * back), the idle ratio and the watermark as the lowest.
 */
export interface TaskMetrics {
  /** Records into the chain's head operator (0 for a source) and out of its last operators. */
  readonly recordsIn: number;
  readonly recordsOut: number;
  readonly recordsInPerSecond: number;
  readonly recordsOutPerSecond: number;
  /** Bytes through its input and output rings (frames as sent; chained operators pass none). */
  readonly bytesIn: number;
  readonly bytesOut: number;
  readonly bytesInPerSecond: number;
  readonly bytesOutPerSecond: number;
  /** Share of the last interval spent working, waiting for input, waiting for room in an output ring (0 to 1; they add up to 1). */
  readonly busyRatio: number;
  readonly idleRatio: number;
  readonly backPressuredRatio: number;
  /** How full its input and output rings are (0 to 1; the fullest). */
  readonly inputFill: number;
  readonly outputFill: number;
  /** The current input watermark (event time, ms), or null before the first; after the end of input, Number.MAX_SAFE_INTEGER. */
  readonly watermark: number | null;
  /** Wall-clock now minus that watermark, ms, or null (none, or the end of input). */
  readonly watermarkLagMs: number | null;
  readonly lateRecordsDropped: number;
  /** Keys with keyed state, and the bytes of its state in the newest completed checkpoint (null before one). */
  readonly stateKeys: number;
  readonly stateBytes: number | null;
  /** Event-time and processing-time timers waiting to fire. */
  readonly timers: number;
}

/** One vertex (an operator chain) of `GET /jobs/:id`. */
export interface VertexSummary {
  readonly id: number;
  /** The chained operators' names joined by " -> ". */
  readonly name: string;
  readonly parallelism: number;
  readonly operators: readonly OperatorInfo[];
  readonly metrics: TaskMetrics;
}

/** `GET /jobs/:id`. */
export interface JobDetails extends JobSummary {
  /** When these figures were taken. */
  readonly now: number;
  readonly vertices: readonly VertexSummary[];
  readonly edges: readonly VertexEdge[];
  /** The checkpoint settings, or null when the job does not checkpoint. */
  readonly checkpointing: { readonly intervalMs: number; readonly mode: 'exactly-once' | 'at-least-once' } | null;
}

/** One operator at one subtask. */
export interface OperatorSubtaskMetrics {
  readonly id: number;
  readonly name: string;
  readonly recordsIn: number;
  readonly recordsOut: number;
  readonly recordsInPerSecond: number;
  readonly recordsOutPerSecond: number;
  readonly lateRecordsDropped: number;
  readonly stateKeys: number;
  readonly timers: number;
  /** The operator's current event time (its input watermark), or null before the first. */
  readonly watermark: number | null;
}

/** One subtask of `GET /jobs/:id/vertices/:vid`. */
export interface SubtaskDetails extends TaskMetrics {
  readonly subtask: number;
  /** The worker thread it runs on (0-based). */
  readonly thread: number;
  /** The key groups it owns (inclusive), for a keyed vertex. */
  readonly keyGroups: { readonly start: number; readonly end: number };
  readonly operators: readonly OperatorSubtaskMetrics[];
}

/** `GET /jobs/:id/vertices/:vid`. */
export interface VertexDetails extends VertexSummary {
  readonly jobId: string;
  readonly now: number;
  readonly subtasks: readonly SubtaskDetails[];
}

/** One checkpoint or savepoint. */
export interface CheckpointEntry {
  readonly id: number;
  readonly savepoint: boolean;
  readonly status: 'IN_PROGRESS' | 'COMPLETED' | 'FAILED';
  readonly triggerTime: number;
  /** From the trigger to the last acknowledgement (or the failure; so far, while in progress). */
  readonly durationMs: number;
  /** Bytes of its files (null while in progress). */
  readonly stateBytes: number | null;
  /** The longest barrier alignment of a subtask. */
  readonly alignmentMs: number | null;
  /** Subtasks that acknowledged it, of all. */
  readonly acknowledged: number;
  readonly subtasks: number;
  /** Why it failed, or null. */
  readonly failure: string | null;
}

/** `GET /jobs/:id/checkpoints`. */
export interface CheckpointsInfo {
  readonly counts: { readonly completed: number; readonly failed: number; readonly inProgress: number };
  readonly latestCompleted: CheckpointEntry | null;
  /** Newest first, the last 100. */
  readonly history: readonly CheckpointEntry[];
}

/** A failure of a job: what a subtask threw, or what failed the job. */
export interface ExceptionEntry {
  readonly timestamp: number;
  /** The error's name and message. */
  readonly name: string;
  readonly message: string;
  readonly stack: string | null;
  /** The operator and subtask it came from, where one did. */
  readonly operator: string | null;
  readonly subtask: number | null;
  /** Whether the job restarted after it (its restart strategy), or ended with it. */
  readonly restarted: boolean;
}

/** `GET /jobs/:id/exceptions`. */
export interface ExceptionsInfo {
  /** Newest first, the last 100. */
  readonly entries: readonly ExceptionEntry[];
}

/**
 * One message of the live stream of a job (`GET /jobs/:id/events`, server-sent events named
 * "job"), sent when the client connects and after each sample (every second), until the job ended.
 */
export interface JobEvent {
  readonly job: JobDetails;
  readonly checkpoints: CheckpointsInfo;
  readonly exceptions: ExceptionsInfo;
}
