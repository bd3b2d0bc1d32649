// A subtask's checkpoint file: what it holds and its encoding. The operators' own state and the
// source's splits are encoded at the barrier, the keyed state key group by key group after it
// (state/keyed-snapshot-task.ts), each part as bytes of its own inside the file's msgpack.

import { decodeSnapshot, encodeSnapshot } from '../checkpoint/snapshot-codec.js';
import { decodeKeyGroup } from '../state/keyed-operator-state.js';
import type { OperatorSnapshot } from './operator-chain.js';

/** Who wrote a checkpoint file. */
interface SubtaskHeader {
  readonly checkpointId: number;
  /** The chain's name ("Source -> Map"), for people reading a checkpoint. */
  readonly vertexName: string;
  readonly subtask: number;
  readonly parallelism: number;
}

/** A subtask's checkpoint file, decoded. */
export interface SubtaskSnapshot extends SubtaskHeader {
  readonly operators: readonly OperatorSnapshot[];
  /** For a source subtask: the source's uid and its reader's splits (undefined: the reader cannot resume). */
  readonly source: { readonly uid: string; readonly splits: readonly unknown[] | undefined } | undefined;
}

/** One operator's part, encoded: its own state at the barrier, and its key groups that hold state. */
export interface EncodedOperator {
  readonly uid: string;
  readonly state: Uint8Array | undefined;
  readonly keyed: readonly Uint8Array[] | undefined;
}

/** The file as stored (`formatVersion` 2: parts as bytes of their own). */
interface StoredSubtaskSnapshot extends SubtaskHeader {
  readonly formatVersion: 2;
  readonly operators: readonly EncodedOperator[];
  readonly source: { readonly uid: string; readonly splits: Uint8Array | undefined } | undefined;
}

/** Encodes a value taken at the barrier into bytes of its own (undefined stays undefined). */
export function encodePart(value: unknown): Uint8Array | undefined {
  return value === undefined ? undefined : encodeSnapshot(value);
}

export function encodeSubtaskFile(header: SubtaskHeader, operators: readonly EncodedOperator[], source: { uid: string; splits: Uint8Array | undefined } | undefined): Uint8Array {
  const stored: StoredSubtaskSnapshot = { formatVersion: 2, ...header, operators, source };
  return encodeSnapshot(stored);
}

export function decodeSubtaskFile(bytes: Uint8Array): SubtaskSnapshot {
  const stored = decodeSnapshot(bytes) as StoredSubtaskSnapshot;
  const decode = (part: Uint8Array | undefined): unknown => (part === undefined || part === null ? undefined : decodeSnapshot(part));
  return {
    checkpointId: stored.checkpointId,
    vertexName: stored.vertexName,
    subtask: stored.subtask,
    parallelism: stored.parallelism,
    operators: stored.operators.map((op) => ({
      uid: op.uid,
      state: decode(op.state),
      keyed: op.keyed?.map(decodeKeyGroup),
    })),
    source: stored.source === undefined || stored.source === null ? undefined : { uid: stored.source.uid, splits: decode(stored.source.splits) as unknown[] | undefined },
  };
}
