// The encoding of a subtask's snapshot in its checkpoint file: msgpack with the options records
// use, so every value state may hold (a record, a bigint, a Map) is stored exactly.

import type { Packr, Unpackr } from 'msgpackr';
import { StreamError } from '../core/errors.js';
import { lazyModule } from '../core/lazy-module.js';
import { MSGPACK_OPTIONS } from '../core/msgpack-options.js';

// msgpackr's CommonJS build, a second copy of its code beside the ES module the record codec
// (actors/channels/batch-codec.ts) imports. V8 keeps type feedback per copy of a function: when one
// copy encoded both records and snapshots, the snapshots' many object shapes made the record
// encoder's property accesses megamorphic for the rest of the thread's life, and one small
// snapshot halved a thread's record encoding rate (22.8 -> 11.9 M records/s, batches of 1024
// `{ key, value }`; with its own copy: 23.1 -> 23.6). The bytes are the same either way.
// Loaded when a thread first snapshots or restores: a job without checkpoints never loads it.
const msgpackrCopy = lazyModule<typeof import('msgpackr')>('msgpackr');

let codec: { packr: Packr; unpackr: Unpackr } | undefined;

function snapshotCodec(): NonNullable<typeof codec> {
  if (codec !== undefined) return codec;
  const msgpackr = msgpackrCopy();
  const packr = new msgpackr.Packr({
    ...MSGPACK_OPTIONS,
    writeFunction: () => {
      throw new TypeError('functions cannot be stored in a checkpoint');
    },
  });
  return (codec = { packr, unpackr: new msgpackr.Unpackr(MSGPACK_OPTIONS) });
}

/** Encodes a snapshot (plain data) into bytes of its own: nothing is shared with the value afterwards. */
export function encodeSnapshot(snapshot: unknown): Uint8Array {
  try {
    return snapshotCodec().packr.pack(snapshot);
  } catch (error) {
    throw new StreamError(
      'RECORD_NOT_ENCODABLE',
      `A checkpoint could not store the operators' state: ${error instanceof Error ? error.message : String(error)}. ` +
        'Keyed state and operator state must be plain data (objects, arrays, strings, numbers, bigints, Date, Map, Set, typed arrays), not functions or class instances with methods that matter.',
      { domain: 'user', cause: error },
    );
  }
}

/** Decodes a snapshot from its checkpoint file. */
export function decodeSnapshot(bytes: Uint8Array): unknown {
  return snapshotCodec().unpackr.unpack(bytes);
}

/**
 * A copy of `value` that a snapshot may hold while the original changes: arrays, plain objects,
 * Maps and Sets copied by hand (an order of magnitude faster than msgpack for small values),
 * anything else (class instances, dates, typed arrays, buffers) by encoding and decoding it, so
 * it is what a restore would give; primitives as they are.
 */
export function copyForSnapshot(value: unknown): unknown {
  if (typeof value !== 'object' || value === null) return value;
  if (Array.isArray(value)) return value.map(copyForSnapshot);
  const proto: unknown = Object.getPrototypeOf(value);
  if (proto === Object.prototype || proto === null) {
    const copy: Record<string, unknown> = {};
    for (const key of Object.keys(value)) copy[key] = copyForSnapshot((value as Record<string, unknown>)[key]);
    return copy;
  }
  if (proto === Map.prototype) {
    const copy = new Map<unknown, unknown>();
    for (const [k, v] of value as Map<unknown, unknown>) copy.set(copyForSnapshot(k), copyForSnapshot(v));
    return copy;
  }
  if (proto === Set.prototype) return new Set([...(value as Set<unknown>)].map(copyForSnapshot));
  return snapshotCodec().unpackr.unpack(encodeSnapshot(value));
}
