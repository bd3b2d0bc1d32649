// The column encoding of a batch's values, for batches whose records all have one shape: numbers,
// strings and booleans field by field in flat columns, anything else as msgpack of its column.

import { Buffer } from 'node:buffer';
import type { Packr, Unpackr } from 'msgpackr';
import { malformedFrame } from './frame-kinds.js';
import {
  ColumnKind,
  gatherer,
  isWellFormed,
  proposeShape,
  recordBuilder,
  ShapeForm,
  shapeId,
  type Gather,
  type RecordShape,
} from './record-shapes.js';

// Column-encoded values (all offsets from the start of this section, which is 8-byte aligned in
// its batch; numbers in native byte order, like the batch's timestamps):
//
//   offset 0   u8       form: 0 = scalars, 1 = tuples, 2 = objects (ShapeForm)
//   offset 1   u8       0
//   offset 2   u16      width: columns per record
//   offset 4   u32      key bytes: length of the keys (objects only, else 0)
//   offset 8   UTF-8    the keys, a JSON array of strings in record order (objects only)
//   then       u8 x width   each column's kind (ColumnKind)
//   then, each column 8-byte aligned, one value per record:
//     number   f64 x count
//     boolean  u8 x count (0 or 1)
//     string   u32 block bytes, u32 1 if the block is ASCII, u32 x count: where each string ends
//              in the block, in bytes; then the block: the strings' UTF-8, one after the other
//     msgpack  u32 length, u32 0, then msgpack of an array of the column's values

const NUMBER_BYTES = Float64Array.BYTES_PER_ELEMENT;
const U32_BYTES = Uint32Array.BYTES_PER_ELEMENT;
const SECTION_HEADER_BYTES = 8;
const COLUMN_HEADER_BYTES = 8;
/** Shapes (encoder) or record builders (decoder) kept; beyond, the cache starts again. */
const MAX_CACHED_SHAPES = 256;
/**
 * V8 copies a substring shorter than this; a longer one is a view that keeps the whole string it
 * was cut from alive, so longer strings are decoded one by one instead.
 */
const SHORT_STRING_LENGTH = 13;

/** What the encoder keeps per shape: how to gather records and the section's first bytes. */
interface EncoderShape {
  width: number;
  gather: Gather;
  /** Form, width, key bytes and keys: the section up to the column kinds. */
  head: Uint8Array;
}

/** Writes batches whose records have one shape as columns. Not re-entrant; one per thread. */
export class ColumnEncoder {
  private bytes = new Uint8Array(1 << 16);
  private text = Buffer.from(this.bytes.buffer);
  private numbers = new Float64Array(this.bytes.buffer);
  private words = new Uint32Array(this.bytes.buffer);
  private at = 0;
  private readonly shapes = new Map<string, EncoderShape>();
  private last: EncoderShape | null = null;

  /** `packr` writes the msgpack columns; its errors (values that cannot cross threads) propagate. */
  constructor(private readonly packr: Packr) {}

  /**
   * The column-encoded section for `values`, a view of the encoder's buffer valid until its next
   * `encode`; null when the records do not all have one shape or no column would be flat.
   */
  encode(values: readonly unknown[]): Uint8Array | null {
    const count = values.length;
    if (count === 0) return null;
    const gathered = this.gather(values);
    if (gathered === null) return null;
    const { shape, columns } = gathered;
    const kinds = columns.map(kindOf);
    if (kinds.every((kind) => kind === ColumnKind.MSGPACK)) return null;
    this.at = 0;
    this.reserve(shape.head.length + kinds.length + NUMBER_BYTES);
    this.bytes.set(shape.head);
    this.bytes.set(kinds, shape.head.length);
    this.at = align(shape.head.length + kinds.length);
    for (let j = 0; j < columns.length; j++) this.writeColumn(kinds[j]!, columns[j]!);
    return this.bytes.subarray(0, this.at);
  }

  /** The shape of all records with each field's values, or null if they have no one shape. */
  private gather(values: readonly unknown[]): { shape: EncoderShape; columns: unknown[][] } | null {
    const count = values.length;
    const last = this.last;
    if (last !== null) {
      const columns = newColumns(last.width, count);
      if (last.gather(values, count, columns)) return { shape: last, columns };
    }
    const proposed = proposeShape(values[0]);
    if (proposed === null) return null;
    const shape = this.shapeFor(proposed);
    if (shape === last) return null;
    const columns = newColumns(shape.width, count);
    if (!shape.gather(values, count, columns)) return null;
    this.last = shape;
    return { shape, columns };
  }

