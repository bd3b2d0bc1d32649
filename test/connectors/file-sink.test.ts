// FileSink through the public harness: parts become visible only when their checkpoint completes,
// a crash after the snapshot commits on restore exactly once, a crash before it commits nothing
// and leaves no stray, commits are idempotent, and part names never repeat over restores.

import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { describe, it, type TestContext } from 'node:test';
import { createHarness, FileSink, StreamError, type DataStream, type FileSinkTransaction, type HarnessSnapshot, type OperatorHarness, type Sink, type SinkInitContext } from '../../src/index.js';

/** A fresh temporary folder, removed when the test ends. */
function tempDir(t: TestContext): string {
  const dir = mkdtempSync(join(tmpdir(), 'eddy-file-sink-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

/** The folder's entries, sorted. */
function listing(dir: string): string[] {
  return readdirSync(dir).sort();
}

/** The committed parts, in the order of their subtask and number. */
function parts(dir: string): string[] {
  return readdirSync(dir)
    .filter((name) => /^part-\d+-\d+$/.test(name))
    .sort((a, b) => {
      const [, sa, na] = a.split('-').map(Number);
      const [, sb, nb] = b.split('-').map(Number);
      return sa! - sb! || na! - nb!;
    });
}

function read(dir: string, name: string): string {
  return readFileSync(join(dir, name), 'utf8');
}

function lines(values: readonly unknown[]): string {
  return values.map((v) => `${typeof v === 'string' ? v : JSON.stringify(v)}\n`).join('');
}

/** The harness job: the input into `sink`. */
function into<T, C>(sink: Sink<T, C>): (s: DataStream<T>) => DataStream<T> {
  return (s) => {
    s.sinkTo(sink);
    return s;
  };
}

async function harness<T, C>(sink: Sink<T, C>, restore?: HarnessSnapshot): Promise<OperatorHarness<T, T>> {
  return createHarness(into(sink), restore === undefined ? {} : { restoreFrom: restore });
}

/** Records of about 1 KiB: 70 of them fill the 64 KiB buffer, so the in-progress file gets written. */
function big(from: number, count: number): string[] {
  return Array.from({ length: count }, (_, i) => `${from + i}:${'x'.repeat(1000)}`);
}

/** The lines the first hand-on of the buffer writes: records up to the one that reaches 64 KiB. */
function firstChunk(records: readonly string[]): string {
  let text = '';
  for (const r of records) {
    text += `${r}\n`;
    if (text.length >= 64 * 1024) return text;
  }
  throw new Error('the records do not fill the buffer');
}

/** Waits (briefly) until `file` holds `content`: the harness does not wait for a write in flight. */
async function eventually(file: string, content: string): Promise<void> {
  for (let i = 0; i < 200; i++) {
    if (existsSync(file) && readFileSync(file, 'utf8') === content) return;
    await sleep(5);
  }
  assert.equal(existsSync(file) ? readFileSync(file, 'utf8') : '(no file)', content, `${file} never held what was written`);
}

/** Waits (briefly) until some in-progress file of `dir` holds `content`; returns its name. */
async function eventuallyInProgress(dir: string, content: string): Promise<string> {
  for (let i = 0; i < 200; i++) {
    const name = listing(dir).find((n) => n.endsWith('.inprogress') && read(dir, n) === content);
    if (name !== undefined) return name;
    await sleep(5);
  }
  assert.fail(`no in-progress file in ${dir} holds what was written: ${listing(dir).join(', ')}`);
}

describe('FileSink through the harness', () => {
  it('(a) records appear as part-0-<n> only once their checkpoint completes; until then they are in hidden in-progress and pending files', async (t) => {
    const dir = join(tempDir(t), 'nested', 'out');
    const h = await harness(FileSink.forRowFormat<string>(dir));
    assert.deepEqual(listing(dir), [], 'the folder is created, and an open transaction without writes has no file');

    const first = big(0, 100);
    for (const r of first) h.processElement(r);
    await eventually(join(dir, '.part-0-0.inprogress'), firstChunk(first));
    assert.deepEqual(listing(dir), ['.part-0-0.inprogress']);

    await h.snapshot(1);
    assert.deepEqual(listing(dir), ['.part-0-0.pending']);
    assert.equal(read(dir, '.part-0-0.pending'), lines(first), 'the pre-commit wrote the whole buffer');

    h.processElement('after 1');
    h.processElement('also after 1');
    await h.snapshot(2);
    assert.deepEqual(listing(dir), ['.part-0-0.pending', '.part-0-1.pending']);
    assert.equal(read(dir, '.part-0-1.pending'), lines(['after 1', 'also after 1']));

    await h.notifyCheckpointComplete(1);
    assert.deepEqual(listing(dir), ['.part-0-1.pending', 'part-0-0']);
    assert.equal(read(dir, 'part-0-0'), lines(first));
    await h.notifyCheckpointComplete(2);
    assert.deepEqual(listing(dir), ['part-0-0', 'part-0-1']);
    assert.equal(read(dir, 'part-0-1'), lines(['after 1', 'also after 1']));

    h.processElement('never committed');
    await h.close();
    assert.deepEqual(listing(dir), ['part-0-0', 'part-0-1'], 'close aborts the open transaction');
  });

  it('(b) a crash after the snapshot and before the commit: the restore commits the pending part once, before the new writer starts, and new records get a higher n', async (t) => {
    const dir = tempDir(t);
    const files = FileSink.forRowFormat<number>(dir);
    const log: string[] = [];
    // Delegates to the FileSink, noting when its committer commits and what the folder holds when a writer starts.
    const observed: Sink<number, FileSinkTransaction> = {
      createCommitter: (ctx) => {
        const committer = files.createCommitter(ctx);
        return { commit: async (txns) => (log.push(`commit ${txns.length}`), committer.commit(txns)) };
      },
      createWriter: (ctx) => (log.push(`writer with ${listing(dir).join(' ')}`), files.createWriter(ctx)),
    };

    const crashed = await harness(observed);
    for (const v of [1, 2, 3]) crashed.processElement(v);
    const snapshot = await crashed.snapshot(7);
    assert.deepEqual(listing(dir), ['.part-0-0.pending']);
    // The process dies here: checkpoint 7 completed, its commit never ran, the harness is never closed.

    const restored = await harness(observed, snapshot);
    assert.deepEqual(log, ['writer with ', 'commit 1', 'writer with part-0-0']);
    assert.equal(read(dir, 'part-0-0'), lines([1, 2, 3]));
    for (const v of [4, 5]) restored.processElement(v);
    await restored.snapshot(8);
    await restored.notifyCheckpointComplete(8);
    await restored.close();
    assert.deepEqual(listing(dir), ['part-0-0', 'part-0-1']);
    assert.equal(read(dir, 'part-0-0'), lines([1, 2, 3]), 'committed once, not rewritten');
    assert.equal(read(dir, 'part-0-1'), lines([4, 5]));
  });

  it('(c) a crash before any snapshot commits nothing, and the next writer of the subtask removes the stray in-progress file', async (t) => {
    const dir = tempDir(t);
    const sink = FileSink.forRowFormat<string>(dir);
    const crashed = await harness(sink);
    const lost = big(0, 80);
    for (const r of lost) crashed.processElement(r);
    await eventually(join(dir, '.part-0-0.inprogress'), firstChunk(lost));
    // The process dies here, before any checkpoint: a restarted job starts without a snapshot.

    const next = await harness(sink);
    assert.deepEqual(listing(dir), [], 'the stray in-progress file is gone and nothing was committed');
    next.processElement('fresh');
    await next.snapshot(1);
    await next.notifyCheckpointComplete(1);
    await next.close();
    // The stray counted in the scan: its number is not used again while its file may exist.
    assert.deepEqual(listing(dir), ['part-0-1']);
    assert.equal(read(dir, 'part-0-1'), lines(['fresh']));
    // Only to release the dead harness's file handle (its file is already deleted).
    await crashed.close();
    assert.deepEqual(listing(dir), ['part-0-1']);
  });

  it('(d) committing is idempotent: notified twice, and restored from a snapshot whose commit already happened', async (t) => {
    const dir = tempDir(t);
    const sink = FileSink.forRowFormat<number>(dir);
    const h = await harness(sink);
    for (const v of [1, 2]) h.processElement(v);
    const snapshot = await h.snapshot(1);
    await h.notifyCheckpointComplete(1);
    await h.notifyCheckpointComplete(1);
    assert.deepEqual(listing(dir), ['part-0-0']);
    // The process dies after the commit, before the next checkpoint: the restore commits part-0-0 again.
    const restored = await harness(sink, snapshot);
    assert.deepEqual(listing(dir), ['part-0-0']);
    assert.equal(read(dir, 'part-0-0'), lines([1, 2]));
    restored.processElement(3);
    await restored.snapshot(2);
    await restored.notifyCheckpointComplete(2);
    await restored.close();
    assert.deepEqual(listing(dir), ['part-0-0', 'part-0-1']);
  });

  it('(d) the committer itself accepts a part committed before, and refuses one whose files are both gone', async (t) => {
    const dir = tempDir(t);
    const sink = FileSink.forRowFormat<number>(dir);
    const ctx: SinkInitContext = { subtask: 0, parallelism: 1 };
    const writer = await sink.createWriter(ctx);
    await writer.write(1, { timestamp: undefined });
    const [txn] = await writer.prepareCommit!(1);
    assert.deepEqual(txn, { subtask: 0, part: 0, records: 1 });
    const committer = sink.createCommitter(ctx);
    await committer.commit([txn!]);
    await committer.commit([txn!]);
    assert.equal(read(dir, 'part-0-0'), '1\n');
    rmSync(join(dir, 'part-0-0'));
    await assert.rejects(
      async () => committer.commit([txn!]),
      (error: unknown) => error instanceof StreamError && error.code === 'INVALID_ARGUMENT' && /cannot commit .*part-0-0: neither it nor .*\.part-0-0\.pending exists/.test(error.message),
    );
    await writer.close?.();
  });

  it('(e) a custom encode writes its line per record; the default writes strings as they are and the rest as JSON', async (t) => {
    const dir = tempDir(t);
    const csv = await harness(FileSink.forRowFormat<{ id: string; v: number }>(join(dir, 'csv'), (r) => `${r.id},${r.v}`));
    csv.processElement({ id: 'a', v: 1 });
    csv.processElement({ id: 'b', v: 2 });
    await csv.snapshot(1);
    await csv.notifyCheckpointComplete(1);
    await csv.close();
    assert.equal(read(join(dir, 'csv'), 'part-0-0'), 'a,1\nb,2\n');

    const plain = await harness(FileSink.forRowFormat<unknown>(join(dir, 'plain')));
    for (const v of ['text as it is', 42, { a: [1, 'x'] }, null]) plain.processElement(v);
    await plain.snapshot(1);
    await plain.notifyCheckpointComplete(1);
    await plain.close();
    assert.equal(read(join(dir, 'plain'), 'part-0-0'), 'text as it is\n42\n{"a":[1,"x"]}\nnull\n');
  });

  it('(e) bad options throw at once; a record the encoder cannot write fails with what to do', async (t) => {
    const dir = tempDir(t);
    assert.throws(() => FileSink.forRowFormat(''), (e: unknown) => e instanceof TypeError && /expected the path of a folder/.test(e.message));
    assert.throws(() => FileSink.forRowFormat(dir, 'json' as never), (e: unknown) => e instanceof TypeError && /encode must be a function/.test(e.message));
    const h = await harness(FileSink.forRowFormat<unknown>(dir));
    assert.throws(() => h.processElement(10n), (e: unknown) => e instanceof StreamError && /cannot write a record as JSON .*pass an encode function/.test(e.message));
    const bad = await harness(FileSink.forRowFormat<number>(join(dir, 'bad'), () => 5 as unknown as string));
    assert.throws(() => bad.processElement(1), (e: unknown) => e instanceof StreamError && /encode returned number instead of the record's line: return a string/.test(e.message));
    await h.close();
    await bad.close();
  });

  it('(f) part names never repeat over restores: after commits, crashes after a snapshot and crashes before one', async (t) => {
    const dir = tempDir(t);
    const sink = FileSink.forRowFormat<string>(dir);
    let restore: HarnessSnapshot | undefined;
    let checkpoint = 0;
    let next = 0;
    const expected: string[] = [];
    const dead: OperatorHarness<string, string>[] = [];
    for (let round = 0; round < 9; round++) {
      const h = await harness(sink, restore);
      const records = big(next, 70);
      next += records.length;
      for (const r of records) h.processElement(r);
      const kind = round % 3;
      if (kind === 2) {
        // A crash before the snapshot: these records are replayed by the source in a real job, under other values here.
        await eventuallyInProgress(dir, firstChunk(records));
        dead.push(h);
        continue;
      }
      restore = await h.snapshot(++checkpoint);
      expected.push(...records);
      if (kind === 0) {
        await h.notifyCheckpointComplete(checkpoint);
        await h.close();
      } else {
        dead.push(h); // a crash after the snapshot: the next round's restore commits it
      }
    }
    const last = await harness(sink, restore);
    await last.close();
    const committed = parts(dir);
    assert.deepEqual(listing(dir), [...committed].sort(), 'no hidden file is left');
    assert.equal(committed.join('').length > 0, true);
    assert.deepEqual(committed.map((name) => read(dir, name)).join(''), lines(expected), 'every checkpointed record once, in order: no part was overwritten');
    const numbers = committed.map((name) => Number(name.split('-')[2]));
    assert.deepEqual(numbers, [...numbers].sort((a, b) => a - b));
    assert.equal(new Set(numbers).size, numbers.length);
    // Only to release the dead harnesses' file handles.
    for (const h of dead) await h.close();
  });

  it('a bounded job without checkpoints (simulated: snapshot and notify right before close, as the runtime will do at the end of input) ends with committed files', async (t) => {
    const dir = tempDir(t);
    const h = await harness(FileSink.forRowFormat<number>(dir));
    for (let v = 1; v <= 5; v++) h.processElement(v);
    await h.endInput();
    assert.deepEqual(parts(dir), [], 'endInput alone commits nothing today');
    await h.snapshot(Number.MAX_SAFE_INTEGER);
    await h.notifyCheckpointComplete(Number.MAX_SAFE_INTEGER);
    await h.close();
    assert.deepEqual(listing(dir), ['part-0-0']);
    assert.equal(read(dir, 'part-0-0'), lines([1, 2, 3, 4, 5]));
  });
});

describe('FileSink writers, driven as the runtime does', () => {
  const at = { timestamp: undefined };

  it('a change of parallelism: subtask 0 removes in-progress files of subtasks that no longer exist, and each subtask continues after its own parts', async (t) => {
    const dir = tempDir(t);
    for (const name of ['part-0-3', 'part-1-1', '.part-1-4.pending', '.part-1-5.inprogress', '.part-2-0.inprogress', 'part-2-2', '.part-3-9.inprogress', 'notes.txt', 'part-x-1']) {
      writeFileSync(join(dir, name), 'old\n');
    }
    const sink = FileSink.forRowFormat<string>(dir);
    const writers = [];
    for (const subtask of [1, 0]) {
      const ctx: SinkInitContext = { subtask, parallelism: 2 };
      const writer = await sink.createWriter(ctx);
      await writer.write(`from ${subtask}`, at);
      writers.push({ writer, ctx });
    }
    assert.deepEqual(listing(dir), ['.part-1-4.pending', 'notes.txt', 'part-0-3', 'part-1-1', 'part-2-2', 'part-x-1'], 'strays of subtasks 1 (its own), 2 and 3 (above the parallelism) are gone');
    for (const { writer, ctx } of writers) {
      const txns = await writer.prepareCommit!(1);
      await sink.createCommitter(ctx).commit(txns);
      await writer.close?.();
    }
    assert.equal(read(dir, 'part-0-4'), 'from 0\n');
    assert.equal(read(dir, 'part-1-6'), 'from 1\n', 'after part-1-1, .part-1-4.pending and the stray .part-1-5.inprogress');
  });

  it('buffers until 64 KiB or flushBuffers, writes in order, and backpressures through the promise write returns while the disk is busy', async (t) => {
    const dir = tempDir(t);
    const sink = FileSink.forRowFormat<string>(dir);
    const ctx: SinkInitContext = { subtask: 0, parallelism: 1 };
    const writer = await sink.createWriter(ctx);
    const file = join(dir, '.part-0-0.inprogress');
    assert.equal(writer.write('one', at), undefined, 'a buffered record returns nothing');
    assert.equal(existsSync(file), false);
    writer.flushBuffers!();
    await eventually(file, 'one\n');

    const records = big(0, 200);
    let waited = 0;
    for (const r of records) {
      const written = writer.write(r, at);
      if (written !== undefined) {
        waited++;
        await written;
      }
    }
    assert.ok(waited >= 1, 'a full buffer behind a write still running makes the writer wait');
    const [txn] = await writer.prepareCommit!(1);
    assert.deepEqual(txn, { subtask: 0, part: 0, records: 201 });
    assert.equal(read(dir, '.part-0-0.pending'), lines(['one', ...records]));
    await writer.close?.();
    assert.deepEqual(listing(dir), ['.part-0-0.pending'], 'close aborts only the open transaction (part 1, without a file)');
    await sink.createCommitter(ctx).abort!([txn!]);
    assert.deepEqual(listing(dir), [], 'the committer aborts a pre-committed part by deleting its pending file');
  });
});
