// Checkpoints and savepoints on the local file system (Flink's FsCheckpointStorage): chk-<n>
// folders under a directory, their retention, the newest valid one, and the paths a restore takes.

import { randomBytes } from 'node:crypto';
import type { Dirent } from 'node:fs';
import { mkdir, readdir, rm, stat, unlink } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { StreamError } from '../core/errors.js';
import { logger } from '../core/log.js';
import {
  completeCheckpoint,
  describeFsError,
  folderOfPath,
  hasCode,
  inspectFolder,
  storageError,
  syncFolder,
  writeSubtaskFile,
  type CompletedCheckpoint,
} from './checkpoint-files.js';
import { CHECKPOINT_FOLDER, METADATA_FILE, type CheckpointMetadata, type CheckpointMetadataInput, type SubtaskFile } from './checkpoint-metadata.js';

export { readSubtaskFile, type CompletedCheckpoint } from './checkpoint-files.js';
export {
  CHECKPOINT_FORMAT_VERSION,
  METADATA_FILE,
  type CheckpointKind,
  type CheckpointMetadata,
  type CheckpointMetadataInput,
  type OperatorMetadata,
  type SubtaskFile,
} from './checkpoint-metadata.js';

/** The code of the warning `latest()` emits for each completed checkpoint it skips as unusable. */
export const CHECKPOINT_SKIPPED_WARNING = 'EDDY_CHECKPOINT_SKIPPED';

/** A `chk-<n>` folder found in the checkpoint directory. */
interface CheckpointFolder {
  readonly id: number;
  readonly folder: string;
}

/**
 * The checkpoints of one job under a directory: `<dir>/chk-<n>/` holds one file per subtask and,
 * written last and atomically, `_metadata`; a folder without a valid one is not a checkpoint.
 * Used by the checkpoint coordinator in the main thread; subtasks write their own files with the
 * static {@link CheckpointStorage.writeSubtaskFile} from any thread.
 */
export class CheckpointStorage {
  /** The absolute path of the checkpoint directory. */
  readonly dir: string;

  /** Storage under `dir` (made absolute); nothing is created until the first checkpoint begins. */
  constructor(dir: string) {
    this.dir = resolve(dir);
  }

  /** The folder of checkpoint `id`: `<dir>/chk-<id>`. */
  checkpointPath(id: number): string {
    return join(this.dir, `chk-${requireCheckpointId(id, 'checkpointPath')}`);
  }

  /**
   * The highest n of any `chk-<n>` folder present, complete or not, 0 when there is none: the
   * next checkpoint's id must be above it, so that a `chk-<n>` name never repeats in the directory.
   */
  async highestId(): Promise<number> {
    const folders = await this.folders();
    return folders.length === 0 ? 0 : folders[0]!.id;
  }

  /** Creates `<dir>/chk-<id>/` (and `<dir>` if needed) and returns its path; refuses an id whose folder exists. */
  async begin(id: number): Promise<string> {
    const folder = this.checkpointPath(requireCheckpointId(id, 'begin'));
    try {
      await makeFolder(folder);
    } catch (error) {
      const taken = hasCode(error, 'EEXIST') && (await stat(folder).then((s) => s.isDirectory(), () => false));
      if (!taken) throw storageError(`Cannot create the checkpoint folder ${folder}: ${describeFsError(error, this.dir)}.`, 'external', error, true);
      throw storageError(
        `Cannot begin checkpoint ${id}: ${folder} already exists. Checkpoint ids never repeat in a directory: take one above highestId() (${await this.highestId()}), ` +
          'and give each job a checkpoint directory of its own.',
        'user',
        error,
      );
    }
    return folder;
  }

  /** Writes one subtask's file into a checkpoint folder (write + fsync) and returns its name, size and sha256. Only node:fs: usable in any thread. */
  static writeSubtaskFile(folder: string, name: string, bytes: Uint8Array): Promise<SubtaskFile> {
    return writeSubtaskFile(folder, name, bytes);
  }

  /**
   * Completes the checkpoint in `folder`: checks `metadata` and that each file it names is there
   * with its size, then writes `_metadata` atomically (a temporary file in the folder, fsync,
   * rename, fsync of the folder). Returns the metadata as written, with its `formatVersion`.
   */
  static complete(folder: string, metadata: CheckpointMetadataInput): Promise<CheckpointMetadata> {
    return completeCheckpoint(folder, metadata);
  }

