// The files of one checkpoint folder on disk, with node:fs only (usable in any thread): subtask
// files written and synced, _metadata written atomically, and a folder read back and verified.

import { createHash, randomBytes } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { open, readFile, rename, stat, unlink } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { StreamError, type ErrorDomain } from '../core/errors.js';
import {
  CHECKPOINT_FORMAT_VERSION,
  checkMetadata,
  distinctFiles,
  folderNameId,
  formatMetadata,
  isSubtaskFileName,
  METADATA_FILE,
  MetadataProblem,
  type CheckpointMetadata,
  type CheckpointMetadataInput,
  type SubtaskFile,
} from './checkpoint-metadata.js';

/** A completed checkpoint or savepoint read from disk: its folder and its checked metadata. */
export interface CompletedCheckpoint {
  /** The absolute path of the checkpoint's folder. */
  readonly folder: string;
  readonly metadata: CheckpointMetadata;
}

/** What a look at a folder found: a usable checkpoint, no `_metadata` yet, or something wrong. */
export type FolderInspection =
  | { readonly state: 'complete'; readonly checkpoint: CompletedCheckpoint }
  | { readonly state: 'incomplete' }
  | { readonly state: 'invalid'; readonly problem: string };

/** The error for a problem with checkpoint files: `CHECKPOINT_STORAGE`, with its cause. */
export function storageError(message: string, domain: ErrorDomain, cause?: unknown, retriable = false): StreamError {
  return new StreamError('CHECKPOINT_STORAGE', message, { domain, retriable, ...(cause === undefined ? {} : { cause }) });
}

/** A file system error as a clause with what to do about it ("no space left on the disk (ENOSPC): free ..."). */
export function describeFsError(error: unknown, path: string): string {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  switch (code) {
    case 'ENOSPC':
    case 'EDQUOT':
      return `the disk is full (${code}): free space there or point checkpoints at a larger disk`;
    case 'EACCES':
    case 'EPERM':
      return `permission denied (${code}): let the user running the job read and write ${path}`;
    case 'EROFS':
      return `the file system is read-only (EROFS): point checkpoints at a writable directory`;
    case 'ENOENT':
      return `${path} does not exist (ENOENT)`;
    case 'ENOTDIR':
      return `a part of ${path} is a file, not a folder (ENOTDIR)`;
    default:
      return `${error instanceof Error ? error.message : String(error)}; check the disk and the path ${path}`;
  }
}

/** Whether `error` is a file system error with `code`. */
export function hasCode(error: unknown, code: string): boolean {
  return (error as NodeJS.ErrnoException | undefined)?.code === code;
}

/** Makes a folder's entries (files created, renamed or removed in it) durable. */
export async function syncFolder(folder: string): Promise<void> {
  if (process.platform === 'win32') return; // Windows cannot open a folder to fsync it.
  const handle = await open(folder, 'r');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}

/** Writes a new file (refusing to replace one) and fsyncs it; removes what it wrote if that fails. */
async function writeNewFile(path: string, bytes: Uint8Array | string): Promise<void> {
  const handle = await open(path, 'wx');
  try {
    await handle.writeFile(bytes);
    await handle.sync();
  } catch (error) {
    await handle.close().catch(() => undefined);
    await unlink(path).catch(() => undefined);
    throw error;
  }
  await handle.close();
}

/** Writes one subtask's file into a checkpoint folder (write + fsync) and returns what `_metadata` records of it. */
export async function writeSubtaskFile(folder: string, name: string, bytes: Uint8Array): Promise<SubtaskFile> {
  if (!isSubtaskFileName(name)) {
    throw new StreamError(
      'INVALID_ARGUMENT',
      `Subtask file name ${JSON.stringify(name)} is not allowed: use letters, digits, ".", "_" and "-", starting with a letter or digit, such as "subtask-3-1.state".`,
      { domain: 'internal' },
    );
  }
  const path = join(folder, name);
  try {
    await writeNewFile(path, bytes);
  } catch (error) {
    if (hasCode(error, 'EEXIST')) {
      throw storageError(`Cannot write ${path}: the file already exists. Each subtask writes its file once per checkpoint, under a name of its own.`, 'internal', error);
    }
    if (hasCode(error, 'ENOENT')) {
      throw storageError(`Cannot write ${path}: the folder ${folder} does not exist. The checkpoint was discarded (aborted or timed out), or begin() was not called for it.`, 'internal', error);
    }
    throw storageError(`Cannot write the checkpoint file ${path}: ${describeFsError(error, folder)}.`, 'external', error, true);
  }
  return { name, bytes: bytes.byteLength, sha256: createHash('sha256').update(bytes).digest('hex') };
}

/**
 * Completes a checkpoint folder: checks the metadata and that every file it names is there with
 * its size, then writes `_metadata` atomically (temporary file, fsync, rename, fsync the folder).
 * Returns the metadata as written.
 */
