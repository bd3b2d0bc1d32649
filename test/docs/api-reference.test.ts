// The API reference in docs/api/ is generated from the TSDoc of every export (`npm run docs`,
// typedoc): it builds without a warning (no export left out, no broken link), and the committed
// pages are what the current sources generate.

import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../../../', import.meta.url));

function files(dir: string): string[] {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => relative(dir, join(entry.parentPath, entry.name)))
    .sort();
}

test('docs/api/ is what typedoc makes of the current TSDoc, without warnings', () => {
  const out = mkdtempSync(join(tmpdir(), 'eddy-api-reference-'));
  try {
    const typedoc = join(root, 'node_modules', 'typedoc', 'bin', 'typedoc');
    const run = spawnSync(process.execPath, [typedoc, '--out', out], { cwd: root, encoding: 'utf8', timeout: 120_000 });
    assert.equal(run.status, 0, `typedoc failed (warnings count as errors):\n${run.stdout}${run.stderr}`);
    const committed = join(root, 'docs', 'api');
    assert.deepEqual(files(out), files(committed), 'the pages of docs/api/ differ from the exports: run `npm run docs`');
    for (const file of files(out)) {
      assert.equal(readFileSync(join(committed, file), 'utf8'), readFileSync(join(out, file), 'utf8'), `docs/api/${file} is stale: run \`npm run docs\``);
    }
  } finally {
    rmSync(out, { recursive: true, force: true });
  }
});
