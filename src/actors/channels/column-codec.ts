// The column encoding of a batch's values, for batches whose records all have one shape: numbers,
// strings and booleans field by field in flat columns, anything else as msgpack of its column.

import { Buffer } from 'node:buffer';
import type { Packr, Unpackr } from 'msgpackr';
import { malformedFrame } from './frame-kinds.js';
import { CAN_GENERATE_CODE } from '../../core/generated-code.js';
import {
  ColumnKind,
  columnWriter,
  fieldsOf,
  kindOf,
  NOT_THIS_SHAPE,
  proposeShape,
  recordBuilder,
  ShapeForm,
  shapeId,
  WRITTEN,
  type ColumnOutput,
  type ColumnWriter,
  type RecordShape,
} from './record-shapes.js';

// Column-encoded values (offsets from the start of this section, which is 8-byte aligned in its
// batch; the columns' numbers in native byte order, like the batch's timestamps):
//
//   offset 0   u8       form: 0 = scalars, 1 = tuples, 2 = objects (ShapeForm)
//   offset 1   u8       0
//   offset 2   u16 LE   width: columns per record
//   offset 4   u32 LE   key bytes: length of the keys (objects only, else 0)
//   offset 8   UTF-8    the keys, a JSON array of strings in record order (objects only)
//   then       u8 x width   each column's kind (ColumnKind)
//   then, 8-byte aligned, each column's fixed part, each 8-byte aligned:
//     number   f64 x count
//     boolean  u8 x count (0 or 1)
//     string   u32 x count: where each string ends in the column's block, in bytes
//     msgpack  nothing
//   then each string and msgpack column's variable part, in column order, each 8-byte aligned:
//     string   u32 block bytes, u32 1 if the block is ASCII, then the block: the strings' UTF-8
//              one after the other
//     msgpack  u32 length, u32 0, then msgpack of an array of the column's values

const NUMBER_BYTES = Float64Array.BYTES_PER_ELEMENT;
const U32_BYTES = Uint32Array.BYTES_PER_ELEMENT;
const SECTION_HEADER_BYTES = 8;
const VARIABLE_HEADER_BYTES = 8;
/** Shapes (encoder) or record builders (decoder) kept; beyond, the cache starts again. */
const MAX_CACHED_SHAPES = 256;
/**
 * ASCII strings are cut from chunks of about this many bytes of their block, each decoded at
 * once: one Buffer decode per string costs several times more than a cut. A cut of 13 or more
 * characters is a view that keeps its chunk alive, so a string kept for long keeps at most this
 * much more memory alive (as small Buffers keep Node's 8 KiB pool alive).
 */
const STRING_CHUNK_BYTES = 512;

/** How the encoder writes records of one shape with columns of given kinds. */
interface ColumnPlan {
  kinds: readonly ColumnKind[];
  /** Whether every column is msgpack: then the batch goes as msgpack instead. */
  allMsgpack: boolean;
  /** The section up to and with the column kinds. */
  head: Uint8Array;
  write: ColumnWriter;
}

/** What the encoder keeps per shape. */
interface EncoderShape {
  shape: RecordShape;
  /** Form, width, key bytes and keys: the section up to the column kinds. */
  keysHead: Uint8Array;
  /** The shape's plans, by their kinds (as a string of kind digits). */
  plans: Map<string, ColumnPlan>;
  /** The plan of the kinds the first record of the latest batch proposed, tried first. */
  proposed: ColumnPlan | null;
}

/** Writes batches whose records have one shape as columns. Not re-entrant; one per thread. */
export class ColumnEncoder {
  private bytes = new Uint8Array(1 << 16);
  private text = Buffer.from(this.bytes.buffer);
  private readonly out: ColumnOutput = {
    numbers: new Float64Array(this.bytes.buffer),
    bytes: this.bytes,
    words: new Uint32Array(this.bytes.buffer),
    positions: [],
    joined: [],
    msgpack: [],
  };
  private readonly shapes = new Map<string, EncoderShape>();
  private last: EncoderShape | null = null;