  private shapeFor(proposed: RecordShape): EncoderShape {
    const id = shapeId(proposed);
    let shape = this.shapes.get(id);
    if (shape === undefined) {
      if (this.shapes.size >= MAX_CACHED_SHAPES) this.shapes.clear();
      shape = { width: proposed.width, gather: gatherer(proposed), head: sectionHead(proposed) };
      this.shapes.set(id, shape);
    }
    return shape;
  }

  private writeColumn(kind: ColumnKind, column: unknown[]): void {
    switch (kind) {
      case ColumnKind.NUMBER:
        return this.writeNumbers(column as number[]);
      case ColumnKind.BOOLEAN:
        return this.writeBooleans(column as boolean[]);
      case ColumnKind.STRING:
        return this.writeStrings(column as string[]);
      case ColumnKind.MSGPACK:
        return this.writeMsgpack(column);
    }
  }

  private writeNumbers(column: number[]): void {
    this.reserve(column.length * NUMBER_BYTES);
    const numbers = this.numbers;
    const first = this.at / NUMBER_BYTES;
    for (let i = 0; i < column.length; i++) numbers[first + i] = column[i]!;
    this.at += column.length * NUMBER_BYTES;
  }

  private writeBooleans(column: boolean[]): void {
    this.reserve(column.length);
    const bytes = this.bytes;
    const first = this.at;
    for (let i = 0; i < column.length; i++) bytes[first + i] = column[i]! ? 1 : 0;
    this.at = align(first + column.length);
  }

  private writeStrings(column: string[]): void {
    const count = column.length;
    this.reserve(COLUMN_HEADER_BYTES + count * U32_BYTES);
    const head = this.at / U32_BYTES;
    const ends = head + COLUMN_HEADER_BYTES / U32_BYTES;
    // One write of all strings joined is much faster than one per string. The strings are well
    // formed (see kindOf), so the joined UTF-8 is each string's UTF-8 in turn.
    let joined = '';
    for (let i = 0; i < count; i++) {
      joined += column[i]!;
      this.words[ends + i] = joined.length;
    }
    const blockAt = this.at + COLUMN_HEADER_BYTES + count * U32_BYTES;
    this.at = blockAt;
    this.reserve(joined.length * 3);
    const blockBytes = this.text.write(joined, blockAt, 'utf8');
    const ascii = blockBytes === joined.length;
    if (!ascii) {
      let end = 0;
      for (let i = 0; i < count; i++) this.words[ends + i] = end += Buffer.byteLength(column[i]!, 'utf8');
    }
    this.words[head] = blockBytes;
    this.words[head + 1] = ascii ? 1 : 0;
    this.at = align(blockAt + blockBytes);
  }

  private writeMsgpack(column: unknown[]): void {
    const packed = this.packr.pack(column);
    this.reserve(COLUMN_HEADER_BYTES + packed.length);
    this.words[this.at / U32_BYTES] = packed.length;
    this.words[this.at / U32_BYTES + 1] = 0;
    this.bytes.set(packed, this.at + COLUMN_HEADER_BYTES);
    this.at = align(this.at + COLUMN_HEADER_BYTES + packed.length);
  }

