// Tests of checkpoint storage on disk: the chk-<n> layout and atomic _metadata (fsync included),
// ids, retention, latest() skipping damaged checkpoints with a warning, savepoints, and restore paths.

import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, readlinkSync, rmSync, writeFileSync } from 'node:fs';
import { mkdtemp, open } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { after, describe, it } from 'node:test';
import { StreamError } from '../../src/core/errors.js';
import {
  CHECKPOINT_SKIPPED_WARNING,
  CheckpointStorage,
  readCheckpoint,
  readSubtaskFile,
  resolveRestorePath,
  type CheckpointMetadataInput,
  type SubtaskFile,
} from '../../src/checkpoint/checkpoint-storage.js';
import { warningsDuring } from '../harness/logs.js';

const roots: string[] = [];
after(() => {
  for (const root of roots) rmSync(root, { recursive: true, force: true });
});

/** A new empty temp folder, removed after the tests. */
async function fresh(): Promise<string> {
  const root = await mkdtemp(join(tmpdir(), 'eddy-checkpoint-storage-'));
  roots.push(root);
  return root;
}

function metadataFor(id: number, files: SubtaskFile[], kind: 'checkpoint' | 'savepoint' = 'checkpoint'): CheckpointMetadataInput {
  return {
    checkpointId: id,
    kind,
    jobName: 'word count',
    triggeredAt: 1_700_000_000_000 + id,
    completedAt: 1_700_000_000_050 + id,
    maxParallelism: 128,
    operators: [
      { uid: 'source', name: 'Source: words', parallelism: 2, files: [files[0]!, files[1]!] },
      // Chained with the source: shares its subtasks' files.
      { uid: 'split', name: 'Split', parallelism: 2, files: [files[0]!, files[1]!] },
      { uid: 'sum', name: 'Sum per word', parallelism: 1, files: [files[2]!] },
    ],
  };
}

/** Writes checkpoint `id` (three subtask files) into `folder` and completes it unless told not to. */
async function writeCheckpoint(folder: string, id: number, options: { complete?: boolean; kind?: 'checkpoint' | 'savepoint' } = {}): Promise<SubtaskFile[]> {
  const files = [
    await CheckpointStorage.writeSubtaskFile(folder, 'subtask-1-0.state', new TextEncoder().encode(`source 0 of checkpoint ${id}`)),
    await CheckpointStorage.writeSubtaskFile(folder, 'subtask-1-1.state', new TextEncoder().encode(`source 1 of checkpoint ${id}`)),
    await CheckpointStorage.writeSubtaskFile(folder, 'subtask-2-0.state', new Uint8Array(10_000).fill(id)),
  ];
  if (options.complete !== false) await CheckpointStorage.complete(folder, metadataFor(id, files, options.kind));
  return files;
}

/** Begins and completes checkpoints `ids` in `storage`. */
async function completed(storage: CheckpointStorage, ...ids: number[]): Promise<void> {
  for (const id of ids) await writeCheckpoint(await storage.begin(id), id);
}

/** Runs `fn` and returns it with the EDDY_CHECKPOINT_SKIPPED warnings logged meanwhile. */
function withWarnings<T>(fn: () => Promise<T>): Promise<{ result: T; warnings: string[] }> {
  return warningsDuring(CHECKPOINT_SKIPPED_WARNING, fn);
}

/** Asserts that `promise` rejects with a CHECKPOINT_STORAGE StreamError whose message is a sentence matching `pattern`. */
async function rejectsWith(promise: Promise<unknown>, pattern: RegExp, code = 'CHECKPOINT_STORAGE'): Promise<StreamError> {
  let caught: unknown;
  await promise.then(() => assert.fail(`expected a rejection matching ${pattern}`), (error: unknown) => void (caught = error));
  assert.ok(caught instanceof StreamError, `not a StreamError: ${String(caught)}`);
  assert.equal(caught.code, code);
  assert.match(caught.message, pattern);
  assert.match(caught.message, /^[A-Za-z/].*[.]$/s, `not a sentence: ${caught.message}`);
  return caught;
}