  /** `packr` writes the msgpack columns; its errors (values that cannot cross threads) propagate. */
  constructor(private readonly packr: Packr) {}

  /**
   * The column-encoded section for `values`, a view of the encoder's buffer valid until its next
   * `encode`; null when the records do not all have one shape or no column would be flat.
   */
  encode(values: readonly unknown[]): Uint8Array | null {
    if (values.length === 0 || !CAN_GENERATE_CODE) return null;
    const last = this.last;
    if (last !== null) {
      const end = this.write(last, values);
      if (end !== NOT_THIS_SHAPE && end !== null) return this.bytes.subarray(0, end);
    }
    // Not the latest shape, or all msgpack as if it were: the first record proposes the shape.
    const proposed = proposeShape(values[0]);
    if (proposed === null) return null;
    const shape = this.shapeFor(proposed);
    if (shape === last) return null;
    const end = this.write(shape, values);
    if (end === NOT_THIS_SHAPE || end === null) return null;
    this.last = shape;
    return this.bytes.subarray(0, end);
  }

  private shapeFor(proposed: RecordShape): EncoderShape {
    const id = shapeId(proposed);
    let shape = this.shapes.get(id);
    if (shape === undefined) {
      if (this.shapes.size >= MAX_CACHED_SHAPES) this.shapes.clear();
      shape = { shape: proposed, keysHead: sectionHead(proposed), plans: new Map(), proposed: null };
      this.shapes.set(id, shape);
    }
    return shape;
  }

  /** Writes the section for records of `shape` (see writeWithPlans), keeping no values after. */
  private write(shape: EncoderShape, values: readonly unknown[]): number | null {
    try {
      return this.writeWithPlans(shape, values);
    } finally {
      this.out.joined.length = 0;
      this.out.msgpack.length = 0;
    }
  }

  /**
   * Writes the section for records of `shape`: with the plan the previous batch's first record
   * proposed, else the one this batch's first record proposes, turning a column to msgpack when a
   * later value is not of its kind. Returns where the section ends; NOT_THIS_SHAPE; or null when
   * every column would be msgpack.
   */
  private writeWithPlans(shape: EncoderShape, values: readonly unknown[]): number | null {
    const count = values.length;
    let reproposed = shape.proposed === null;
    let plan = shape.proposed ?? this.propose(shape, values[0]);
    for (;;) {
      // The column with a value not of its kind, if any.
      let mismatch: number | null = null;
      if (!plan.allMsgpack) {
        const variableAt = this.layOut(plan, count);
        const result = plan.write(values, count, this.out);
        if (result === WRITTEN) return this.writeVariableParts(plan.kinds, variableAt, count);
        if (result === NOT_THIS_SHAPE) return NOT_THIS_SHAPE;
        mismatch = result;
      }
      if (!reproposed) {
        reproposed = true;
        const proposed = this.propose(shape, values[0]);
        if (proposed !== plan) {
          plan = proposed;
          continue;
        }
      }
      if (mismatch === null) return null;
      plan = this.planFor(shape, plan.kinds.map((kind, j) => (j === mismatch ? ColumnKind.MSGPACK : kind)));
    }
  }

  /** The plan of the kinds `first`'s fields propose, kept as the shape's first try. */
  private propose(shape: EncoderShape, first: unknown): ColumnPlan {
    shape.proposed = this.planFor(shape, fieldsOf(shape.shape, first).map(kindOf));
    return shape.proposed;
  }

  private planFor(shape: EncoderShape, kinds: ColumnKind[]): ColumnPlan {
    const id = kinds.join('');
    let plan = shape.plans.get(id);
    if (plan === undefined) {
      const head = new Uint8Array(shape.keysHead.length + kinds.length);
      head.set(shape.keysHead);
      head.set(kinds, shape.keysHead.length);
      const allMsgpack = kinds.every((kind) => kind === ColumnKind.MSGPACK);
      plan = { kinds, allMsgpack, head, write: columnWriter(shape.shape, kinds) };
      shape.plans.set(id, plan);
    }
    return plan;
  }

