// Record shapes for the column encoding of batches: finding the one shape all records of a batch
// share, and the generated functions that take records apart into columns and build them again.

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
 * Copies field j of the first `count` records into `columns[j]`, checking on the way that each
 * record has the gatherer's shape; false as soon as one does not.
 */
export type Gather = (values: readonly unknown[], count: number, columns: unknown[][]) => boolean;

/**
 * The shape the first record of a batch proposes; null when it is not one the column encoding
 * takes (whatever the other records are, the batch then goes as msgpack).
 */
export function proposeShape(first: unknown): RecordShape | null {
  if (typeof first === 'number' || typeof first === 'string' || typeof first === 'boolean') {
    return { form: ShapeForm.SCALAR, keys: [], width: 1 };
  }
  if (Array.isArray(first)) return { form: ShapeForm.TUPLE, keys: [], width: first.length };
  if (typeof first !== 'object' || first === null || Object.getPrototypeOf(first) !== Object.prototype) return null;
  const keys = Object.keys(first);
  // msgpackr renames a `__proto__` key and replaces lone surrogates: such records go as msgpack,
  // so that the column encoding never changes what arrives.
  if (keys.some((key) => key === '__proto__' || !isWellFormed(key))) return null;
  return { form: ShapeForm.OBJECT, keys, width: keys.length };
}

/** A string that tells shapes apart, for caches of what was generated for each. */
export function shapeId(shape: RecordShape): string {
  return shape.form === ShapeForm.OBJECT ? JSON.stringify(shape.keys) : `${shape.form}:${shape.width}`;
}

/** The generated function that gathers records of `shape` into columns. */
export function gatherer(shape: RecordShape): Gather {
  switch (shape.form) {
    case ShapeForm.SCALAR:
      return gatherScalars;
    case ShapeForm.TUPLE:
      return tupleGatherer(shape.width);
    case ShapeForm.OBJECT:
      return objectGatherer(shape.keys);
  }
}

function gatherScalars(values: readonly unknown[], count: number, columns: unknown[][]): boolean {
  const column = columns[0]!;
  for (let i = 0; i < count; i++) {
    const value = values[i];
    const type = typeof value;
    if (type !== 'number' && type !== 'string' && type !== 'boolean') return false;
    column[i] = value;
  }
  return true;
}

function tupleGatherer(length: number): Gather {
  const copies = Array.from({ length }, (_, j) => `c${j}[i] = v[${j}];`).join(' ');
  return generate(
    ['isArray'],
    `return function gather(values, count, columns) {
      ${declareColumns(length)}
      for (let i = 0; i < count; i++) {
        const v = values[i];
        if (!isArray(v) || v.length !== ${length}) return false;
        ${copies}
      }
      return true;
    };`,
  )(Array.isArray) as Gather;
}

function objectGatherer(keys: readonly string[]): Gather {
  const copies = keys.map((key, j) => `c${j}[i] = v[${JSON.stringify(key)}];`).join(' ');
  // `for in` lists own enumerable string keys in order (and inherited enumerable ones, of which
  // Object.prototype has none unless polluted, in which case no record matches): a record with
  // another key order, an extra or a missing key fails the comparison without allocating.
  return generate(
    ['keys', 'getPrototypeOf', 'objectPrototype'],
    `return function gather(values, count, columns) {
      ${declareColumns(keys.length)}
      for (let i = 0; i < count; i++) {
        const v = values[i];
        if (typeof v !== 'object' || v === null || getPrototypeOf(v) !== objectPrototype) return false;
        let n = 0;
        for (const key in v) if (key !== keys[n++]) return false;
        if (n !== ${keys.length}) return false;
        ${copies}
      }
      return true;
    };`,
  )(keys, Object.getPrototypeOf, Object.prototype) as Gather;
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

/**
 * Runs generated source, which returns the generated function. Keys enter the source only as JSON
 * string literals, which are valid JavaScript string literals for any key.
 */
function generate(parameters: string[], body: string): (...args: unknown[]) => unknown {
  return new Function(...parameters, body) as (...args: unknown[]) => unknown;
}

const wellFormed = (String.prototype as unknown as { isWellFormed(this: string): boolean }).isWellFormed;

/** Whether `text` has no lone surrogates (msgpack would replace them). */
export function isWellFormed(text: string): boolean {
  return wellFormed.call(text);
}
