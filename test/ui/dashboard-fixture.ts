// Fixed monitoring JSON for the dashboard's tests, typed by the REST contract: a job of three
// vertices (sensor source and parse chained -> keyed window by HASH -> sink, plus the window's late
// side output to the sink), parallelism 2, one checkpoint and one exception; its live events at two
// rates and at its end (failed for good: a second exception), and the subtask details of each vertex.
import type { CheckpointsInfo, ExceptionsInfo, JobDetails, JobEvent, JobsOverview, JobSummary, SubtaskDetails, TaskMetrics, VertexDetails, VertexSummary } from '../../src/runtime/monitor/rest-types.js';

export const JOB_ID = 'job-1';
const START = Date.UTC(2025, 5, 2, 9, 0, 0);
const NOW = START + 95_000;

function metrics(overrides: Partial<TaskMetrics>): TaskMetrics {
  return {
    recordsIn: 0,
    recordsOut: 0,
    recordsInPerSecond: 0,
    recordsOutPerSecond: 0,
    bytesIn: 0,
    bytesOut: 0,
    bytesInPerSecond: 0,
    bytesOutPerSecond: 0,
    busyRatio: 0,
    idleRatio: 1,
    backPressuredRatio: 0,
    inputFill: 0,
    outputFill: 0,
    watermark: null,
    watermarkLagMs: null,
    lateRecordsDropped: 0,
    stateKeys: 0,
    stateBytes: null,
    timers: 0,
    ...overrides,
  };
}

/** The figures that differ between the two live samples: records per second out of the source. */
interface Sample {
  readonly sourceRate: number;
  readonly windowBusy: number;
  readonly sourceBackPressured: number;
}

export const FIRST_SAMPLE: Sample = { sourceRate: 1200, windowBusy: 0.3, sourceBackPressured: 0 };
export const SECOND_SAMPLE: Sample = { sourceRate: 2400, windowBusy: 0.7, sourceBackPressured: 0.6 };

export const OPERATOR_NAMES = ['Source: sensor readings', 'Parse readings', 'Window: average per sensor', 'Sink: alerts'];

function vertices(sample: Sample): VertexSummary[] {
  const rate = sample.sourceRate;
  const watermark = NOW - 1500;
  return [
    {
      id: 1,
      name: 'Source: sensor readings -> Parse readings',
      parallelism: 2,
      operators: [
        { id: 1, name: OPERATOR_NAMES[0], kind: 'source', type: 'source' },
        { id: 2, name: OPERATOR_NAMES[1], kind: 'operator', type: 'map' },
      ],
      metrics: metrics({ recordsOut: 90_000, recordsOutPerSecond: rate, bytesOut: 3_600_000, bytesOutPerSecond: rate * 40, busyRatio: 0.2, idleRatio: 0.8 - sample.sourceBackPressured, backPressuredRatio: sample.sourceBackPressured, outputFill: 0.4, watermark, watermarkLagMs: 1500 }),
    },
    {
      id: 2,
      name: 'Window: average per sensor',
      parallelism: 2,
      operators: [{ id: 3, name: OPERATOR_NAMES[2], kind: 'operator', type: 'window' }],
      metrics: metrics({ recordsIn: 89_000, recordsOut: 900, recordsInPerSecond: rate, recordsOutPerSecond: rate / 100, bytesIn: 3_560_000, bytesInPerSecond: rate * 40, busyRatio: sample.windowBusy, idleRatio: 1 - sample.windowBusy, inputFill: 0.8, watermark: watermark - 500, watermarkLagMs: 2000, lateRecordsDropped: 3, stateKeys: 120, stateBytes: 48_000, timers: 120 }),
    },
    {
      id: 3,
      name: 'Sink: alerts',
      parallelism: 2,
      operators: [{ id: 4, name: OPERATOR_NAMES[3], kind: 'sink', type: 'sink' }],
      metrics: metrics({ recordsIn: 900, recordsInPerSecond: rate / 100, busyRatio: 0.01, idleRatio: 0.99, watermark: watermark - 500, watermarkLagMs: 2000 }),
    },
  ];
}

function details(sample: Sample, state: JobSummary['state']): JobDetails {
  const ended = state !== 'RUNNING' && state !== 'RESTARTING';
  return {
    id: JOB_ID,
    name: 'Sensor alerts',
    state,
    startTime: START,
    endTime: ended ? NOW : null,
    durationMs: NOW - START,
    restarts: 1,
    vertexCount: 3,
    subtaskCount: 6,
    recordsRead: 90_000,
    recordsReadPerSecond: ended ? 0 : sample.sourceRate,
    recordsExpected: 120_000,
    now: NOW,
    vertices: vertices(sample),
    edges: [
      { source: 1, target: 2, partitioning: 'hash', sideOutput: null, inputIndex: 0 },
      { source: 2, target: 3, partitioning: 'forward', sideOutput: null, inputIndex: 0 },
      { source: 2, target: 3, partitioning: 'forward', sideOutput: 'late-readings', inputIndex: 0 },
    ],
    checkpointing: { intervalMs: 10_000, mode: 'exactly-once' },
  };
}

