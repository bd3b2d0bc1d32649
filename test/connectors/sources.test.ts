// The built-in sources' positions: a reader's split state, taken between polls, lets a new reader
// emit exactly the records not emitted yet (no loss, no duplicate), also when the splits of
// several readers go to one (a lower parallelism) or a reader resumes with none.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { CollectionSource } from '../../src/connectors/collection-source.js';
import { SequenceSource } from '../../src/connectors/sequence-source.js';
import type { Source, SourceReader } from '../../src/core/source.js';
import { readerContext, readerOutput } from '../fixtures/reader-output.js';

/** Polls `reader` `polls` times (or to its end) and returns what it emitted. */
function poll<T>(reader: SourceReader<T>, polls = Number.POSITIVE_INFINITY): T[] {
  const out: T[] = [];
  const output = readerOutput<T>((value) => out.push(value));
  for (let i = 0; i < polls; i++) if (reader.pollNext(output) === 'end-of-input') break;
  return out;
}

function reader<T, S>(source: Source<T, S>, subtask: number, parallelism: number, restoredSplits?: S[]): SourceReader<T, S> {
  return source.createReader(readerContext(subtask, parallelism, restoredSplits));
}

test('fromSequence: a reader restored from the splits of a snapshot emits exactly the rest of its range', () => {
  const source = new SequenceSource(1, 10_000);
  const first = reader(source, 1, 3);
  const before = poll(first, 2);
  const splits = first.snapshotState!(7);
  const after = poll(reader(source, 1, 3, splits));
  assert.deepEqual([...before, ...after], poll(reader(source, 1, 3)), 'the whole range, once');
  assert.ok(before.length > 0 && after.length > 0);
});

test('fromSequence: the splits of three readers resumed by one cover the sequence exactly once', () => {
  const source = new SequenceSource(-50, 4999);
  const readers = [0, 1, 2].map((subtask) => reader(source, subtask, 3));
  const emitted = readers.flatMap((r, i) => poll(r, i));
  const splits = readers.flatMap((r) => r.snapshotState!(1));
  emitted.push(...poll(reader(source, 0, 1, splits)));
  assert.deepEqual(emitted.sort((a, b) => a - b), Array.from({ length: 5050 }, (_, i) => i - 50));
});

test('fromCollection: a restored reader continues at its index; restored with no split it has nothing left', () => {
  const elements = Array.from({ length: 1000 }, (_, i) => ({ i }));
  const source = new CollectionSource(elements);
  const first = reader(source, 0, 1);
  const before = poll(first, 1);
  const after = poll(reader(source, 0, 1, first.snapshotState!(3)));
  assert.deepEqual([...before, ...after], elements);
  assert.deepEqual(poll(reader(source, 0, 1, [])), []);
});