export async function completeCheckpoint(folder: string, input: CheckpointMetadataInput): Promise<CheckpointMetadata> {
  const where = `Cannot complete the checkpoint in ${folder}`;
  let metadata: CheckpointMetadata;
  try {
    metadata = checkMetadata({ ...input, formatVersion: CHECKPOINT_FORMAT_VERSION });
    checkFolderName(folder, metadata);
  } catch (error) {
    if (!(error instanceof MetadataProblem)) throw error;
    throw new StreamError('INVALID_ARGUMENT', `${where}: in the metadata given, ${error.message}.`, { domain: 'internal' });
  }
  const target = join(folder, METADATA_FILE);
  if (await exists(target)) throw storageError(`${where}: it already has a ${METADATA_FILE}. A checkpoint completes once.`, 'internal');
  for (const file of distinctFiles(metadata)) {
    const size = await stat(join(folder, file.name)).then((s) => s.size, () => undefined);
    if (size !== file.bytes) {
      const found = size === undefined ? 'is missing' : `has ${size} bytes`;
      throw storageError(`${where}: its file ${JSON.stringify(file.name)} ${found} where the metadata records ${file.bytes} bytes.`, 'internal');
    }
  }
  const temporary = join(folder, `${METADATA_FILE}.${randomBytes(6).toString('hex')}.tmp`);
  try {
    await writeNewFile(temporary, formatMetadata(metadata));
    await rename(temporary, target);
    await syncFolder(folder);
  } catch (error) {
    await unlink(temporary).catch(() => undefined);
    throw storageError(`${where}: writing its ${METADATA_FILE} failed: ${describeFsError(error, folder)}.`, 'external', error, true);
  }
  return metadata;
}

/** A folder named like a checkpoint or savepoint must hold that kind, with the id of its name. */
function checkFolderName(folder: string, metadata: CheckpointMetadata): void {
  const named = folderNameId(basename(folder));
  if (named === undefined) return;
  if (named.id !== metadata.checkpointId || named.kind !== metadata.kind) {
    throw new MetadataProblem(`the ${metadata.kind} ${metadata.checkpointId} does not belong in a folder named ${basename(folder)} (${named.kind} ${named.id})`);
  }
}

async function exists(path: string): Promise<boolean> {
  return stat(path).then(() => true, () => false);
}

/**
 * Looks at a folder: no `_metadata` is `incomplete`; a `_metadata` that does not parse, check or
 * fit the folder's name, or (with `verifyFiles`) a subtask file missing or not matching its size
 * and sha256, is `invalid` with a clause saying what is wrong.
 */
export async function inspectFolder(folder: string, verifyFiles: boolean): Promise<FolderInspection> {
  let text: string;
  try {
    text = await readFile(join(folder, METADATA_FILE), 'utf8');
  } catch (error) {
    if (hasCode(error, 'ENOENT')) return { state: 'incomplete' };
    return { state: 'invalid', problem: `its ${METADATA_FILE} cannot be read: ${describeFsError(error, folder)}` };
  }
  let metadata: CheckpointMetadata;
  try {
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch (error) {
      return { state: 'invalid', problem: `its ${METADATA_FILE} is not valid JSON (${(error as Error).message})` };
    }
    metadata = checkMetadata(parsed);
    checkFolderName(folder, metadata);
  } catch (error) {
    if (!(error instanceof MetadataProblem)) throw error;
    return { state: 'invalid', problem: `its ${METADATA_FILE} is not usable: ${error.message}` };
  }
  if (verifyFiles) {
    for (const file of distinctFiles(metadata)) {
      const problem = await fileProblem(folder, file);
      if (problem !== undefined) return { state: 'invalid', problem };
    }
  }
  return { state: 'complete', checkpoint: { folder, metadata } };
}

/** What is wrong with one subtask file (missing, wrong size, wrong sha256), or undefined. */
async function fileProblem(folder: string, file: SubtaskFile): Promise<string | undefined> {
  const path = join(folder, file.name);
  try {
    const size = (await stat(path)).size;
    if (size !== file.bytes) return sizeProblem(file, size);
    const hash = createHash('sha256');
    for await (const chunk of createReadStream(path)) hash.update(chunk as Buffer);
    return shaProblem(file, hash.digest('hex'));
  } catch (error) {
    if (hasCode(error, 'ENOENT')) return `its file ${JSON.stringify(file.name)} is missing`;
    return `its file ${JSON.stringify(file.name)} cannot be read: ${describeFsError(error, path)}`;
  }
}

function sizeProblem(file: SubtaskFile, size: number): string {
  return `its file ${JSON.stringify(file.name)} has ${size} bytes where ${METADATA_FILE} records ${file.bytes}`;
}

function shaProblem(file: SubtaskFile, sha256: string): string | undefined {
  if (sha256 === file.sha256) return undefined;
  return `its file ${JSON.stringify(file.name)} has the sha256 ${sha256} where ${METADATA_FILE} records ${file.sha256} (its content changed)`;
}

/** Reads one subtask file's bytes (a plain `Uint8Array`), checked against the size and sha256 its `_metadata` records. */
export async function readSubtaskFile(folder: string, file: SubtaskFile): Promise<Uint8Array> {
  if (!isSubtaskFileName(file.name)) {
    throw new StreamError('INVALID_ARGUMENT', `Subtask file name ${JSON.stringify(file.name)} is not a plain file name in ${folder}.`, { domain: 'internal' });
  }
  const path = join(folder, file.name);
  let bytes: Buffer;
  try {
    bytes = await readFile(path);
  } catch (error) {
    const what = hasCode(error, 'ENOENT') ? `its file ${JSON.stringify(file.name)} is missing` : `its file ${JSON.stringify(file.name)} cannot be read: ${describeFsError(error, path)}`;
    throw storageError(`Cannot restore from the checkpoint in ${folder}: ${what}.`, 'external', error);
  }
  const problem = bytes.byteLength !== file.bytes ? sizeProblem(file, bytes.byteLength) : shaProblem(file, createHash('sha256').update(bytes).digest('hex'));
  if (problem !== undefined) throw storageError(`Cannot restore from the checkpoint in ${folder}: ${problem}. Restore from an earlier checkpoint.`, 'external');
  return new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength); // a plain Uint8Array, not a Buffer, without a copy
}

/** The folder a path names: the folder itself, or the folder of a `_metadata` file. */
export function folderOfPath(path: string): string {
  return basename(path) === METADATA_FILE ? dirname(path) : path;
}
