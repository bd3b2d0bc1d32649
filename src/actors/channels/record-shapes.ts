// Record shapes for the column encoding of batches: finding the one shape all records of a batch
// share, and the generated functions that take records apart into columns and build them again.

import { generate, plainObjectCheck } from '../../core/generated-code.js';

/** How the records of a column-encoded batch are built from its columns. */
export const ShapeForm = {
  /** Each record is the one column's value. */
  SCALAR: 0,
  /** Each record is an array of the columns' values, in column order. */
  TUPLE: 1,
  /** Each record is a plain object of the shape's keys, in key order, one column per key. */
  OBJECT: 2,
} as const;
export type ShapeForm = (typeof ShapeForm)[keyof typeof ShapeForm];

/** How a column's values are written. */
export const ColumnKind = {
  NUMBER: 1,
  STRING: 2,
  BOOLEAN: 3,
  /** Anything else: msgpack of the column's values. */
  MSGPACK: 4,
} as const;
export type ColumnKind = (typeof ColumnKind)[keyof typeof ColumnKind];

/** The shape of records: what the column encoding needs to take them apart and build them again. */
export interface RecordShape {
  form: ShapeForm;
  /** The keys of an object shape, in order; empty for the other forms. */
  keys: readonly string[];
  /** Columns per record: the keys of an object, the length of a tuple, 1 for a scalar. */
  width: number;
}

/**
 * The most columns a shape may have: wider records (long arrays, objects of many keys) go as
 * msgpack rather than as generated functions of that many fields.
 */
const MAX_COLUMNS = 256;

/**
 * The first record of a batch proposes its shape; null when it is not one the column encoding
 * takes (whatever the other records are, the batch then goes as msgpack).
 */
export function proposeShape(first: unknown): RecordShape | null {
  if (typeof first === 'number' || typeof first === 'string' || typeof first === 'boolean') {
    return { form: ShapeForm.SCALAR, keys: [], width: 1 };
  }
  if (Array.isArray(first)) return first.length > MAX_COLUMNS ? null : { form: ShapeForm.TUPLE, keys: [], width: first.length };
  if (typeof first !== 'object' || first === null || Object.getPrototypeOf(first) !== Object.prototype) return null;
  const keys = Object.keys(first);
  if (keys.length > MAX_COLUMNS) return null;
  // msgpackr renames a `__proto__` key and replaces lone surrogates: such records go as msgpack,
  // so that the column encoding never changes what arrives. The column writer tells plain
  // objects by their inherited `constructor`, which an own `constructor` key would hide.
  if (keys.some((key) => key === '__proto__' || key === 'constructor' || !isWellFormed(key))) return null;
  return { form: ShapeForm.OBJECT, keys, width: keys.length };
}

/** A string that tells shapes apart, for caches of what was generated for each. */
export function shapeId(shape: RecordShape): string {
  return shape.form === ShapeForm.OBJECT ? JSON.stringify(shape.keys) : `${shape.form}:${shape.width}`;
}

/** The values of `record`'s fields, in column order (for the first record, to propose kinds). */
export function fieldsOf(shape: RecordShape, record: unknown): unknown[] {
  switch (shape.form) {
    case ShapeForm.SCALAR:
      return [record];
    case ShapeForm.TUPLE:
      return Array.from({ length: shape.width }, (_, j) => (record as unknown[])[j]);
    case ShapeForm.OBJECT:
      return shape.keys.map((key) => (record as Record<string, unknown>)[key]);
  }
}

/** The kind of column a value would go into, were all the column's values like it. */
export function kindOf(value: unknown): ColumnKind {
  switch (typeof value) {
    case 'number':
      return ColumnKind.NUMBER;
    case 'boolean':
      return ColumnKind.BOOLEAN;
    case 'string':
      // msgpack replaces lone surrogates (with one to three U+FFFD, depending on the string's
      // length): such strings go as msgpack so that they arrive exactly as msgpack makes them.
      return isWellFormed(value) ? ColumnKind.STRING : ColumnKind.MSGPACK;
    default:
      return ColumnKind.MSGPACK;
  }
}

/** Where a column writer writes, kept by the encoder (its typed arrays view one buffer). */
export interface ColumnOutput {
  numbers: Float64Array;
  bytes: Uint8Array;
  words: Uint32Array;
  /**
   * Per column, where its fixed part starts, in elements of the array it is written to: numbers
   * for a number column, bytes for a boolean column, words for a string column (its ends).
   */
  positions: number[];
  /** Per string column, its strings joined, written by the writer. */
  joined: string[];
  /** Per msgpack column, an array of `count` slots for its values, filled by the writer. */
  msgpack: unknown[][];
}

/** What a column writer returns when it wrote all records. */
export const WRITTEN = -1;
/** What a column writer returns when a record does not have its shape. */
export const NOT_THIS_SHAPE = -2;