  /**
   * Writes the section's head, makes room for the columns' fixed parts and sets where each
   * starts (and slots for msgpack values); returns where the variable parts start.
   */
  private layOut(plan: ColumnPlan, count: number): number {
    const { head, kinds } = plan;
    let at = align(head.length);
    this.reserve(0, at + kinds.length * count * NUMBER_BYTES);
    this.bytes.set(head);
    const { positions, msgpack } = this.out;
    positions.length = 0;
    msgpack.length = 0;
    for (let j = 0; j < kinds.length; j++) {
      const kind = kinds[j]!;
      positions.push(kind === ColumnKind.NUMBER ? at / NUMBER_BYTES : kind === ColumnKind.STRING ? at / U32_BYTES : at);
      if (kind === ColumnKind.MSGPACK) msgpack[j] = new Array<unknown>(count);
      at += fixedPartBytes(kind, count);
    }
    return at;
  }

  private writeVariableParts(kinds: readonly ColumnKind[], variableAt: number, count: number): number {
    let at = variableAt;
    for (let j = 0; j < kinds.length; j++) {
      if (kinds[j] === ColumnKind.STRING) at = this.writeStringBlock(j, at, count);
      else if (kinds[j] === ColumnKind.MSGPACK) at = this.writeMsgpack(this.out.msgpack[j]!, at);
    }
    return at;
  }

  /** Writes string column j's block at `at`; its ends, in UTF-16 units so far, become bytes. */
  private writeStringBlock(j: number, at: number, count: number): number {
    const joined = this.out.joined[j]!;
    this.reserve(at, VARIABLE_HEADER_BYTES + joined.length * 3);
    // The strings are well formed (see kindOf), so their joined UTF-8 is each one's in turn.
    const blockBytes = this.text.write(joined, at + VARIABLE_HEADER_BYTES, 'utf8');
    const ascii = blockBytes === joined.length;
    if (!ascii) utf8Ends(joined, this.out.words, this.out.positions[j]!, count);
    this.out.words[at / U32_BYTES] = blockBytes;
    this.out.words[at / U32_BYTES + 1] = ascii ? 1 : 0;
    return align(at + VARIABLE_HEADER_BYTES + blockBytes);
  }

  private writeMsgpack(column: unknown[], at: number): number {
    const packed = this.packr.pack(column);
    this.reserve(at, VARIABLE_HEADER_BYTES + packed.length);
    this.out.words[at / U32_BYTES] = packed.length;
    this.out.words[at / U32_BYTES + 1] = 0;
    this.bytes.set(packed, at + VARIABLE_HEADER_BYTES);
    return align(at + VARIABLE_HEADER_BYTES + packed.length);
  }

  /** Makes room for `extra` more bytes (and alignment) past `at`, keeping what lies before. */
  private reserve(at: number, extra: number): void {
    const needed = at + extra + NUMBER_BYTES;
    if (needed <= this.bytes.length) return;
    const grown = new Uint8Array(2 ** Math.ceil(Math.log2(needed)));
    grown.set(this.bytes.subarray(0, at));
    this.bytes = grown;
    this.text = Buffer.from(grown.buffer);
    this.out.bytes = grown;
    this.out.numbers = new Float64Array(grown.buffer);
    this.out.words = new Uint32Array(grown.buffer);
  }
}

/** The section's bytes up to the column kinds, for records of `shape`. */
function sectionHead(shape: RecordShape): Uint8Array {
  const keys = shape.form === ShapeForm.OBJECT ? Buffer.from(JSON.stringify(shape.keys), 'utf8') : new Uint8Array(0);
  const head = new Uint8Array(SECTION_HEADER_BYTES + keys.length);
  const view = new DataView(head.buffer);
  view.setUint8(0, shape.form);
  view.setUint16(2, shape.width, true);
  view.setUint32(4, keys.length, true);
  head.set(keys, SECTION_HEADER_BYTES);
  return head;
}

