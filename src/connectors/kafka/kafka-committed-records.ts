// Read committed, done by eddy: which records of a fetched partition belong to committed
// transactions, from the broker's list of aborted transactions and the abort markers in the log
// (the way the Java consumer decides). kafkajs's own filter reads the list as sorted and marks one
// transaction per record, so records of an aborted transaction can pass as committed.

/** What the decision needs of one fetched record (kafkajs's decoded message). */
export interface FetchedLogRecord {
  readonly offset: string;
  readonly key: Uint8Array | null;
  readonly isControlRecord?: boolean;
  readonly batchContext: { readonly producerId: string; readonly inTransaction: boolean };
}

/** One entry of a fetch response's aborted transactions: a producer's transaction, aborted, from its first offset. */
export interface AbortedTransaction {
  readonly producerId: string;
  readonly firstOffset: string;
}

/** A control record's key is version (int16) and type (int16): type 0 ends a transaction by aborting it. */
function isAbortMarker(record: FetchedLogRecord): boolean {
  const key = record.key;
  return key !== null && key.length >= 4 && key[2] === 0 && key[3] === 0;
}

/**
 * The records of `records` (one partition, in offset order) that a read-committed consumer
 * delivers: no control records, and no records of an aborted transaction. A transaction is
 * aborted from its first offset (from the broker's list, which it sends in the order the
 * transactions ended) up to its producer's abort marker.
 */
export function committedRecords<R extends FetchedLogRecord>(records: readonly R[], aborted: readonly AbortedTransaction[] | undefined): R[] {
  if (aborted === undefined || aborted.length === 0) return records.filter((r) => r.isControlRecord !== true);
  const pending = [...aborted].sort((a, b) => compareOffsets(a.firstOffset, b.firstOffset));
  const abortedProducers = new Set<string>();
  let next = 0;
  const kept: R[] = [];
  for (const record of records) {
    const offset = BigInt(record.offset);
    // Every aborted transaction that began at or before this record is in progress now.
    while (next < pending.length && BigInt(pending[next]!.firstOffset) <= offset) abortedProducers.add(String(pending[next++]!.producerId));
    const producer = String(record.batchContext.producerId);
    if (record.isControlRecord === true) {
      if (isAbortMarker(record)) abortedProducers.delete(producer);
      continue;
    }
    if (record.batchContext.inTransaction && abortedProducers.has(producer)) continue;
    kept.push(record);
  }
  return kept;
}

function compareOffsets(a: string, b: string): number {
  const x = BigInt(a);
  const y = BigInt(b);
  return x < y ? -1 : x > y ? 1 : 0;
}
