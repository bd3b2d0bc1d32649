// Checks that a checkpoint fits the job that restores from it and decides which of its files each
// actor reads: those of the old subtasks whose key groups overlap its own (keyed state), those of
// the old subtasks assigned to it (j % parallelism: operator state), and all of a source's (its
// splits are spread over the new readers).

import type { RestoreFiles } from '../actors/thread-task.js';
import type { CheckpointMetadata, SubtaskFile } from '../checkpoint/checkpoint-storage.js';
import { StreamError } from '../core/errors.js';
import type { PlannedJob } from '../core/job-plan.js';
import { keyGroupRangeForSubtask } from '../core/key-groups.js';

/** A checkpoint or savepoint to start from. */
export interface RestoreSource {
  readonly folder: string;
  readonly metadata: CheckpointMetadata;
  /** Whether state of operators the job no longer has may be left behind. */
  readonly allowNonRestoredState: boolean;
}

/** Refuses a checkpoint that does not fit the job, with a sentence saying what differs. */
export function checkRestore(source: RestoreSource, planned: PlannedJob): void {
  const { metadata, folder } = source;
  if (metadata.maxParallelism !== planned.job.maxParallelism) {
    throw new StreamError(
      'STATE_MISMATCH',
      `The checkpoint ${folder} has ${metadata.maxParallelism} key groups (maxParallelism) but the job has ${planned.job.maxParallelism}: keyed state cannot move to another number of key groups. ` +
        `Remove env.setMaxParallelism(${planned.job.maxParallelism}), or set it to ${metadata.maxParallelism}.`,
    );
  }
  const uids = new Set(planned.uids);
  const missing = metadata.operators.filter((op) => !uids.has(op.uid));
  if (missing.length > 0 && !source.allowNonRestoredState) {
    const names = missing.map((op) => `"${op.name}" (uid ${op.uid})`).join(', ');
    throw new StreamError(
      'STATE_MISMATCH',
      `The checkpoint ${folder} holds state of ${names}, which the job no longer has. Give the operators the uid() they had, ` +
        "or pass { allowNonRestoredState: true } to env.restoreFrom to leave that state behind.",
    );
  }
}

/** The files each actor of `planned` reads from the checkpoint (by actor index). */
export function planRestoreFiles(source: RestoreSource, planned: PlannedJob): RestoreFiles {
  const byUid = new Map(source.metadata.operators.map((op) => [op.uid, op]));
  const maxParallelism = planned.job.maxParallelism;
  const actors = planned.plan.actors.map((spec) => {
    const files = new Map<string, SubtaskFile>();
    const take = (file: SubtaskFile): void => void files.set(file.name, file);
    for (const nodeId of planned.job.vertices[spec.vertexId]!.nodeIds) {
      const node = planned.nodes[nodeId]!;
      const old = byUid.get(planned.uids[nodeId]!);
      if (old === undefined) continue;
      old.files.forEach((file, j) => {
        if (node.kind === 'source' || j % spec.parallelism === spec.subtask) take(file);
        else if (node.keySelector !== undefined && overlaps(keyGroupRangeForSubtask(maxParallelism, old.parallelism, j), spec.keyGroupRange)) take(file);
      });
    }
    return [...files.values()];
  });
  return { folder: source.folder, checkpointId: source.metadata.checkpointId, actors };
}

function overlaps(a: { start: number; end: number }, b: { readonly start: number; readonly end: number }): boolean {
  return a.start <= b.end && b.start <= a.end;
}
