// FileSink: exactly-once files of one line per record (Flink's FileSink, row format). Each subtask
// writes a hidden in-progress part per checkpoint, renames it to a hidden pending part at the
// snapshot, and to its visible name part-<subtask>-<n> when the checkpoint completes.

import type { FileHandle } from 'node:fs/promises';
import { mkdir, open, readdir, rename, stat, unlink } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { StreamError } from '../core/errors.js';
import type { SinkInitContext } from '../core/sink.js';
import { TwoPhaseCommitSink } from '../core/two-phase-commit-sink.js';

/** Characters buffered before they are handed to the file (about 64 KiB of ASCII). */
const FLUSH_CHARS = 64 * 1024;

/** `part-<subtask>-<n>`, `.part-<subtask>-<n>.pending` and `.part-<subtask>-<n>.inprogress`. */
const PART_NAME = /^(?:part-(\d+)-(\d+)|\.part-(\d+)-(\d+)\.(pending|inprogress))$/;

/**
 * One transaction of a {@link FileSink}: part `part` of subtask `subtask`, the file
 * `part-<subtask>-<part>` once committed. This is what a checkpoint stores (plain data).
 */
export interface FileSinkTransaction {
  /** Zero-based subtask that wrote the part. */
  readonly subtask: number;
  /** The part's number in its subtask's sequence; never reused in the same folder. */
  readonly part: number;
  /** Records in the part, counted at the pre-commit; 0: nothing was written and no file is committed. */
  readonly records: number;
}

/** What an open transaction holds in memory: its buffer and its file, opened at the first write. */
class OpenPart {
  buffer = '';
  records = 0;
  handle: FileHandle | undefined = undefined;
  /** Bytes in the file so far. */
  position = 0;
  /** The last hand-on of the buffer to the file, while it runs; it never rejects (see `failure`). */
  writing: Promise<void> | null = null;
  /** The first write to the file that failed. */
  failure: { error: unknown } | null = null;
  /** Whether the first write created the file (an abort deletes only a file it created). */
  created = false;
  /** Whether the pre-commit renamed the file to its pending name (and then failed, or the part would not be open). */
  renamed = false;

  constructor(readonly path: string) {}

  throwIfFailed(): void {
    if (this.failure !== null) throw this.failure.error;
  }
}

/**
 * An exactly-once sink of files with one line per record, in a folder shared by its subtasks.
 * Make one with {@link FileSink.forRowFormat}.
 *
 * Files, for subtask `i` and part `n`:
 *
 * - `.part-<i>-<n>.inprogress`: the open transaction. Records are buffered and written in order
 *   (at about 64 KiB, whenever the subtask has drained its input, and at the pre-commit); the file
 *   is created by the first write, so a transaction without records leaves no file.
 * - `.part-<i>-<n>.pending`: at a checkpoint's snapshot the file is fsynced and renamed (and the
 *   folder fsynced), so that a crash cannot lose it.
 * - `part-<i>-<n>`: when the checkpoint completes, the pending file is renamed to its final name
 *   and the folder fsynced. A transaction without records commits no file.
 *
 * The guarantee, with checkpointing: once the first checkpoint taken after a record completes,
 * the record is in exactly one `part-*` file, as one line, after the records written before it
 * by the same subtask (parts of a subtask hold its records in the order of `n`). Files starting
 * with a dot are not output: readers must skip them. Committing is idempotent: after a restore,
 * a part whose pending file is gone and whose final file exists counts as committed; one with
 * neither fails the job (leave committed parts in place until a later checkpoint completed).
 *
 * When a writer starts (also after a restore or a change of parallelism), subtask `i` deletes
 * its `.part-<i>-*.inprogress` files, which no checkpoint can commit; subtask 0 also deletes
 * those of subtasks `>= parallelism`. It then continues after the highest `n` of any file of
 * subtask `i` in the folder (in-progress strays included), so no name of a pending or committed
 * part is used again, as long as the parts stay in the folder: the folder is the only record of
 * the sequence, and moving committed parts out of it lets their names come back (the number of a
 * deleted stray may come back too; nothing refers to it). Pending files that no restored
 * checkpoint commits (pre-committed for a checkpoint that never completed) stay, hidden: after a
 * change of parallelism another subtask may still have to commit them.
 *
 * Give each FileSink a folder of its own; the folder is created when missing. Without a
 * checkpoint nothing is ever committed: the open transaction is aborted (its file deleted) when
 * the writer closes.
 *
 * @typeParam T - The records.
 */
export class FileSink<T> extends TwoPhaseCommitSink<T, FileSinkTransaction> {
  /** The absolute folder. */
  readonly dir: string;
  private readonly encode: (value: T) => string;
  /** The next part number of each writer, by its init context (the same object for all its calls). */
  private readonly sequences = new WeakMap<SinkInitContext, number>();
  /** The in-memory side of each open transaction. */
  private readonly openParts = new WeakMap<FileSinkTransaction, OpenPart>();

  private constructor(dir: string, encode: (value: T) => string) {
    super();
    this.dir = resolve(dir);
    this.encode = encode;
  }

