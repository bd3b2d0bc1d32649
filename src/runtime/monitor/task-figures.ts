// Figures of a job's subtasks and vertices from two samples: counts as they stand, rates and time
// ratios over the interval between the samples, ring fill, watermarks, state, timers. A subtask
// with no earlier sample of its deployment gets its ratios since it started and rates of zero.

import type { ActorMetrics } from '../../actors/thread-task.js';
import type { NodeMetrics } from '../../actors/operator-chain.js';
import type { PlannedJob } from '../../core/job-plan.js';
import type { JobSample } from './job-sample.js';
import type { OperatorSubtaskMetrics, SubtaskDetails, TaskMetrics } from './rest-types.js';

/**
 * A watermark for JSON, which has no infinities: none yet is null, the end of input (+Infinity)
 * the largest safe integer, as Flink shows Long.MAX_VALUE.
 */
const finiteOrNull = (n: number): number | null => (n === Number.POSITIVE_INFINITY ? Number.MAX_SAFE_INTEGER : Number.isFinite(n) ? n : null);

/** The nodes of each vertex whose records leave it: those with an edge across a channel, and the chain's tails. */
function outputNodes(planned: PlannedJob): Set<number> {
  const chainedSources = new Set<number>();
  const networkSources = new Set<number>();
  for (const edge of planned.job.edges) (edge.chained ? chainedSources : networkSources).add(edge.sourceNodeId);
  return new Set(planned.nodes.map((n) => n.id).filter((id) => networkSources.has(id) || !chainedSources.has(id)));
}

export class TaskFigures {
  private readonly leaving: Set<number>;

  constructor(private readonly planned: PlannedJob) {
    this.leaving = outputNodes(planned);
  }

  /** Every subtask's figures in `current` (by actor index), against `previous`. */
  subtasks(current: JobSample, previous: JobSample | undefined, stateBytes: readonly number[] | undefined): (SubtaskDetails | undefined)[] {
    const before = previous?.attempt === current.attempt ? previous : undefined;
    const seconds = before === undefined ? 0 : (current.at - before.at) / 1000;
    const now = Date.now();
    return this.planned.plan.actors.map((spec) => {
      const metrics = current.actors[spec.index];
      if (metrics === undefined) return undefined;
      const earlier = before?.actors[spec.index];
      const vertex = this.planned.job.vertices[spec.vertexId]!;
      const byNode = new Map(metrics.nodes.map((n) => [n.nodeId, n]));
      const earlierByNode = new Map((earlier?.nodes ?? []).map((n) => [n.nodeId, n]));
      const rate = (now: number, then: number | undefined): number => (seconds > 0 && then !== undefined ? Math.max(0, now - then) / seconds : 0);
      const operators = vertex.nodeIds.map((id): OperatorSubtaskMetrics => {
        const n = byNode.get(id) ?? emptyNode(id);
        const e = earlierByNode.get(id);
        return {
          id,
          name: this.planned.nodes[id]!.name,
          recordsIn: n.recordsIn,
          recordsOut: n.recordsOut,
          recordsInPerSecond: rate(n.recordsIn, e?.recordsIn),
          recordsOutPerSecond: rate(n.recordsOut, e?.recordsOut),
          lateRecordsDropped: n.lateRecordsDropped,
          stateKeys: n.keyedStateKeys,
          timers: n.timers,
          watermark: finiteOrNull(n.watermark),
        };
      });
      const head = operators[0]!;
      const out = operators.filter((o) => this.leaving.has(o.id));
      const channels = this.planned.plan.channels;
      const inputs = channels.filter((c) => c.consumerActor === spec.index).map((c) => current.rings[c.index]!);
      const outputs = channels.filter((c) => c.producerActor === spec.index).map((c) => current.rings[c.index]!);
      const earlierInputs = channels.filter((c) => c.consumerActor === spec.index).map((c) => before?.rings[c.index]);
      const earlierOutputs = channels.filter((c) => c.producerActor === spec.index).map((c) => before?.rings[c.index]);
      const bytesIn = sum(inputs.map((r) => r.read));
      const bytesOut = sum(outputs.map((r) => r.written));
      const ratios = timeRatios(metrics, earlier);
      // A source's subtask shows the event time it emits; any other the event time it receives.
      const isSource = this.planned.nodes[vertex.headNodeId]!.kind === 'source';
      const watermark = isSource ? finiteOrNull(byNode.get(vertex.nodeIds.at(-1)!)?.outputWatermark ?? Number.NEGATIVE_INFINITY) : head.watermark;
      return {
        subtask: spec.subtask,
        thread: spec.thread,
        keyGroups: spec.keyGroupRange,
        operators,
        recordsIn: head.recordsIn,
        recordsOut: sum(out.map((o) => o.recordsOut)),
        recordsInPerSecond: head.recordsInPerSecond,
        recordsOutPerSecond: sum(out.map((o) => o.recordsOutPerSecond)),
        bytesIn,
        bytesOut,
        bytesInPerSecond: earlierInputs.every((r) => r !== undefined) ? rate(bytesIn, sum(earlierInputs.map((r) => r!.read))) : 0,
        bytesOutPerSecond: earlierOutputs.every((r) => r !== undefined) ? rate(bytesOut, sum(earlierOutputs.map((r) => r!.written))) : 0,
        ...ratios,
        inputFill: Math.max(0, ...inputs.map((r) => r.fill)),
        outputFill: Math.max(0, ...outputs.map((r) => r.fill)),
        watermark,
        watermarkLagMs: watermark === null || watermark === Number.MAX_SAFE_INTEGER ? null : now - watermark,
        lateRecordsDropped: sum(operators.map((o) => o.lateRecordsDropped)),
        stateKeys: sum(operators.map((o) => o.stateKeys)),
        stateBytes: stateBytes?.[spec.index] ?? null,
        timers: sum(operators.map((o) => o.timers)),
      };
    });
  }
}