  /** Deletes the folder of a checkpoint that will not complete (aborted, timed out); refuses a completed one. */
  async discard(id: number): Promise<void> {
    const folder = this.checkpointPath(requireCheckpointId(id, 'discard'));
    if ((await inspectFolder(folder, false)).state === 'complete') {
      throw storageError(`Cannot discard checkpoint ${id}: ${folder} is a completed checkpoint. discard() is for checkpoints that will not complete; retain() removes old ones.`, 'internal');
    }
    await removeFolder(folder);
  }

  /**
   * Keeps the newest `retained` completed checkpoints: deletes older completed ones, and incomplete
   * ones older than the newest completed (abandoned or subsumed); keeps incomplete ones newer than it
   * (in progress). Never touches savepoints or anything not named `chk-<n>`. A checkpoint counts as
   * completed here when its `_metadata` reads and checks; its subtask files are not read. Returns
   * the folders deleted.
   */
  async retain(retained: number): Promise<string[]> {
    requireCheckpointId(retained, 'retain');
    const completed: CheckpointFolder[] = [];
    const incomplete: CheckpointFolder[] = [];
    for (const folder of await this.folders()) {
      ((await inspectFolder(folder.folder, false)).state === 'complete' ? completed : incomplete).push(folder);
    }
    if (completed.length === 0) return [];
    const newest = completed[0]!.id;
    const doomed = [...completed.slice(retained), ...incomplete.filter((folder) => folder.id < newest)].sort((a, b) => a.id - b.id);
    for (const { folder } of doomed) await removeFolder(folder);
    return doomed.map(({ folder }) => folder);
  }

  /**
   * The newest completed, valid checkpoint, undefined when there is none. Folders without a
   * `_metadata` are in progress or were left by a crash: skipped silently. A completed one whose
   * `_metadata` does not read or check, or whose subtask files are missing or do not match their
   * size and sha256, is skipped for the one before it with a warning (code `EDDY_CHECKPOINT_SKIPPED`).
   * It reads every subtask file of the checkpoints it looks at, to check their sha256: call it to
   * restore, not at every checkpoint.
   */
  async latest(): Promise<CompletedCheckpoint | undefined> {
    for (const { folder } of await this.folders()) {
      const found = await inspectFolder(folder, true);
      if (found.state === 'complete') return found.checkpoint;
      if (found.state === 'invalid') {
        logger().warn({ code: CHECKPOINT_SKIPPED_WARNING, folder }, `Skipped the checkpoint in ${folder}: ${found.problem}. Looking for an earlier checkpoint.`);
      }
    }
    return undefined;
  }

  /** Creates a savepoint folder for checkpoint `id` under `savepointDir`, named `savepoint-<id>-<8 random hex chars>`. */
  static async beginSavepoint(savepointDir: string, id: number): Promise<string> {
    requireCheckpointId(id, 'beginSavepoint');
    for (let attempt = 0; ; attempt++) {
      const folder = join(resolve(savepointDir), `savepoint-${id}-${randomBytes(4).toString('hex')}`);
      try {
        await makeFolder(folder);
        return folder;
      } catch (error) {
        if (hasCode(error, 'EEXIST') && attempt < 8) continue;
        throw storageError(`Cannot create the savepoint folder ${folder}: ${describeFsError(error, savepointDir)}.`, 'external', error, true);
      }
    }
  }

  /** The `chk-<n>` folders of the directory, newest first; none when it does not exist. */
  private async folders(): Promise<CheckpointFolder[]> {
    let entries: Dirent[];
    try {
      entries = await readdir(this.dir, { withFileTypes: true });
    } catch (error) {
      if (hasCode(error, 'ENOENT')) return [];
      throw storageError(`Cannot list the checkpoint directory ${this.dir}: ${describeFsError(error, this.dir)}.`, 'external', error, true);
    }
    const folders: CheckpointFolder[] = [];
    for (const entry of entries) {
      const match = CHECKPOINT_FOLDER.exec(entry.name);
      const id = match === null ? NaN : Number(match[1]);
      if (entry.isDirectory() && Number.isSafeInteger(id)) folders.push({ id, folder: join(this.dir, entry.name) });
    }
    return folders.sort((a, b) => b.id - a.id);
  }
}

/** Returns `id` if it is a whole number of at least 1, else throws naming the method. */
function requireCheckpointId(id: number, method: string): number {
  if (!Number.isSafeInteger(id) || id < 1) {
    throw new StreamError('INVALID_ARGUMENT', `CheckpointStorage.${method}(${String(id)}): expected a whole number of at least 1, such as 1, 2 or 3.`, { domain: 'internal' });
  }
  return id;
}

