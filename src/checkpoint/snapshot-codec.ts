// The encoding of a subtask's snapshot in its checkpoint file: msgpack with the options records
// use, so every value state may hold (a record, a bigint, a Map) is stored exactly.

import { Packr, Unpackr } from 'msgpackr';
import { StreamError } from '../core/errors.js';
import { MSGPACK_OPTIONS } from '../core/msgpack-options.js';

const packr = new Packr({
  ...MSGPACK_OPTIONS,
  writeFunction: () => {
    throw new TypeError('functions cannot be stored in a checkpoint');
  },
});
const unpackr = new Unpackr(MSGPACK_OPTIONS);

/** Encodes a snapshot (plain data) into bytes of its own: nothing is shared with the value afterwards. */
export function encodeSnapshot(snapshot: unknown): Uint8Array {
  try {
    return packr.pack(snapshot);
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
  return unpackr.unpack(bytes);
}