describe('checkpoint storage: layout and atomic completion', () => {
  it('creates nothing until a checkpoint begins, then <dir>/chk-<n>/ with the subtask files and _metadata last', async () => {
    const dir = join(await fresh(), 'jobs', 'word-count');
    const storage = new CheckpointStorage(dir);
    assert.equal(await storage.highestId(), 0);
    assert.equal(await storage.latest(), undefined);
    assert.equal(existsSync(dir), false, 'nothing created by reading');
    assert.equal(storage.checkpointPath(12), join(dir, 'chk-12'));

    const folder = await storage.begin(1);
    assert.equal(folder, join(dir, 'chk-1'));
    const files = await writeCheckpoint(folder, 1, { complete: false });
    assert.deepEqual(files[0], {
      name: 'subtask-1-0.state',
      bytes: 24,
      sha256: createHash('sha256').update('source 0 of checkpoint 1').digest('hex'),
    });
    assert.deepEqual(readdirSync(folder).sort(), ['subtask-1-0.state', 'subtask-1-1.state', 'subtask-2-0.state']);
    const before = await withWarnings(() => storage.latest());
    assert.equal(before.result, undefined, 'a folder without _metadata is not a checkpoint');
    assert.deepEqual(before.warnings, [], 'a checkpoint in progress is no reason to warn');
    await rejectsWith(readCheckpoint(folder), /chk-1 is not a completed checkpoint: it has no _metadata/);

    const written = await CheckpointStorage.complete(folder, metadataFor(1, files));
    assert.deepEqual(readdirSync(folder).sort(), ['_metadata', 'subtask-1-0.state', 'subtask-1-1.state', 'subtask-2-0.state'], 'no temporary file left');
    const text = readFileSync(join(folder, '_metadata'), 'utf8');
    assert.match(text, /^\{\n {2}"formatVersion": 2,\n {2}"checkpointId": 1,\n/, 'indented JSON, version first');
    assert.deepEqual(JSON.parse(text), { formatVersion: 2, ...metadataFor(1, files) });
    assert.deepEqual(written, JSON.parse(text));
    const latest = await storage.latest();
    assert.deepEqual(latest, { folder, metadata: written });
    assert.deepEqual(new TextDecoder().decode(await readSubtaskFile(folder, files[1]!)), 'source 1 of checkpoint 1');
    assert.deepEqual(await readSubtaskFile(folder, files[2]!), new Uint8Array(10_000).fill(1));
  });

  it('fsyncs each subtask file, the temporary _metadata before its rename, and the folder after it', async (t) => {
    const storage = new CheckpointStorage(await fresh());
    const folder = await storage.begin(1);
    const probe = await open(join(folder, 'probe'), 'w');
    const fileHandle = Object.getPrototypeOf(probe) as { sync(): Promise<void> };
    await probe.close();
    rmSync(join(folder, 'probe'));
    const synced: string[] = [];
    const sync = fileHandle.sync;
    t.mock.method(fileHandle, 'sync', function (this: { fd: number }) {
      const path = process.platform === 'linux' ? readlinkSync(`/proc/self/fd/${this.fd}`) : '?';
      synced.push(`${relative(storage.dir, path)}${existsSync(join(folder, '_metadata')) ? ' (after _metadata)' : ''}`);
      return sync.call(this);
    });
    await writeCheckpoint(folder, 1);
    assert.equal(synced.length, 5);
    if (process.platform !== 'linux') return;
    assert.deepEqual(synced.slice(0, 3), [join('chk-1', 'subtask-1-0.state'), join('chk-1', 'subtask-1-1.state'), join('chk-1', 'subtask-2-0.state')]);
    assert.match(synced[3]!, /^chk-1\/_metadata\.[0-9a-f]{12}\.tmp$/, 'the temporary file, before _metadata exists');
    assert.equal(synced[4], 'chk-1 (after _metadata)', 'the folder, once renamed');
  });

  it('a crash before the rename leaves a folder without _metadata (its temporary file only): skipped silently', async () => {
    const storage = new CheckpointStorage(await fresh());
    await completed(storage, 1);
    const folder = await storage.begin(2);
    await writeCheckpoint(folder, 2, { complete: false });
    writeFileSync(join(folder, '_metadata.0123456789ab.tmp'), '{"formatVersion": 2, "checkpo');
    const { result, warnings } = await withWarnings(() => storage.latest());
    assert.equal(result?.metadata.checkpointId, 1);
    assert.deepEqual(warnings, []);
  });

  it('complete() refuses metadata that does not fit the folder: missing or short files, a second completion, another id', async () => {
    const storage = new CheckpointStorage(await fresh());
    const folder = await storage.begin(3);
    const files = await writeCheckpoint(folder, 3, { complete: false });
    const missing = { name: 'subtask-9-0.state', bytes: 4, sha256: 'a'.repeat(64) };
    await rejectsWith(CheckpointStorage.complete(folder, { ...metadataFor(3, files), operators: [{ uid: 'x', name: 'X', parallelism: 1, files: [missing] }] }), /"subtask-9-0.state" is missing where the metadata records 4 bytes/);
    await rejectsWith(CheckpointStorage.complete(folder, metadataFor(3, [files[0]!, files[1]!, { ...files[2]!, bytes: 9 }])), /"subtask-2-0.state" has 10000 bytes where the metadata records 9 bytes/);
    await rejectsWith(CheckpointStorage.complete(folder, metadataFor(4, files)), /the checkpoint 4 does not belong in a folder named chk-3 \(checkpoint 3\)/, 'INVALID_ARGUMENT');
    await rejectsWith(CheckpointStorage.complete(folder, metadataFor(3, files, 'savepoint')), /the savepoint 3 does not belong in a folder named chk-3/, 'INVALID_ARGUMENT');
    const wrongCount = { ...metadataFor(3, files), operators: [{ uid: 'sum', name: 'Sum', parallelism: 2, files: [files[2]!] }] };
    await rejectsWith(CheckpointStorage.complete(folder, wrongCount), /operators\[0\]\.files lists 1 files for a parallelism of 2/, 'INVALID_ARGUMENT');
    const conflicting = metadataFor(3, files);
    const twice = { ...conflicting, operators: [conflicting.operators[0]!, { ...conflicting.operators[1]!, files: [files[0]!, { ...files[1]!, sha256: 'b'.repeat(64) }] }] };
    await rejectsWith(CheckpointStorage.complete(folder, twice), /names the file "subtask-1-1.state" again with another size or checksum/, 'INVALID_ARGUMENT');
    assert.equal(existsSync(join(folder, '_metadata')), false, 'nothing written by the refusals');
    await CheckpointStorage.complete(folder, metadataFor(3, files));
    await rejectsWith(CheckpointStorage.complete(folder, metadataFor(3, files)), /already has a _metadata\. A checkpoint completes once\./);
    assert.equal(readdirSync(folder).filter((name) => name.startsWith('_')).join(), '_metadata');
  });

  it('writeSubtaskFile refuses names that are not plain, a file written twice, and a folder that is gone', async () => {
    const storage = new CheckpointStorage(await fresh());
    const folder = await storage.begin(1);
    const bytes = new Uint8Array([1, 2, 3]);
    for (const name of ['_metadata', '../escape.state', '.hidden', 'a/b', '']) {
      await rejectsWith(CheckpointStorage.writeSubtaskFile(folder, name, bytes), /is not allowed: use letters, digits/, 'INVALID_ARGUMENT');
    }
    assert.deepEqual((await CheckpointStorage.writeSubtaskFile(folder, 'empty.state', new Uint8Array(0))).bytes, 0);
    await CheckpointStorage.writeSubtaskFile(folder, 'subtask-0-0.state', bytes);
    await rejectsWith(CheckpointStorage.writeSubtaskFile(folder, 'subtask-0-0.state', bytes), /the file already exists/);
    await storage.discard(1);
    await rejectsWith(CheckpointStorage.writeSubtaskFile(folder, 'subtask-0-1.state', bytes), /does not exist\. The checkpoint was discarded/);
    assert.equal(existsSync(folder), false, 'a late subtask does not bring a discarded folder back');
  });
});

describe('checkpoint storage: ids, discard and retention', () => {
  it('highestId counts complete and incomplete chk-<n> folders and nothing else', async () => {
    const storage = new CheckpointStorage(await fresh());
    await completed(storage, 2, 7);
    await storage.begin(9);
    for (const other of ['chk-0', 'chk-012', 'chk-x', 'chk-99999999999999999999', 'savepoint-50-0a1b2c3d', 'notes']) mkdirSync(join(storage.dir, other));
    writeFileSync(join(storage.dir, 'chk-40'), 'a file, not a folder');
    assert.equal(await storage.highestId(), 9);
  });

  it('begin refuses an id whose folder exists, saying which id is free; ids must be whole and positive', async () => {
    const storage = new CheckpointStorage(await fresh());
    await completed(storage, 1);
    await storage.begin(2);
    await rejectsWith(storage.begin(2), /Cannot begin checkpoint 2: .*chk-2 already exists\. .* take one above highestId\(\) \(2\)/);
    await rejectsWith(storage.begin(1), /chk-1 already exists/);
    for (const bad of [0, -1, 1.5, Number.NaN]) assert.throws(() => storage.checkpointPath(bad), /expected a whole number of at least 1/);
    await rejectsWith(storage.begin(0), /CheckpointStorage\.begin\(0\)/, 'INVALID_ARGUMENT');
  });

  it('discard deletes a checkpoint that will not complete, never a completed one', async () => {
    const storage = new CheckpointStorage(await fresh());
    await completed(storage, 1);
    await writeCheckpoint(await storage.begin(2), 2, { complete: false });
    await storage.discard(2);
    assert.equal(existsSync(storage.checkpointPath(2)), false);
    await storage.discard(3); // nothing there: nothing to do
    await rejectsWith(storage.discard(1), /chk-1 is a completed checkpoint\. discard\(\) is for checkpoints that will not complete/);
    assert.equal((await storage.latest())?.metadata.checkpointId, 1);
  });

  it('retain keeps the newest N completed, deletes older ones only once a newer one completed, and keeps what it does not know', async () => {
    const storage = new CheckpointStorage(await fresh());
    const savepoint = join(storage.dir, 'savepoint-1-00c0ffee');
    mkdirSync(savepoint, { recursive: true });
    await writeCheckpoint(savepoint, 1, { kind: 'savepoint' });
    mkdirSync(join(storage.dir, 'notes'));
    const listing = (): string[] => readdirSync(storage.dir).sort();

    await storage.begin(1);
    assert.deepEqual(await storage.retain(1), [], 'nothing completed yet: nothing deleted');
    await writeCheckpoint(storage.checkpointPath(1), 1);
    await completed(storage, 2, 3);
    await writeCheckpoint(await storage.begin(4), 4, { complete: false });
    assert.deepEqual(await storage.retain(2), [storage.checkpointPath(1)]);
    assert.deepEqual(listing(), ['chk-2', 'chk-3', 'chk-4', 'notes', 'savepoint-1-00c0ffee']);
    assert.deepEqual(await storage.retain(1), [storage.checkpointPath(2)], 'chk-4 is in progress: chk-3 stays');
    assert.deepEqual(listing(), ['chk-3', 'chk-4', 'notes', 'savepoint-1-00c0ffee']);

    await storage.begin(5); // abandoned, then subsumed by 6
    await completed(storage, 6);
    await CheckpointStorage.complete(storage.checkpointPath(4), metadataFor(4, await filesOf(storage.checkpointPath(4))));
    assert.deepEqual(await storage.retain(2), [storage.checkpointPath(3), storage.checkpointPath(5)]);
    assert.deepEqual(listing(), ['chk-4', 'chk-6', 'notes', 'savepoint-1-00c0ffee']);
    assert.equal((await readCheckpoint(savepoint)).metadata.kind, 'savepoint', 'the savepoint is untouched');
    await assert.rejects(storage.retain(0), /CheckpointStorage\.retain\(0\): expected a whole number of at least 1/);
  });
});

/** The subtask files of a folder written by writeCheckpoint, as writeSubtaskFile returned them. */
async function filesOf(folder: string): Promise<SubtaskFile[]> {
  return ['subtask-1-0.state', 'subtask-1-1.state', 'subtask-2-0.state'].map((name) => {
    const bytes = readFileSync(join(folder, name));
    return { name, bytes: bytes.byteLength, sha256: createHash('sha256').update(bytes).digest('hex') };
  });
}

describe('checkpoint storage: latest() skips damaged checkpoints', () => {
  const damages: [string, (folder: string) => void, RegExp][] = [
    ['a truncated subtask file', (folder) => writeFileSync(join(folder, 'subtask-2-0.state'), new Uint8Array(9_999).fill(2)), /its file "subtask-2-0.state" has 9999 bytes where _metadata records 10000/],
    [
      'a changed byte',
      (folder) => {
        const bytes = readFileSync(join(folder, 'subtask-1-1.state'));
        bytes[3] ^= 1;
        writeFileSync(join(folder, 'subtask-1-1.state'), bytes);
      },
      /its file "subtask-1-1.state" has the sha256 [0-9a-f]{64} where _metadata records [0-9a-f]{64} \(its content changed\)/,
    ],
    ['a missing subtask file', (folder) => rmSync(join(folder, 'subtask-1-0.state')), /its file "subtask-1-0.state" is missing/],
    ['garbage _metadata', (folder) => writeFileSync(join(folder, '_metadata'), '\u0000\u0001not json'), /its _metadata is not valid JSON \(/],
    ['an empty _metadata', (folder) => writeFileSync(join(folder, '_metadata'), ''), /its _metadata is not valid JSON/],
    ['an unknown formatVersion', (folder) => editMetadata(folder, (m) => ({ ...m, formatVersion: 3 })), /its formatVersion is 3, and this version of eddy reads only formatVersion 2/],
    ['a _metadata of another checkpoint', (folder) => editMetadata(folder, (m) => ({ ...m, checkpointId: 1 })), /the checkpoint 1 does not belong in a folder named chk-2/],
    ['a field of the wrong type', (folder) => editMetadata(folder, (m) => ({ ...m, maxParallelism: '128' })), /maxParallelism is not a whole number of at least 1/],
  ];
  for (const [what, damage, problem] of damages) {
    it(`skips a checkpoint with ${what} for the one before, warning with the folder and the problem`, async () => {
      const storage = new CheckpointStorage(await fresh());
      await completed(storage, 1, 2);
      await storage.begin(3); // in progress: no warning
      damage(storage.checkpointPath(2));
      const { result, warnings } = await withWarnings(() => storage.latest());
      assert.equal(result?.folder, storage.checkpointPath(1));
      assert.equal(warnings.length, 1, warnings.join('\n'));
      assert.ok(warnings[0]!.startsWith(`Skipped the checkpoint in ${storage.checkpointPath(2)}: `), warnings[0]);
      assert.match(warnings[0]!, problem);
      assert.match(warnings[0]!, /\. Looking for an earlier checkpoint\.$/);
      const error = await rejectsWith(readCheckpoint(storage.checkpointPath(2)), problem);
      assert.equal(error.domain, 'external');
    });
  }

  it('returns undefined, with a warning each, when every completed checkpoint is damaged', async () => {
    const storage = new CheckpointStorage(await fresh());
    await completed(storage, 1, 2);
    for (const id of [1, 2]) writeFileSync(join(storage.checkpointPath(id), 'subtask-2-0.state'), 'x');
    const { result, warnings } = await withWarnings(() => storage.latest());
    assert.equal(result, undefined);
    assert.deepEqual(warnings.map((w) => /chk-\d/.exec(w)?.[0]), ['chk-2', 'chk-1']);
  });
});

function editMetadata(folder: string, edit: (metadata: Record<string, unknown>) => Record<string, unknown>): void {
  const path = join(folder, '_metadata');
  writeFileSync(path, JSON.stringify(edit(JSON.parse(readFileSync(path, 'utf8')) as Record<string, unknown>)));
}

describe('checkpoint storage: reading, savepoints and restore paths', () => {
  it('readCheckpoint and readSubtaskFile fail with sentences that say what is wrong', async () => {
    const storage = new CheckpointStorage(await fresh());
    await completed(storage, 1);
    const folder = storage.checkpointPath(1);
    const missing = join(storage.dir, 'chk-8');
    const error = await rejectsWith(readCheckpoint(missing), /^There is no checkpoint at .*chk-8: the path does not exist\. Pass the folder of a checkpoint/);
    assert.equal(error.domain, 'user');
    await rejectsWith(readCheckpoint(join(folder, 'subtask-1-0.state')), /subtask-1-0\.state is a file, not a checkpoint\./);
    await rejectsWith(readCheckpoint(storage.dir), /is not a completed checkpoint: it is a checkpoint directory, holding chk-<n> folders\. Pass one of them, or 'latest'\./);
    await rejectsWith(readCheckpoint(join(missing, '_metadata')), /There is no checkpoint at .*chk-8: the path does not exist/);
    await storage.begin(8);
    await rejectsWith(readCheckpoint(join(missing, '_metadata')), /chk-8 is not a completed checkpoint: it has no _metadata, which a checkpoint gets last/);

    const [file] = await filesOf(folder);
    writeFileSync(join(folder, file!.name), 'changed');
    await rejectsWith(readSubtaskFile(folder, file!), /^Cannot restore from the checkpoint in .*chk-1: its file "subtask-1-0.state" has 7 bytes where _metadata records 24\. Restore from an earlier checkpoint\.$/);
    writeFileSync(join(folder, file!.name), 'source 0 of checkpoint 2');
    await rejectsWith(readSubtaskFile(folder, file!), /its file "subtask-1-0.state" has the sha256 [0-9a-f]{64} where _metadata records/);
    rmSync(join(folder, file!.name));
    await rejectsWith(readSubtaskFile(folder, file!), /its file "subtask-1-0.state" is missing\./);
  });

  it('savepoints get unique names, read back like checkpoints, and are never deleted by retain', async () => {
    const root = await fresh();
    const savepointDir = join(root, 'savepoints');
    const storage = new CheckpointStorage(savepointDir); // the same directory as the checkpoints
    const names = new Set<string>();
    for (let i = 0; i < 20; i++) names.add(await CheckpointStorage.beginSavepoint(savepointDir, 5));
    assert.equal(names.size, 20);
    for (const name of names) assert.match(relative(savepointDir, name), /^savepoint-5-[0-9a-f]{8}$/);
    const [first] = [...names];
    const files = await writeCheckpoint(first!, 5, { kind: 'savepoint' });
    await rejectsWith(CheckpointStorage.complete([...names][1]!, metadataFor(5, files)), /the checkpoint 5 does not belong in a folder named savepoint-5-/, 'INVALID_ARGUMENT');
    await completed(storage, 1, 2, 3);
    await storage.retain(1);
    assert.equal(readdirSync(savepointDir).filter((name) => name.startsWith('savepoint-')).length, 20);
    assert.equal((await storage.latest())?.metadata.checkpointId, 3, 'latest() looks at checkpoints only');
    const restored = await resolveRestorePath(first!, undefined);
    assert.equal(restored.metadata.kind, 'savepoint');
    assert.equal(restored.folder, first);
  });

  it("resolveRestorePath takes 'latest', a folder (relative too) or a _metadata path, and says what it searched when nothing fits", async () => {
    const storage = new CheckpointStorage(await fresh());
    await rejectsWith(resolveRestorePath('latest', undefined), /restoreFrom\('latest'\) needs a checkpoint directory to search/);
    await rejectsWith(resolveRestorePath('latest', storage.dir), new RegExp(`^There is no completed checkpoint to restore from in ${storage.dir}: it holds no chk-<n> folder\\.`));
    await storage.begin(1);
    await rejectsWith(resolveRestorePath('latest', storage.dir), /its chk-<n> folders are in progress, incomplete or damaged \(see the EDDY_CHECKPOINT_SKIPPED warnings\)\./);
    await writeCheckpoint(storage.checkpointPath(1), 1);
    await completed(storage, 2);
    await storage.begin(3);

    assert.equal((await resolveRestorePath('latest', storage.dir)).metadata.checkpointId, 2);
    const byFolder = await resolveRestorePath(storage.checkpointPath(1), storage.dir);
    assert.equal(byFolder.folder, storage.checkpointPath(1));
    assert.equal(byFolder.metadata.checkpointId, 1);
    const byMetadata = await resolveRestorePath(join(storage.checkpointPath(1), '_metadata'), undefined);
    assert.deepEqual(byMetadata, byFolder);
    const byRelative = await resolveRestorePath(relative(process.cwd(), storage.checkpointPath(2)), undefined);
    assert.equal(byRelative.folder, storage.checkpointPath(2));
    await rejectsWith(resolveRestorePath(join(storage.dir, 'chk-9'), storage.dir), /There is no checkpoint at .*chk-9: the path does not exist/);
    await rejectsWith(resolveRestorePath(storage.checkpointPath(3), storage.dir), /chk-3 is not a completed checkpoint/);
  });
});