/** Creates `folder` (its parents as needed; the folder itself must be new) and makes the new entries durable. */
async function makeFolder(folder: string): Promise<void> {
  const parent = dirname(folder);
  const firstCreated = await mkdir(parent, { recursive: true });
  await mkdir(folder);
  // Sync each folder that gained an entry: the parent of the first one created up to `folder`'s.
  const top = firstCreated === undefined ? parent : dirname(firstCreated);
  for (let at = parent; ; at = dirname(at)) {
    await syncFolder(at);
    if (at === top || dirname(at) === at) break;
  }
}

/** Deletes a checkpoint folder, `_metadata` first, so that a crash midway leaves an incomplete folder. */
async function removeFolder(folder: string): Promise<void> {
  try {
    await unlink(join(folder, METADATA_FILE)).catch((error: unknown) => {
      if (!hasCode(error, 'ENOENT')) throw error;
    });
    await rm(folder, { recursive: true, force: true, maxRetries: 3 });
  } catch (error) {
    throw storageError(`Cannot delete the checkpoint folder ${folder}: ${describeFsError(error, folder)}.`, 'external', error, true);
  }
}

/**
 * Reads and verifies a checkpoint or savepoint: `path` is its folder or its `_metadata` file. Throws
 * a `StreamError` (`CHECKPOINT_STORAGE`) saying what is wrong: the path missing, no `_metadata`
 * (not a completed checkpoint), a `_metadata` that does not read or check, a subtask file missing
 * or not matching its size and sha256.
 */
export async function readCheckpoint(path: string): Promise<CompletedCheckpoint> {
  const absolute = resolve(path);
  const folder = folderOfPath(absolute);
  // A _metadata path whose folder exists is read as that folder, so a missing _metadata says so.
  const kind = await stat(folder === absolute ? absolute : folder).then(
    (s) => (s.isDirectory() ? 'folder' : 'file'),
    (error: unknown) => {
      if (hasCode(error, 'ENOENT')) return 'missing';
      throw storageError(`Cannot read the checkpoint at ${absolute}: ${describeFsError(error, absolute)}.`, 'external', error);
    },
  );
  const what = 'Pass the folder of a checkpoint (chk-<n>) or savepoint (savepoint-<n>-<hex>), or its _metadata file.';
  if (kind === 'missing') {
    throw storageError(`There is no checkpoint at ${folder}: the path does not exist. ${what}`, 'user');
  }
  if (kind === 'file') throw storageError(`${folder} is a file, not a checkpoint. ${what}`, 'user');
  const found = await inspectFolder(folder, true);
  if (found.state === 'complete') return found.checkpoint;
  if (found.state === 'invalid') {
    throw storageError(`Cannot restore from the checkpoint in ${folder}: ${found.problem}. Restore from an earlier checkpoint ('latest' skips damaged ones).`, 'external');
  }
  const holds = await new CheckpointStorage(folder).highestId();
  if (holds > 0) {
    throw storageError(`${folder} is not a completed checkpoint: it is a checkpoint directory, holding chk-<n> folders. Pass one of them, or 'latest'.`, 'user');
  }
  throw storageError(
    `${folder} is not a completed checkpoint: it has no ${METADATA_FILE}, which a checkpoint gets last, so it was still in progress or cut short by a crash. ` +
      "Restore from an earlier checkpoint, or from 'latest'.",
    'user',
  );
}

/**
 * Resolves the argument of `restoreFrom`: `'latest'` is the newest valid checkpoint under `dir`
 * (a `StreamError` naming the folder searched when there is none, or when no `dir` is set); any
 * other value is the path of a checkpoint or savepoint folder or of its `_metadata`, read and
 * verified with {@link readCheckpoint}.
 */
export async function resolveRestorePath(pathOrLatest: string, dir: string | undefined): Promise<CompletedCheckpoint> {
  if (pathOrLatest !== 'latest') return readCheckpoint(pathOrLatest);
  if (dir === undefined) {
    throw storageError("restoreFrom('latest') needs a checkpoint directory to search: set the job's checkpoint directory, or pass the path of a checkpoint or savepoint.", 'user');
  }
  const storage = new CheckpointStorage(dir);
  const latest = await storage.latest();
  if (latest !== undefined) return latest;
  const found = (await storage.highestId()) === 0 ? 'it holds no chk-<n> folder' : `its chk-<n> folders are in progress, incomplete or damaged (see the ${CHECKPOINT_SKIPPED_WARNING} warnings)`;
  throw storageError(
    `There is no completed checkpoint to restore from in ${storage.dir}: ${found}. ` +
      'Pass the path of a savepoint or checkpoint instead, or run the job without restoreFrom.',
    'user',
  );
}
