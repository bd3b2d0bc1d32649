// What travels on a channel between two subtasks (Flink's StreamElement): batches of records,
// watermarks, watermark status, checkpoint barriers and the end of input, in order per channel.

/** Records, in the order they were emitted, with their timestamps (`null`: none has one). */
export interface RecordBatch {
  readonly kind: 'records';
  readonly values: unknown[];
  /** Epoch ms per record, `NO_TIMESTAMP` (NaN) for a record without one. */
  readonly timestamps: Float64Array | null;
}

/** No more records with timestamp <= `timestamp` will come on this channel. */
export interface Watermark {
  readonly kind: 'watermark';
  /** Epoch ms, or ±Infinity (+Infinity: the end of event time). */
  readonly timestamp: number;
}

/** The channel went idle (it no longer holds the watermark back) or active again. */
export interface WatermarkStatus {
  readonly kind: 'watermark-status';
  readonly idle: boolean;
}

/**
 * Checkpoint `checkpointId` passes here: what came before it on the channel belongs to the
 * checkpoint, what comes after it does not (Chandy-Lamport's marker).
 */
export interface CheckpointBarrier {
  readonly kind: 'barrier';
  readonly checkpointId: number;
  /** When the checkpoint was triggered, epoch ms. */
  readonly timestamp: number;
  /** Overtakes records instead of being aligned (not used yet). */
  readonly unaligned: boolean;
}

/** The producer will send nothing more on this channel. */
export interface EndOfInput {
  readonly kind: 'end-of-input';
}

/** Everything but records: what the runtime itself sends in band. */
export type ControlElement = Watermark | WatermarkStatus | CheckpointBarrier | EndOfInput;

export type StreamElement = RecordBatch | ControlElement;

/** The one end-of-input element. */
export const END_OF_INPUT: EndOfInput = Object.freeze({ kind: 'end-of-input' });
