// The _metadata of a checkpoint or savepoint: its TypeScript shape, the JSON it is written as, the
// structural checks of what is read back or handed in, and the names of the folders and files.

/** The version of the checkpoint format (`_metadata` and the subtask files) this module writes and the only one it reads; 2: subtask files hold each part (an operator's own state, a key group) as bytes of its own. */
export const CHECKPOINT_FORMAT_VERSION = 2;

/** The name of the file that makes a folder a completed checkpoint; it is written last. */
export const METADATA_FILE = '_metadata';

/** Whether a completed snapshot is a checkpoint (kept by retention) or a savepoint (kept forever). */
export type CheckpointKind = 'checkpoint' | 'savepoint';

/** One subtask's file in a checkpoint folder, with what a reader checks it against. */
export interface SubtaskFile {
  /** The file's name inside the checkpoint folder (no path), e.g. `subtask-3-1.state`. */
  readonly name: string;
  /** Its size in bytes. */
  readonly bytes: number;
  /** The SHA-256 of its content, 64 lowercase hex characters. */
  readonly sha256: string;
}

/** One operator of the job in a checkpoint, with the file of each of its subtasks. */
export interface OperatorMetadata {
  /** The operator's stable id: state is matched to operators by it on restore. */
  readonly uid: string;
  /** The operator's name, for people. */
  readonly name: string;
  /** The operator's parallelism when the checkpoint was taken. */
  readonly parallelism: number;
  /**
   * The file of each subtask, by subtask index (`files.length === parallelism`). Operators of one
   * chain may name the same file, with the same size and checksum.
   */
  readonly files: readonly SubtaskFile[];
}

/** The content of `_metadata`: what a restore needs to find and check every subtask's state. */
export interface CheckpointMetadata {
  /** Always {@link CHECKPOINT_FORMAT_VERSION}; a reader refuses any other. */
  readonly formatVersion: typeof CHECKPOINT_FORMAT_VERSION;
  /** The checkpoint's id, the `n` of its folder's name. */
  readonly checkpointId: number;
  /** A checkpoint (in a `chk-<n>` folder) or a savepoint (in a `savepoint-<n>-<hex>` folder). */
  readonly kind: CheckpointKind;
  /** The name of the job that took it, for people. */
  readonly jobName: string;
  /** When the checkpoint was triggered, epoch ms. */
  readonly triggeredAt: number;
  /** When its last subtask acknowledged it, epoch ms. */
  readonly completedAt: number;
  /** The job's number of key groups. */
  readonly maxParallelism: number;
  /** Every operator of the job, each with the file of each of its subtasks. */
  readonly operators: readonly OperatorMetadata[];
}

/** What a caller hands to `CheckpointStorage.complete`: the metadata, its version optional. */
export type CheckpointMetadataInput = Omit<CheckpointMetadata, 'formatVersion'> & {
  readonly formatVersion?: typeof CHECKPOINT_FORMAT_VERSION;
};

/** A checkpoint folder's name: `chk-<n>`, n a positive integer without leading zeros. */
export const CHECKPOINT_FOLDER = /^chk-([1-9][0-9]*)$/;

/** A savepoint folder's name: `savepoint-<n>-<8 hex chars>`. */
export const SAVEPOINT_FOLDER = /^savepoint-([1-9][0-9]*)-([0-9a-f]{8})$/;

/** A subtask file's name: letters, digits, `.`, `_` and `-`, starting with a letter or digit. */
const SUBTASK_FILE_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,199}$/;

const SHA256_HEX = /^[0-9a-f]{64}$/;

/** Whether `name` may name a subtask file: a plain name, never `_metadata` or a temporary file. */
export function isSubtaskFileName(name: string): boolean {
  return SUBTASK_FILE_NAME.test(name);
}

/** The id and kind a folder's name implies (`chk-7`: checkpoint 7), or undefined for another name. */
export function folderNameId(name: string): { id: number; kind: CheckpointKind } | undefined {
  const checkpoint = CHECKPOINT_FOLDER.exec(name);
  if (checkpoint !== null) return idOf(checkpoint[1]!, 'checkpoint');
  const savepoint = SAVEPOINT_FOLDER.exec(name);
  if (savepoint !== null) return idOf(savepoint[1]!, 'savepoint');
  return undefined;
}

function idOf(digits: string, kind: CheckpointKind): { id: number; kind: CheckpointKind } | undefined {
  const id = Number(digits);
  return Number.isSafeInteger(id) ? { id, kind } : undefined;
}

/** Thrown by {@link checkMetadata}: `message` says what is wrong, as a clause ("jobName is not a string"). */
export class MetadataProblem extends Error {
  override readonly name = 'MetadataProblem';
}

/**
 * Checks that `value` has the shape of {@link CheckpointMetadata} and returns a copy with only its
 * known fields, in their order. Throws a {@link MetadataProblem} naming the first field at fault.
 */