  /**
   * A sink writing each record as one line into part files in `dir` (relative to the current
   * folder, created when missing): `encode(value)` followed by `'\n'`. Without `encode`, strings
   * are written as they are and other values as `JSON.stringify` writes them. The line should
   * hold no `'\n'` of its own if readers split on lines.
   *
   * @throws TypeError when `dir` is not a non-empty string or `encode` is not a function.
   */
  static forRowFormat<T>(dir: string, encode?: (value: T) => string): FileSink<T> {
    if (typeof dir !== 'string' || dir === '') {
      throw new TypeError(`FileSink.forRowFormat(dir): expected the path of a folder, such as './out', got ${dir === '' ? 'an empty string' : typeof dir}.`);
    }
    if (encode !== undefined && typeof encode !== 'function') {
      throw new TypeError(`FileSink.forRowFormat(dir, encode): encode must be a function from a record to its line, such as (r) => \`\${r.id},\${r.v}\`, got ${encode === null ? 'null' : typeof encode}.`);
    }
    return new FileSink<T>(dir, encode ?? encodeDefault);
  }

  /** Creates the folder when missing, deletes the subtask's stray in-progress parts, and finds where its sequence continues. */
  override async recoverAndAbort(ctx: SinkInitContext): Promise<void> {
    this.sequences.set(ctx, await this.scan(ctx, true));
  }

  /** Opens part `n` of the subtask's sequence (the file is created by its first write). */
  async beginTransaction(ctx: SinkInitContext): Promise<FileSinkTransaction> {
    const next = this.sequences.get(ctx) ?? (await this.scan(ctx, false));
    this.sequences.set(ctx, next + 1);
    const txn: FileSinkTransaction = { subtask: ctx.subtask, part: next, records: 0 };
    this.openParts.set(txn, new OpenPart(this.path(txn, 'inprogress')));
    return txn;
  }

  /**
   * Buffers the record's line. Returns a promise when the buffer is full and the write before it
   * is still running (a slow disk): the next record waits for it.
   */
  write(txn: FileSinkTransaction, value: T): void | Promise<void> {
    const part = this.openPart(txn, 'write to');
    const line = this.encode(value);
    if (typeof line !== 'string') {
      throw new StreamError('INVALID_ARGUMENT', `FileSink into ${this.dir}: encode returned ${line === null ? 'null' : typeof line} instead of the record's line: return a string.`);
    }
    part.buffer += `${line}\n`;
    part.records++;
    if (part.buffer.length < FLUSH_CHARS) return;
    const previous = part.writing;
    this.handOn(part);
    // One buffer is written while the next fills: wait only when the one before is still running.
    return previous?.then(() => part.throwIfFailed());
  }

  /** Hands the buffer of the open transaction to its file, without waiting. */
  override flushBuffers(txn: FileSinkTransaction): void {
    const part = this.openParts.get(txn);
    if (part !== undefined) this.handOn(part);
  }

  /** Writes the rest of the buffer, fsyncs the file and renames it to its pending name. */
  async preCommit(txn: FileSinkTransaction): Promise<FileSinkTransaction> {
    const part = this.openPart(txn, 'pre-commit');
    this.handOn(part);
    await part.writing;
    part.throwIfFailed();
    if (part.handle !== undefined) {
      await part.handle.sync();
      await closeFile(part);
      await rename(part.path, this.path(txn, 'pending'));
      part.renamed = true;
      await syncFolder(this.dir);
    }
    this.openParts.delete(txn);
    return { subtask: txn.subtask, part: txn.part, records: part.records };
  }

  /** Renames the pending file to its final name; a part committed before is left as it is. */
  async commit(txn: FileSinkTransaction): Promise<void> {
    if (txn.records === 0) return;
    const pending = this.path(txn, 'pending');
    const final = this.path(txn, 'final');
    try {
      await rename(pending, final);
    } catch (error) {
      if (errorCode(error) !== 'ENOENT') throw error;
      if (await exists(final)) return;
      throw new StreamError(
        'INVALID_ARGUMENT',
        `FileSink cannot commit ${final}: neither it nor ${pending} exists. The checkpoint being committed wrote that part into this folder: ` +
          'it was removed or moved since, or the sink now has another folder than the job that took the checkpoint. Restore with the same folder, and leave committed parts in place until a later checkpoint completed.',
        { domain: 'external' },
      );
    }
    await syncFolder(this.dir);
  }

  /**
   * Deletes the file of the transaction: the in-progress file of an open one (or its pending file
   * when its pre-commit failed after the rename), the pending file of a pre-committed one. A
   * committed part, and a transaction without records, leave the folder as it is.
   */
  async abort(txn: FileSinkTransaction): Promise<void> {
    const part = this.openParts.get(txn);
    if (part === undefined) {
      if (txn.records > 0) await removeIfPresent(this.path(txn, 'pending'));
      return;
    }
    this.openParts.delete(txn);
    await part.writing;
    await closeFile(part);
    if (part.created) await removeIfPresent(part.renamed ? this.path(txn, 'pending') : part.path);
  }

