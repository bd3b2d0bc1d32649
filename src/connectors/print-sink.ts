// print(): writes each record to standard output as Flink does ("2> value" when parallel),
// buffering lines and writing them synchronously to fd 1 when the actor drains its input, so
// output is never lost when the job ends and workers stop.

import { writeSync } from 'node:fs';
import { inspect } from 'node:util';
import type { Sink, SinkInitContext, SinkWriter } from '../core/sink.js';

/** Formats a record like `console.log` does (strings as they are, objects inspected on one line). */
export function formatRecord(value: unknown): string {
  return typeof value === 'string' ? value : inspect(value, { depth: null, breakLength: Infinity });
}

/** Flink's PrintSinkOutputWriter prefix: "id:N> " with N the 1-based subtask when parallel. */
export function printPrefix(identifier: string, ctx: SinkInitContext): string {
  let prefix = identifier;
  if (ctx.parallelism > 1) prefix += `${prefix === '' ? '' : ':'}${ctx.subtask + 1}`;
  return prefix === '' ? '' : `${prefix}> `;
}

const FLUSH_BYTES = 64 * 1024;

class PrintWriter implements SinkWriter<unknown> {
  private buffer = '';

  constructor(
    private readonly prefix: string,
    private readonly fd: number,
  ) {}

  write(value: unknown): void {
    this.buffer += `${this.prefix}${formatRecord(value)}\n`;
    if (this.buffer.length >= FLUSH_BYTES) this.flushBuffers();
  }

  flush(): void {
    this.flushBuffers();
  }

  flushBuffers(): void {
    if (this.buffer === '') return;
    writeFully(this.fd, this.buffer);
    this.buffer = '';
  }

  close(): void {
    this.flushBuffers();
  }
}

/** Writes all of `text`, retrying while a non-blocking pipe is full (EAGAIN). */
function writeFully(fd: number, text: string): void {
  let bytes = Buffer.from(text);
  const pause = new Int32Array(new SharedArrayBuffer(4));
  while (bytes.length > 0) {
    try {
      bytes = bytes.subarray(writeSync(fd, bytes));
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EAGAIN') throw error;
      Atomics.wait(pause, 0, 0, 1);
    }
  }
}

/** The sink behind `DataStream.print(identifier)`. */
export class PrintSink implements Sink<unknown> {
  constructor(
    private readonly identifier = '',
    private readonly fd = 1,
  ) {}

  createWriter(ctx: SinkInitContext): PrintWriter {
    return new PrintWriter(printPrefix(this.identifier, ctx), this.fd);
  }
}