export function checkMetadata(value: unknown): CheckpointMetadata {
  const record = object(value, 'the content');
  const version = record['formatVersion'];
  if (version === undefined) throw new MetadataProblem('it has no formatVersion');
  if (version !== CHECKPOINT_FORMAT_VERSION) {
    throw new MetadataProblem(
      `its formatVersion is ${JSON.stringify(version)}, and this version of eddy reads only formatVersion ${CHECKPOINT_FORMAT_VERSION}; ` +
        'restore it with the version of eddy that wrote it',
    );
  }
  const kind = record['kind'];
  if (kind !== 'checkpoint' && kind !== 'savepoint') throw new MetadataProblem(`its kind is ${JSON.stringify(kind)}, not "checkpoint" or "savepoint"`);
  const operators = record['operators'];
  if (!Array.isArray(operators)) throw new MetadataProblem('its operators is not a list');
  const files = new Map<string, SubtaskFile>();
  const uids = new Set<string>();
  return {
    formatVersion: CHECKPOINT_FORMAT_VERSION,
    checkpointId: positiveInteger(record['checkpointId'], 'checkpointId'),
    kind,
    jobName: string(record['jobName'], 'jobName'),
    triggeredAt: timestamp(record['triggeredAt'], 'triggeredAt'),
    completedAt: timestamp(record['completedAt'], 'completedAt'),
    maxParallelism: positiveInteger(record['maxParallelism'], 'maxParallelism'),
    operators: operators.map((operator: unknown, i) => {
      const checked = checkOperator(operator, `operators[${i}]`, files);
      if (uids.has(checked.uid)) throw new MetadataProblem(`operators[${i}] repeats the uid ${JSON.stringify(checked.uid)}`);
      uids.add(checked.uid);
      return checked;
    }),
  };
}

function checkOperator(value: unknown, where: string, seen: Map<string, SubtaskFile>): OperatorMetadata {
  const record = object(value, where);
  const parallelism = positiveInteger(record['parallelism'], `${where}.parallelism`);
  const files = record['files'];
  if (!Array.isArray(files)) throw new MetadataProblem(`${where}.files is not a list`);
  if (files.length !== parallelism) {
    throw new MetadataProblem(`${where}.files lists ${files.length} files for a parallelism of ${parallelism} (one per subtask)`);
  }
  return {
    uid: string(record['uid'], `${where}.uid`),
    name: string(record['name'], `${where}.name`),
    parallelism,
    files: files.map((file: unknown, i) => {
      const checked = checkFile(file, `${where}.files[${i}]`);
      const earlier = seen.get(checked.name);
      if (earlier !== undefined && (earlier.bytes !== checked.bytes || earlier.sha256 !== checked.sha256)) {
        throw new MetadataProblem(`${where}.files[${i}] names the file ${JSON.stringify(checked.name)} again with another size or checksum`);
      }
      seen.set(checked.name, checked);
      return checked;
    }),
  };
}

function checkFile(value: unknown, where: string): SubtaskFile {
  const record = object(value, where);
  const name = string(record['name'], `${where}.name`);
  if (!isSubtaskFileName(name)) {
    throw new MetadataProblem(`${where}.name ${JSON.stringify(name)} is not a plain file name (letters, digits, ".", "_" and "-", starting with a letter or digit)`);
  }
  const bytes = record['bytes'];
  if (typeof bytes !== 'number' || !Number.isSafeInteger(bytes) || bytes < 0) throw new MetadataProblem(`${where}.bytes is not a whole number of bytes`);
  const sha256 = record['sha256'];
  if (typeof sha256 !== 'string' || !SHA256_HEX.test(sha256)) throw new MetadataProblem(`${where}.sha256 is not 64 lowercase hex characters`);
  return { name, bytes, sha256 };
}

function object(value: unknown, where: string): Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new MetadataProblem(`${where} is not a JSON object`);
  return value as Record<string, unknown>;
}

function string(value: unknown, where: string): string {
  if (typeof value !== 'string') throw new MetadataProblem(`${where} is not a string`);
  return value;
}

function positiveInteger(value: unknown, where: string): number {
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 1) throw new MetadataProblem(`${where} is not a whole number of at least 1`);
  return value;
}

function timestamp(value: unknown, where: string): number {
  if (typeof value !== 'number' || !Number.isFinite(value)) throw new MetadataProblem(`${where} is not a time in epoch ms`);
  return value;
}

/** The subtask files a metadata names, each once (operators of a chain may share one). */
export function distinctFiles(metadata: CheckpointMetadata): SubtaskFile[] {
  const files = new Map<string, SubtaskFile>();
  for (const operator of metadata.operators) for (const file of operator.files) files.set(file.name, file);
  return [...files.values()];
}

/** The JSON text of `_metadata`: indented for people, one trailing newline. */
export function formatMetadata(metadata: CheckpointMetadata): string {
  return `${JSON.stringify(metadata, null, 2)}\n`;
}
