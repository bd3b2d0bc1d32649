// What a job reports of each checkpoint and savepoint it took or tried: when, how long, how large,
// how long alignment and each subtask's snapshot took, and why one failed.

import type { CheckpointKind } from '../checkpoint/checkpoint-metadata.js';

/** What happened to one checkpoint or savepoint. */
export interface CheckpointStats {
  readonly checkpointId: number;
  readonly kind: CheckpointKind;
  readonly status: 'completed' | 'failed';
  /** When it was triggered, epoch ms. */
  readonly triggeredAt: number;
  /** From the trigger to the last acknowledgement (completed) or to the failure, ms. */
  readonly durationMs: number;
  /** Bytes of all its subtask files. */
  readonly sizeBytes: number;
  /** The longest barrier alignment of any subtask, ms. */
  readonly alignmentMs: number;
  /**
   * Each subtask that acknowledged: `syncMs`, the time it spent on its snapshot instead of records
   * (at the barrier and in the slices that encoded its key groups, summed), and `asyncMs`, the
   * time writing its file took while it went on.
   */
  readonly subtasks: readonly { readonly operator: string; readonly subtask: number; readonly syncMs: number; readonly asyncMs: number; readonly alignmentMs: number; readonly bytes: number }[];
  /** Its folder. */
  readonly path: string;
  /** Why it failed. */
  readonly failure?: string;
}


/** A checkpoint or savepoint under way. */
export interface CheckpointInProgress {
  readonly checkpointId: number;
  readonly kind: CheckpointKind;
  readonly triggeredAt: number;
  /** Subtasks that acknowledged it so far. */
  readonly acknowledged: number;
}