  /** Makes room for `extra` more bytes (and alignment) past `at`, keeping what is written. */
  private reserve(extra: number): void {
    const needed = this.at + extra + NUMBER_BYTES;
    if (needed <= this.bytes.length) return;
    const grown = new Uint8Array(2 ** Math.ceil(Math.log2(needed)));
    grown.set(this.bytes.subarray(0, this.at));
    this.bytes = grown;
    this.text = Buffer.from(grown.buffer);
    this.numbers = new Float64Array(grown.buffer);
    this.words = new Uint32Array(grown.buffer);
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

function newColumns(width: number, count: number): unknown[][] {
  return Array.from({ length: width }, () => new Array<unknown>(count));
}

/** How a column is written: flat when all its values are of one flat type, else msgpack. */
function kindOf(column: unknown[]): ColumnKind {
  switch (typeof column[0]) {
    case 'number':
      for (let i = 1; i < column.length; i++) if (typeof column[i] !== 'number') return ColumnKind.MSGPACK;
      return ColumnKind.NUMBER;
    case 'boolean':
      for (let i = 1; i < column.length; i++) if (typeof column[i] !== 'boolean') return ColumnKind.MSGPACK;
      return ColumnKind.BOOLEAN;
    case 'string':
      // msgpack replaces lone surrogates (with one to three U+FFFD, depending on the string's
      // length): such strings go as msgpack so that they arrive exactly as msgpack makes them.
      for (let i = 0; i < column.length; i++) {
        const value = column[i];
        if (typeof value !== 'string' || !isWellFormed(value)) return ColumnKind.MSGPACK;
      }
      return ColumnKind.STRING;
    default:
      return ColumnKind.MSGPACK;
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
  private source: Buffer | null = null;
  private numbers: Float64Array = new Float64Array(0);
  private words: Uint32Array = new Uint32Array(0);

  /** `unpackr` reads the msgpack columns. */
  constructor(private readonly unpackr: Unpackr) {}

  /**
   * The `count` records of the section in `source` up to `end`. `source` must be 8-byte aligned
   * and not shared memory (the strings are read with Buffer's decoders); the records share no
   * memory with it.
   */
  decode(buffer: Buffer, end: number, count: number): unknown[] {
    const source = buffer as DecodingBuffer;
    if (end < SECTION_HEADER_BYTES) throw malformedFrame(`${end} bytes of columns`);
    this.viewsOf(source);
    const width = source[2]! | (source[3]! << 8);
    const keysEnd = SECTION_HEADER_BYTES + this.words[1]!;
    const kindsEnd = keysEnd + width;
    if (kindsEnd > end) throw malformedFrame(`${end} bytes of columns for ${width} columns`);
    const build = this.builderFor(source, keysEnd, kindsEnd);
    const columns: ArrayLike<unknown>[] = [];
    const offsets: number[] = [];
    let at = align(kindsEnd);
    for (let j = 0; j < width; j++) {
      const kind = source[keysEnd + j] as ColumnKind;
      switch (kind) {
        case ColumnKind.NUMBER:
          columns.push(this.numbers);
          offsets.push(at / NUMBER_BYTES);
          at += count * NUMBER_BYTES;
          break;
        case ColumnKind.BOOLEAN:
          columns.push(source);
          offsets.push(at);
          at = align(at + count);
          break;
        case ColumnKind.STRING:
          columns.push(this.readStrings(source, at, count));
          offsets.push(0);
          at = align(at + COLUMN_HEADER_BYTES + count * U32_BYTES + this.words[at / U32_BYTES]!);
          break;
        case ColumnKind.MSGPACK:
          columns.push(this.readMsgpack(source, at, count));
          offsets.push(0);
          at = align(at + COLUMN_HEADER_BYTES + this.words[at / U32_BYTES]!);
          break;
        default:
          throw malformedFrame(`column kind ${kind as number}`);
      }
      if (at > end) throw malformedFrame(`${end} bytes of columns, column ${j} ends at ${at}`);
    }
    return build(columns, offsets, count);
  }

  private viewsOf(source: Buffer): void {
    if (source === this.source) return;
    this.source = source;
    this.numbers = new Float64Array(source.buffer, source.byteOffset, source.byteLength / NUMBER_BYTES);
    this.words = new Uint32Array(source.buffer, source.byteOffset, source.byteLength / U32_BYTES);
  }

  private builderFor(source: DecodingBuffer, keysEnd: number, kindsEnd: number): BuildRecords {
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
    return build;
  }

  private readStrings(source: DecodingBuffer, at: number, count: number): string[] {
    const head = at / U32_BYTES;
    const ends = head + COLUMN_HEADER_BYTES / U32_BYTES;
    const blockAt = at + COLUMN_HEADER_BYTES + count * U32_BYTES;
    const blockEnd = blockAt + this.words[head]!;
    const words = this.words;
    const strings: string[] = [];
    let start = blockAt;
    if (words[head + 1] === 1) {
      const block = source.latin1Slice(blockAt, blockEnd);
      for (let i = 0; i < count; i++) {
        const end = blockAt + words[ends + i]!;
        strings.push(end - start < SHORT_STRING_LENGTH ? block.slice(start - blockAt, end - blockAt) : source.latin1Slice(start, end));
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
    const start = at + COLUMN_HEADER_BYTES;
    const values: unknown = this.unpackr.unpack(source, { start, end: start + this.words[at / U32_BYTES]! });
    if (!Array.isArray(values) || values.length !== count) throw malformedFrame(`msgpack column of ${count} values`);
    return values;
  }
}