/** The bytes of a column's fixed part, 8-byte aligned. */
function fixedPartBytes(kind: ColumnKind, count: number): number {
  switch (kind) {
    case ColumnKind.NUMBER:
      return count * NUMBER_BYTES;
    case ColumnKind.BOOLEAN:
      return align(count);
    case ColumnKind.STRING:
      return align(count * U32_BYTES);
    default:
      return 0;
  }
}

/**
 * Turns the ends of the strings joined in `joined`, `words[first ..]` in UTF-16 units, into
 * ends in UTF-8 bytes (for well-formed strings: a surrogate pair is 4 bytes).
 */
function utf8Ends(joined: string, words: Uint32Array, first: number, count: number): void {
  let unit = 0;
  let bytes = 0;
  for (let i = 0; i < count; i++) {
    const end = words[first + i]!;
    for (; unit < end; unit++) {
      const code = joined.charCodeAt(unit);
      bytes += code < 0x80 ? 1 : code < 0x800 ? 2 : code >= 0xd800 && code < 0xdc00 ? 4 : code >= 0xdc00 && code < 0xe000 ? 0 : 3;
    }
    words[first + i] = bytes;
  }
}

function align(at: number): number {
  return (at + NUMBER_BYTES - 1) & ~(NUMBER_BYTES - 1);
}

type BuildRecords = ReturnType<typeof recordBuilder>;

/** Node's Buffer string decoders behind `toString`, without its handling of arguments. */
interface DecodingBuffer extends Buffer {
  latin1Slice(start: number, end: number): string;
  utf8Slice(start: number, end: number): string;
}

/** Reads sections from `ColumnEncoder`. Not re-entrant; one per thread. */
export class ColumnDecoder {
  private readonly builders = new Map<string, BuildRecords>();
  /** The head (up to and with the kinds) of the latest section, and its builder. */
  private lastHead = new Uint8Array(0);
  private lastBuild: BuildRecords | null = null;
  private source: Buffer | null = null;
  private numbers: Float64Array = new Float64Array(0);
  private words: Uint32Array = new Uint32Array(0);

  /** `unpackr` reads the msgpack columns. */
  constructor(private readonly unpackr: Unpackr) {}

  /**
   * The `count` records of the section in `buffer` up to `end`. `buffer` must lie at an 8-byte
   * aligned offset and not in shared memory (strings are read with Buffer's decoders); the
   * records share no memory with it.
   */
  decode(buffer: Buffer, end: number, count: number): unknown[] {
    const source = buffer as DecodingBuffer;
    if (end < SECTION_HEADER_BYTES) throw malformedFrame(`${end} bytes of columns`);
    this.viewsOf(source);
    const width = source.readUInt16LE(2);
    const keysEnd = SECTION_HEADER_BYTES + source.readUInt32LE(4);
    const kindsEnd = keysEnd + width;
    if (kindsEnd > end) throw malformedFrame(`${end} bytes of columns for ${width} columns`);
    const build = this.builderFor(source, keysEnd, kindsEnd);
    const columns: ArrayLike<unknown>[] = [];
    const offsets: number[] = [];
    // The variable parts follow all fixed parts.
    let at = align(kindsEnd);
    for (let j = 0; j < width; j++) at += fixedPartBytes(source[keysEnd + j] as ColumnKind, count);
    let fixedAt = align(kindsEnd);
    for (let j = 0; j < width; j++) {
      const kind = source[keysEnd + j] as ColumnKind;
      if (at > end) throw malformedFrame(`${end} bytes of columns, column ${j} at ${at}`);
      switch (kind) {
        case ColumnKind.NUMBER:
          columns.push(this.numbers);
          offsets.push(fixedAt / NUMBER_BYTES);
          break;
        case ColumnKind.BOOLEAN:
          columns.push(source);
          offsets.push(fixedAt);
          break;
        case ColumnKind.STRING:
          columns.push(this.readStrings(source, fixedAt / U32_BYTES, at, count));
          offsets.push(0);
          at = align(at + VARIABLE_HEADER_BYTES + this.words[at / U32_BYTES]!);
          break;
        case ColumnKind.MSGPACK:
          columns.push(this.readMsgpack(source, at, count));
          offsets.push(0);
          at = align(at + VARIABLE_HEADER_BYTES + this.words[at / U32_BYTES]!);
          break;
        default:
          throw malformedFrame(`column kind ${kind as number}`);
      }
      fixedAt += fixedPartBytes(kind, count);
    }
    if (at !== end) throw malformedFrame(`${end} bytes of columns that end at ${at}`);
    return build(columns, offsets, count);
  }

