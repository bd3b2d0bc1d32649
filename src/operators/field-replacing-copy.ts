// A copy of an object record with one field replaced, as the rolling aggregations make on every
// update: a function generated for the records' shape (an object literal, about twice as fast as
// a spread and a set on decoded records), with the spread as the path for anything else.

import { CAN_GENERATE_CODE, generate, plainObjectCheck } from '../core/generated-code.js';

type Copier = (record: object, value: unknown) => object | undefined;

/** How many shapes one aggregation generates a copier for before it keeps to the spread. */
const MAX_SHAPES = 8;

/** Copies an object record with one field set to a value. */
export type FieldReplacingCopy = (record: object, value: unknown) => object;

/** Returns a function that copies an object record with `field` set to a value. */
export function fieldReplacingCopy(field: string): FieldReplacingCopy {
  let copier: Copier | undefined;
  let shapes = 0;
  return (record, value) => {
    const copy = copier?.(record, value);
    if (copy !== undefined) return copy;
    if (shapes < MAX_SHAPES && CAN_GENERATE_CODE && isPlainObject(record)) {
      const keys = Object.keys(record);
      if (keys.includes(field)) {
        shapes++;
        copier = shapeCopier(keys, field);
        return copier(record, value) ?? spreadCopy(record, field, value);
      }
    }
    return spreadCopy(record, field, value);
  };
}

/**
 * Whether a record is a plain object, whose copy is its string-keyed fields. Symbol keys are not
 * copied: a record never has them after crossing from one operator's thread to the next, which
 * every record of a keyed stream does in a job.
 */
function isPlainObject(record: object): boolean {
  return record.constructor === Object;
}

/** Spread, then set: a computed key inside the literal is several times slower on decoded records. */
function spreadCopy(record: object, field: string, value: unknown): object {
  const copy: Record<string, unknown> = { ...record };
  copy[field] = value;
  return copy;
}

/**
 * A copier for plain objects with exactly `keys`, in order: undefined for any other value. It
 * reads each field once, as the spread does (getters included), and keeps the key order.
 */
function shapeCopier(keys: readonly string[], field: string): Copier {
  const fields = keys.map((key) => `${JSON.stringify(key)}: ${key === field ? 'value' : `v[${JSON.stringify(key)}]`}`);
  return generate(
    [],
    `return function copy(v, value) {
      ${plainObjectCheck(keys, 'return undefined;')}
      return { ${fields.join(', ')} };
    };`,
  )() as Copier;
}
