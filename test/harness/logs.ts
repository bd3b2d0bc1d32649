// What eddy logs in this thread while some work runs: the records, or the messages of the
// warnings with one code (records of worker threads are not seen here; run a child process).

import { observeLogs, type LogRecord } from '../../src/core/log.js';

/** Runs `work`, returning its result and the records logged in this thread meanwhile. */
export async function logsDuring<R>(work: () => Promise<R>): Promise<{ result: R; records: LogRecord[] }> {
  const records: LogRecord[] = [];
  const stop = observeLogs((record) => void records.push(record));
  try {
    return { result: await work(), records };
  } finally {
    stop();
  }
}

/** Runs `work`, returning its result and the messages of the warnings with `code` logged in this thread meanwhile. */
export async function warningsDuring<R>(code: string, work: () => Promise<R>): Promise<{ result: R; warnings: string[] }> {
  const { result, records } = await logsDuring(work);
  return { result, warnings: records.filter((r) => r.level === 'warn' && r.code === code).map((r) => r.msg) };
}