export const EDGE_LABELS = ['FORWARD', 'FORWARD · side output late-readings', 'HASH'];

const CHECKPOINT = { id: 7, savepoint: false, status: 'COMPLETED', triggerTime: NOW - 4000, durationMs: 320, stateBytes: 1_500_000, alignmentMs: 12, acknowledged: 6, subtasks: 6, failure: null } as const;

const checkpoints: CheckpointsInfo = { counts: { completed: 1, failed: 0, inProgress: 0 }, latestCompleted: CHECKPOINT, history: [CHECKPOINT] };

export const EXCEPTION = { operator: 'Window: average per sensor', subtask: 1, name: 'RangeError', message: 'sensor 17 sent NaN' } as const;

const RESTARTED_FAILURE = { timestamp: NOW - 60_000, ...EXCEPTION, stack: `RangeError: sensor 17 sent NaN\n    at average (file:///app/job.js:42:11)`, restarted: true };

/** What a job that failed for good adds to its exceptions, newest first. */
export const FINAL_FAILURE = { operator: null, subtask: null, name: 'Error', message: 'the restart strategy gave up after 1 restart' } as const;

function exceptionsAt(state: JobSummary['state']): ExceptionsInfo {
  if (state !== 'FAILED') return { entries: [RESTARTED_FAILURE] };
  return { entries: [{ timestamp: NOW, ...FINAL_FAILURE, stack: null, restarted: false }, RESTARTED_FAILURE] };
}

export function jobEvent(sample: Sample, state: JobSummary['state'] = 'RUNNING'): JobEvent {
  return { job: details(sample, state), checkpoints, exceptions: exceptionsAt(state) };
}

export function overviewOf(events: readonly JobEvent[]): JobsOverview {
  return {
    jobs: events.map(({ job }) => ({
      id: job.id,
      name: job.name,
      state: job.state,
      startTime: job.startTime,
      endTime: job.endTime,
      durationMs: job.durationMs,
      restarts: job.restarts,
      vertexCount: job.vertexCount,
      subtaskCount: job.subtaskCount,
      recordsRead: job.recordsRead,
      recordsReadPerSecond: job.recordsReadPerSecond,
      recordsExpected: job.recordsExpected,
    })),
  };
}

/** A job of the same shape under another id and name, for a process that runs two. */
export function renamedJob(event: JobEvent, id: string, name: string): JobEvent {
  return { ...event, job: { ...event.job, id, name } };
}

const KEY_GROUPS = 128;

/** A vertex's subtasks: each does half the vertex's work, on its own thread, with half the key groups. */
export function vertexDetails(job: JobDetails, vertexId: number): VertexDetails | undefined {
  const vertex = job.vertices.find((candidate) => candidate.id === vertexId);
  if (vertex === undefined) return undefined;
  const half = (value: number): number => value / vertex.parallelism;
  const subtasks: SubtaskDetails[] = Array.from({ length: vertex.parallelism }, (_, subtask) => ({
    ...vertex.metrics,
    recordsIn: half(vertex.metrics.recordsIn),
    recordsOut: half(vertex.metrics.recordsOut),
    recordsInPerSecond: half(vertex.metrics.recordsInPerSecond),
    recordsOutPerSecond: half(vertex.metrics.recordsOutPerSecond),
    subtask,
    thread: subtask,
    keyGroups: { start: (subtask * KEY_GROUPS) / vertex.parallelism, end: ((subtask + 1) * KEY_GROUPS) / vertex.parallelism - 1 },
    operators: vertex.operators.map((operator) => ({
      id: operator.id,
      name: operator.name,
      recordsIn: half(vertex.metrics.recordsIn),
      recordsOut: half(vertex.metrics.recordsOut),
      recordsInPerSecond: half(vertex.metrics.recordsInPerSecond),
      recordsOutPerSecond: half(vertex.metrics.recordsOutPerSecond),
      lateRecordsDropped: vertex.metrics.lateRecordsDropped,
      stateKeys: half(vertex.metrics.stateKeys),
      timers: half(vertex.metrics.timers),
      watermark: vertex.metrics.watermark,
    })),
  }));
  return { ...vertex, jobId: job.id, now: job.now, subtasks };
}
