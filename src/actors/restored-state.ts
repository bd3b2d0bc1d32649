// What an actor restores from a checkpoint: it reads the files of the old subtasks the master
// chose for it and takes from them its operators' keyed state (each keeps the key groups it
// owns), the own state of the old subtasks assigned to it (old subtask j to new subtask
// j % parallelism), and, for a source, its share of the old readers' splits (round robin).

import { readSubtaskFile, type SubtaskFile } from '../checkpoint/checkpoint-storage.js';
import { decodeSubtaskFile } from './subtask-snapshot.js';
import type { RestoredOperators } from './operator-chain.js';

/** An actor's part of a checkpoint. */
export interface RestoredActor {
  readonly parts: readonly RestoredOperators[];
  /**
   * A source actor's splits to resume (possibly none), or undefined when the source starts
   * afresh: it is new in the job, or a reader of the checkpoint could not report its position.
   */
  readonly splits: readonly unknown[] | undefined;
  /** Every old reader's splits, for a source that assigns them itself; undefined with `splits`. */
  readonly allSplits: readonly unknown[] | undefined;
}

/** Reads and decodes `files` of checkpoint `folder` for subtask `subtask` of `parallelism`. */
export async function loadRestoredActor(
  folder: string,
  files: readonly SubtaskFile[],
  subtask: number,
  parallelism: number,
  sourceUid: string | undefined,
): Promise<RestoredActor> {
  const snapshots = await Promise.all(files.map(async (file) => decodeSubtaskFile(await readSubtaskFile(folder, file))));
  const parts = snapshots.map((s) => ({ operators: s.operators, ownState: s.subtask % parallelism === subtask }));
  const sources = snapshots.filter((s) => sourceUid !== undefined && s.source?.uid === sourceUid).sort((a, b) => a.subtask - b.subtask);
  if (sources.length === 0 || sources.some((s) => s.source!.splits === undefined)) return { parts, splits: undefined, allSplits: undefined };
  const all = sources.flatMap((s) => s.source!.splits!);
  return { parts, splits: all.filter((_, k) => k % parallelism === subtask), allSplits: all };
}