  private viewsOf(source: Buffer): void {
    if (source === this.source) return;
    this.source = source;
    this.numbers = new Float64Array(source.buffer, source.byteOffset, source.byteLength / NUMBER_BYTES);
    this.words = new Uint32Array(source.buffer, source.byteOffset, source.byteLength / U32_BYTES);
  }

  private builderFor(source: DecodingBuffer, keysEnd: number, kindsEnd: number): BuildRecords {
    if (this.lastBuild !== null && sameBytes(this.lastHead, source, kindsEnd)) return this.lastBuild;
    const id = source.latin1Slice(0, kindsEnd);
    let build = this.builders.get(id);
    if (build === undefined) {
      const form = source[0] as ShapeForm;
      const width = kindsEnd - keysEnd;
      const keys: unknown = form === ShapeForm.OBJECT ? JSON.parse(source.utf8Slice(SECTION_HEADER_BYTES, keysEnd)) : [];
      const validKeys =
        Array.isArray(keys) &&
        keys.every((key) => typeof key === 'string' && key !== '__proto__') &&
        (form === ShapeForm.OBJECT ? keys.length === width : form === ShapeForm.TUPLE || width === 1);
      if (!validKeys) throw malformedFrame(`column shape ${id}`);
      if (this.builders.size >= MAX_CACHED_SHAPES) this.builders.clear();
      build = recordBuilder(form, keys as string[], [...source.subarray(keysEnd, kindsEnd)] as ColumnKind[]);
      this.builders.set(id, build);
    }
    this.lastHead = new Uint8Array(source.subarray(0, kindsEnd)); // a copy: Buffer#slice would be a view
    this.lastBuild = build;
    return build;
  }

  /** The strings of the column whose ends are at `words[ends ..]` and whose block is at `at`. */
  private readStrings(source: DecodingBuffer, ends: number, at: number, count: number): string[] {
    const words = this.words;
    const blockAt = at + VARIABLE_HEADER_BYTES;
    const blockEnd = blockAt + words[at / U32_BYTES]!;
    const strings: string[] = [];
    let start = blockAt;
    if (words[at / U32_BYTES + 1] === 1) {
      let chunk = '';
      let chunkAt = blockAt;
      let chunkEnd = blockAt;
      for (let i = 0; i < count; i++) {
        const end = blockAt + words[ends + i]!;
        if (end > chunkEnd) {
          chunkAt = start;
          chunkEnd = Math.min(blockEnd, Math.max(end, start + STRING_CHUNK_BYTES));
          chunk = source.latin1Slice(chunkAt, chunkEnd);
        }
        strings.push(chunk.slice(start - chunkAt, end - chunkAt));
        start = end;
      }
    } else {
      for (let i = 0; i < count; i++) {
        const end = blockAt + words[ends + i]!;
        strings.push(source.utf8Slice(start, end));
        start = end;
      }
    }
    if (start !== blockEnd) throw malformedFrame(`string column of ${blockEnd - blockAt} bytes ends at ${start - blockAt}`);
    return strings;
  }

  private readMsgpack(source: Buffer, at: number, count: number): unknown[] {
    const start = at + VARIABLE_HEADER_BYTES;
    const values: unknown = this.unpackr.unpack(source, { start, end: start + this.words[at / U32_BYTES]! });
    if (!Array.isArray(values) || values.length !== count) throw malformedFrame(`msgpack column of ${count} values`);
    return values;
  }
}

/** Whether `bytes` are the first `length` bytes of `source`. */
function sameBytes(bytes: Uint8Array, source: Uint8Array, length: number): boolean {
  if (bytes.length !== length) return false;
  for (let i = 0; i < length; i++) if (bytes[i] !== source[i]) return false;
  return true;
}
