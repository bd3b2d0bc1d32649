// The reduce functions behind KeyedStream.sum/min/max: like Flink's SumAggregator and
// ComparableAggregator, the result is the first record of the key with the field replaced by the
// running aggregate (min/max keep the other fields of the first record, not of the extreme one):
// a copy per update, or under object reuse one copy of the key's first record, updated in place.

import { StreamError } from '../core/errors.js';
import { fieldReplacingCopy, type FieldReplacingCopy } from './field-replacing-copy.js';

/** What `sum`, `min` and `max` aggregate: a field of an object record, an index of an array record, or undefined for numeric records. */
export type FieldRef = string | number | undefined;

export type Aggregation = 'sum' | 'min' | 'max';

function readNumber(record: unknown, field: FieldRef, aggregation: Aggregation): number | bigint {
  const value = field === undefined ? record : (record as Record<string | number, unknown>)?.[field];
  if (typeof value === 'number' || typeof value === 'bigint') return value;
  const where = field === undefined ? 'the record' : `field ${JSON.stringify(field)} of the record`;
  throw new StreamError(
    'INVALID_ARGUMENT',
    `${aggregation}(${field === undefined ? '' : JSON.stringify(field)}): ${where} is ${value === null ? 'null' : typeof value}, not a number. ` +
      `Name a numeric field (e.g. ${aggregation}('amount')), or map the records to numbers first.`,
  );
}

/** Sets the field on the record itself: under object reuse, where nothing holds an emitted record. */
function setField<T>(record: T, field: FieldRef, value: number | bigint): T {
  if (field === undefined) return value as T;
  (record as Record<string | number, unknown>)[field] = value;
  return record;
}

function withField<T>(record: T, field: FieldRef, value: number | bigint, copyObject: FieldReplacingCopy | undefined): T {
  if (field === undefined) return value as T;
  if (Array.isArray(record)) {
    const copy = record.slice();
    copy[field as number] = value;
    return copy as T;
  }
  return copyObject!(record as object, value) as T;
}

/**
 * Builds the rolling reduce function for an aggregation over `field`; `inPlace`: update the
 * accumulator itself instead of a copy (object reuse, with nothing keeping emitted records).
 */
export function aggregationReducer<T>(aggregation: Aggregation, field: FieldRef, inPlace = false): (acc: T, next: T) => T {
  const copy = field === undefined || inPlace ? undefined : fieldReplacingCopy(String(field));
  const replace = inPlace ? setField : (record: T, f: FieldRef, value: number | bigint): T => withField(record, f, value, copy);
  switch (aggregation) {
    case 'sum':
      return (acc, next) => replace(acc, field, (readNumber(acc, field, 'sum') as number) + (readNumber(next, field, 'sum') as number));
    case 'min':
      return (acc, next) => {
        const current = readNumber(acc, field, 'min');
        const candidate = readNumber(next, field, 'min');
        return candidate < current ? replace(acc, field, candidate) : acc;
      };
    case 'max':
      return (acc, next) => {
        const current = readNumber(acc, field, 'max');
        const candidate = readNumber(next, field, 'max');
        return candidate > current ? replace(acc, field, candidate) : acc;
      };
  }
}

/**
 * Makes a key's first result from its first record, checked so that a bad field fails on the
 * first record, not the second. `inPlace`: a copy, which the aggregation then updates in place;
 * the record itself is never changed (whatever else received it may still hold it).
 */
export function aggregationFirst<T>(aggregation: Aggregation, field: FieldRef, inPlace = false): (record: T) => T {
  const copy = field === undefined || !inPlace ? undefined : fieldReplacingCopy(String(field));
  return (record) => {
    const value = readNumber(record, field, aggregation);
    return inPlace ? withField(record, field, value, copy) : record;
  };
}