/**
 * Writes the first `count` records into columns of the writer's kinds, checking on the way that
 * each record has the writer's shape and each value the kind of its column. Returns WRITTEN,
 * NOT_THIS_SHAPE, or the index of the first column with a value not of its kind.
 */
export type ColumnWriter = (values: readonly unknown[], count: number, out: ColumnOutput) => number;

/** Generates the column writer for records of `shape` and columns of `kinds`. */
export function columnWriter(shape: RecordShape, kinds: readonly ColumnKind[]): ColumnWriter {
  const fields = kinds.map((kind, j) => {
    const read =
      shape.form === ShapeForm.SCALAR ? 'v' : shape.form === ShapeForm.TUPLE ? `v[${j}]` : `v[${JSON.stringify(shape.keys[j])}]`;
    switch (kind) {
      case ColumnKind.NUMBER:
        return `const f${j} = ${read}; if (typeof f${j} !== 'number') return ${j}; numbers[p${j} + i] = f${j};`;
      case ColumnKind.BOOLEAN:
        return `const f${j} = ${read}; if (typeof f${j} !== 'boolean') return ${j}; bytes[p${j} + i] = f${j} ? 1 : 0;`;
      case ColumnKind.STRING:
        return (
          `const f${j} = ${read}; if (typeof f${j} !== 'string' || !isWellFormed(f${j})) return ${j}; ` +
          `s${j} += f${j}; words[p${j} + i] = s${j}.length;`
        );
      case ColumnKind.MSGPACK:
        return `m${j}[i] = ${read};`;
    }
  });
  const locals = kinds.flatMap((kind, j) =>
    kind === ColumnKind.MSGPACK ? [`const m${j} = out.msgpack[${j}];`] : [`const p${j} = out.positions[${j}];`],
  );
  const strings = kinds.flatMap((kind, j) => (kind === ColumnKind.STRING ? [j] : []));
  const shapeCheck =
    shape.form === ShapeForm.SCALAR
      ? ''
      : shape.form === ShapeForm.TUPLE
        ? `if (!isArray(v) || v.length !== ${shape.width}) return ${NOT_THIS_SHAPE};`
        : plainObjectCheck(shape.keys, `return ${NOT_THIS_SHAPE};`);
  return generate(
    ['isArray', 'isWellFormed'],
    `return function write(values, count, out) {
      const numbers = out.numbers, bytes = out.bytes, words = out.words;
      ${locals.join('\n')}
      ${strings.map((j) => `let s${j} = '';`).join(' ')}
      for (let i = 0; i < count; i++) {
        const v = values[i];
        ${shapeCheck}
        ${fields.join('\n')}
      }
      ${strings.map((j) => `out.joined[${j}] = s${j};`).join(' ')}
      return ${WRITTEN};
    };`,
  )(Array.isArray, isWellFormed) as ColumnWriter;
}

/**
 * Builds the decoder's function that makes `count` records from a batch's columns. A column is
 * read as `columns[j][offsets[j] + i]`: number columns are a Float64Array and boolean columns a
 * Uint8Array over the whole decoded section, the others an array of their values. All records
 * come from one object literal, so V8 gives them one hidden class. Numbers get `+ 0`, which turns
 * -0 into 0 as msgpack does.
 */
export function recordBuilder(
  form: ShapeForm,
  keys: readonly string[],
  kinds: readonly ColumnKind[],
): (columns: ArrayLike<unknown>[], offsets: number[], count: number) => unknown[] {
  const fields = kinds.map((kind, j) => {
    switch (kind) {
      case ColumnKind.NUMBER:
        return `c${j}[o${j} + i] + 0`;
      case ColumnKind.BOOLEAN:
        return `c${j}[o${j} + i] !== 0`;
      default:
        return `c${j}[i]`;
    }
  });
  const record =
    form === ShapeForm.SCALAR
      ? fields[0]!
      : form === ShapeForm.TUPLE
        ? `[${fields.join(', ')}]`
        : `{ ${keys.map((key, j) => `${JSON.stringify(key)}: ${fields[j]}`).join(', ')} }`;
  const offsets = kinds.map((_, j) => `o${j} = offsets[${j}]`).join(', ');
  return generate(
    [],
    `return function build(columns, offsets, count) {
      ${declareColumns(kinds.length)}
      ${kinds.length === 0 ? '' : `const ${offsets};`}
      const records = [];
      for (let i = 0; i < count; i++) records.push(${record});
      return records;
    };`,
  )() as ReturnType<typeof recordBuilder>;
}

function declareColumns(width: number): string {
  return width === 0 ? '' : `const ${Array.from({ length: width }, (_, j) => `c${j} = columns[${j}]`).join(', ')};`;
}

const wellFormed = (String.prototype as unknown as { isWellFormed(this: string): boolean }).isWellFormed;

/** Whether `text` has no lone surrogates (msgpack would replace them). */
export function isWellFormed(text: string): boolean {
  return wellFormed.call(text);
}
