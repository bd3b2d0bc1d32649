// Plans a job: the StreamGraph the API recorded, with the settings the main thread resolved, into
// what the runtime deploys (job graph, execution plan, uids and the graph's fingerprint). The main
// thread and every worker plan the same graph with the same settings, so they get the same plan.

import type { PlannedJob, PlanSettings, StreamNode } from '../core/job-plan.js';
import { defaultMaxParallelism } from '../core/key-groups.js';
import { buildExecutionPlan } from './execution-plan.js';
import { buildJobGraph, resolveParallelism } from './job-graph.js';
import type { StreamGraph } from './stream-graph.js';

/** The settings as the main thread resolves them: key groups follow the highest parallelism unless set. */
export function resolvePlanSettings(graph: StreamGraph, settings: PlanSettings): PlanSettings & { readonly maxParallelism: number } {
  const maxParallelism = settings.maxParallelism ?? defaultMaxParallelism(Math.max(...resolveParallelism(graph, settings.defaultParallelism)));
  return { ...settings, maxParallelism };
}

/**
 * A node's uid: the one given with `uid()`, else one made of its kind and its place in the graph,
 * which stays the same while the job is built the same way. State is matched to operators by it.
 */
export function nodeUid(node: StreamNode): string {
  return node.uid ?? `${node.type}#${node.id}`;
}

export function planJob(graph: StreamGraph, settings: PlanSettings): PlannedJob {
  const { defaultParallelism, maxParallelism, maxThreads } = resolvePlanSettings(graph, settings);
  const job = buildJobGraph(graph, defaultParallelism, maxParallelism);
  return {
    nodes: graph.nodes,
    uids: graph.nodes.map(nodeUid),
    job,
    plan: buildExecutionPlan(job, maxThreads),
    fingerprint: graph.fingerprint(),
  };
}