  /**
   * The next part number of subtask `ctx.subtask`: one above the highest of its files in the
   * folder. With `removeStrays`, deletes the in-progress files of the subtask (and, at subtask 0,
   * those of subtasks that no longer exist).
   */
  private async scan(ctx: SinkInitContext, removeStrays: boolean): Promise<number> {
    await mkdir(this.dir, { recursive: true });
    let highest = -1;
    for (const name of await readdir(this.dir)) {
      const match = PART_NAME.exec(name);
      if (match === null) continue;
      const subtask = Number(match[1] ?? match[3]);
      const n = Number(match[2] ?? match[4]);
      if (subtask === ctx.subtask) highest = Math.max(highest, n);
      const stray = match[5] === 'inprogress' && (subtask === ctx.subtask || (ctx.subtask === 0 && subtask >= ctx.parallelism));
      if (removeStrays && stray) await removeIfPresent(join(this.dir, name));
    }
    return highest + 1;
  }

  /** Hands the buffer on to the file, after the hand-on before it; `part.writing` is the last one. */
  private handOn(part: OpenPart): void {
    part.throwIfFailed();
    if (part.buffer === '') return;
    const text = part.buffer;
    part.buffer = '';
    const next: Promise<void> = (part.writing ?? Promise.resolve())
      .then(() => this.append(part, text))
      .catch((error: unknown) => {
        part.failure ??= { error };
      })
      .then(() => {
        if (part.writing === next) part.writing = null;
      });
    part.writing = next;
  }

  /** Writes `text` at the end of the part's file, creating the file on the first write. */
  private async append(part: OpenPart, text: string): Promise<void> {
    if (part.failure !== null) return;
    if (part.handle === undefined) {
      part.handle = await createFile(part.path, this.dir);
      part.created = true;
    }
    const bytes = Buffer.from(text);
    let offset = 0;
    while (offset < bytes.length) {
      const { bytesWritten } = await part.handle.write(bytes, offset, bytes.length - offset, part.position);
      offset += bytesWritten;
      part.position += bytesWritten;
    }
  }

  private openPart(txn: FileSinkTransaction, what: string): OpenPart {
    const part = this.openParts.get(txn);
    if (part === undefined) {
      throw new StreamError('INTERNAL', `FileSink into ${this.dir}: asked to ${what} part ${txn.part} of subtask ${txn.subtask}, which is not open (it was pre-committed or aborted).`, {
        domain: 'internal',
      });
    }
    return part;
  }

  private path(txn: FileSinkTransaction, state: 'inprogress' | 'pending' | 'final'): string {
    const name = `part-${txn.subtask}-${txn.part}`;
    return join(this.dir, state === 'final' ? name : `.${name}.${state}`);
  }
}

/** Strings as they are, anything else as JSON. */
function encodeDefault(value: unknown): string {
  if (typeof value === 'string') return value;
  let json: string | undefined;
  try {
    json = JSON.stringify(value);
  } catch (error) {
    throw new StreamError('INVALID_ARGUMENT', `FileSink cannot write a record as JSON (${error instanceof Error ? error.message : String(error)}): pass an encode function to FileSink.forRowFormat(dir, encode).`, { cause: error });
  }
  if (json === undefined) {
    throw new StreamError('INVALID_ARGUMENT', `FileSink cannot write a record of type ${typeof value} as JSON: pass an encode function to FileSink.forRowFormat(dir, encode).`);
  }
  return json;
}

/** Creates a part file that must not exist yet. */
async function createFile(path: string, dir: string): Promise<FileHandle> {
  try {
    return await open(path, 'wx');
  } catch (error) {
    if (errorCode(error) !== 'EEXIST') throw error;
    throw new StreamError('INVALID_ARGUMENT', `FileSink cannot create ${path}: it exists already, so another sink writes part files into ${dir} too. Give each FileSink a folder of its own.`, {
      domain: 'external',
      cause: error,
    });
  }
}

async function closeFile(part: OpenPart): Promise<void> {
  const handle = part.handle;
  part.handle = undefined;
  await handle?.close();
}

/** Makes the renames in `dir` durable. */
async function syncFolder(dir: string): Promise<void> {
  let handle: FileHandle | undefined;
  try {
    handle = await open(dir, 'r');
    await handle.sync();
  } catch (error) {
    // Windows can neither open nor fsync a folder; its renames are as durable as it makes them.
    if (process.platform !== 'win32') throw error;
  } finally {
    await handle?.close();
  }
}

async function removeIfPresent(path: string): Promise<void> {
  try {
    await unlink(path);
  } catch (error) {
    if (errorCode(error) !== 'ENOENT') throw error;
  }
}

async function exists(path: string): Promise<boolean> {
  try {
    await stat(path);
    return true;
  } catch (error) {
    if (errorCode(error) === 'ENOENT') return false;
    throw error;
  }
}

function errorCode(error: unknown): string | undefined {
  return (error as NodeJS.ErrnoException | null)?.code;
}