/** A vertex's figures over its subtasks: counts and rates summed, busy and back-pressured ratios and fill the highest, watermark the lowest. */
export function vertexFigures(subtasks: readonly TaskMetrics[]): TaskMetrics {
  const total = (pick: (m: TaskMetrics) => number): number => sum(subtasks.map(pick));
  const highest = (pick: (m: TaskMetrics) => number): number => Math.max(0, ...subtasks.map(pick));
  const watermarks = subtasks.map((m) => m.watermark);
  const watermark = watermarks.length === 0 || watermarks.includes(null) ? null : Math.min(...(watermarks as number[]));
  const stateBytes = subtasks.map((m) => m.stateBytes);
  return {
    recordsIn: total((m) => m.recordsIn),
    recordsOut: total((m) => m.recordsOut),
    recordsInPerSecond: total((m) => m.recordsInPerSecond),
    recordsOutPerSecond: total((m) => m.recordsOutPerSecond),
    bytesIn: total((m) => m.bytesIn),
    bytesOut: total((m) => m.bytesOut),
    bytesInPerSecond: total((m) => m.bytesInPerSecond),
    bytesOutPerSecond: total((m) => m.bytesOutPerSecond),
    busyRatio: highest((m) => m.busyRatio),
    idleRatio: Math.min(1, ...subtasks.map((m) => m.idleRatio)),
    backPressuredRatio: highest((m) => m.backPressuredRatio),
    inputFill: highest((m) => m.inputFill),
    outputFill: highest((m) => m.outputFill),
    watermark,
    watermarkLagMs: watermark === null || watermark === Number.MAX_SAFE_INTEGER ? null : highest((m) => m.watermarkLagMs ?? 0),
    lateRecordsDropped: total((m) => m.lateRecordsDropped),
    stateKeys: total((m) => m.stateKeys),
    stateBytes: stateBytes.includes(null) ? null : sum(stateBytes as number[]),
    timers: total((m) => m.timers),
  };
}

/** Busy, idle and back-pressured shares of the time between two samples (or since the start). */
function timeRatios(now: ActorMetrics, then: ActorMetrics | undefined): Pick<TaskMetrics, 'busyRatio' | 'idleRatio' | 'backPressuredRatio'> {
  const elapsed = now.times.elapsedMs - (then?.times.elapsedMs ?? 0);
  if (elapsed <= 0) return { busyRatio: 0, idleRatio: 1, backPressuredRatio: 0 };
  const idle = Math.min(1, Math.max(0, (now.times.idleMs - (then?.times.idleMs ?? 0)) / elapsed));
  const backPressured = Math.min(1 - idle, Math.max(0, (now.times.backPressuredMs - (then?.times.backPressuredMs ?? 0)) / elapsed));
  return { busyRatio: 1 - idle - backPressured, idleRatio: idle, backPressuredRatio: backPressured };
}

function emptyNode(nodeId: number): NodeMetrics {
  return { nodeId, recordsIn: 0, recordsOut: 0, lateRecordsDropped: 0, keyedStateKeys: 0, recordsSkipped: 0, timers: 0, watermark: Number.NEGATIVE_INFINITY, outputWatermark: Number.NEGATIVE_INFINITY };
}

function sum(values: readonly number[]): number {
  let total = 0;
  for (const v of values) total += v;
  return total;
}
