// The engine-efficiency workload's records, shared by the plain-loop baseline and the eddy jobs.

export interface KeyedRecord {
  key: number;
  value: number;
}

/** Record number `i` of the workload: `keys` distinct keys, round-robin. */
export function keyedRecord(i: number, keys: number): KeyedRecord {
  return { key: i % keys, value: i };
}
