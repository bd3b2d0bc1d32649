// Read committed as eddy's Kafka read client decides it: records of aborted transactions and
// control records dropped, whatever the order of the broker's list of aborted transactions.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { committedRecords, type FetchedLogRecord } from '../../src/connectors/kafka/kafka-committed-records.js';

const COMMIT = new Uint8Array([0, 0, 0, 1]);
const ABORT = new Uint8Array([0, 0, 0, 0]);

/** A data record of producer `pid` at `offset`, in a transaction or not. */
const data = (offset: number, pid: string, inTransaction = true): FetchedLogRecord => ({ offset: String(offset), key: null, batchContext: { producerId: pid, inTransaction } });
const marker = (offset: number, pid: string, key: Uint8Array): FetchedLogRecord => ({ offset: String(offset), key, isControlRecord: true, batchContext: { producerId: pid, inTransaction: true } });
const offsets = (records: FetchedLogRecord[]): number[] => records.map((r) => Number(r.offset));

// The log a restarted exactly-once job left (a partition of a chaos run's output): producers 1136
// and 1137 each wrote a transaction that was aborted (1137's ended first), then both wrote again
// and committed. The broker lists the aborted ones in the order they ended: 1137 first.
const log = [data(0, '1136'), data(1, '1136'), data(2, '1137'), data(3, '1137'), marker(4, '1137', ABORT), marker(5, '1136', ABORT), data(6, '1136'), data(7, '1137'), marker(8, '1136', COMMIT), marker(9, '1137', COMMIT)];
const abortedInEndOrder = [
  { producerId: '1137', firstOffset: '2' },
  { producerId: '1136', firstOffset: '0' },
];

test('records of a transaction aborted after a later one began are dropped (the list comes in the order they ended)', () => {
  assert.deepEqual(offsets(committedRecords(log, abortedInEndOrder)), [6, 7]);
});

test('a fetch that starts inside two aborted transactions drops both from its first record', () => {
  assert.deepEqual(offsets(committedRecords(log.slice(3), abortedInEndOrder)), [6, 7]);
});

test("after its abort marker a producer's next transaction is read", () => {
  const records = [data(0, '7'), marker(1, '7', ABORT), data(2, '7'), marker(3, '7', COMMIT)];
  assert.deepEqual(offsets(committedRecords(records, [{ producerId: '7', firstOffset: '0' }])), [2]);
});

test('records outside transactions and of other producers pass; control records never do', () => {
  const records = [data(0, '1'), data(1, '-1', false), data(2, '2'), marker(3, '1', ABORT), marker(4, '2', COMMIT)];
  assert.deepEqual(offsets(committedRecords(records, [{ producerId: '1', firstOffset: '0' }])), [1, 2]);
  assert.deepEqual(offsets(committedRecords(records, [])), [0, 1, 2]);
  assert.deepEqual(offsets(committedRecords(records, undefined)), [0, 1, 2]);
});
