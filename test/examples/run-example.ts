// Runs a compiled example script the way a user would (`eddy run dist/examples/NAME.js -p 2`) and
// returns its standard output, failing the test when the script fails.

import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../../../', import.meta.url));
const cli = fileURLToPath(new URL('../../src/cli/main.js', import.meta.url));

/** Standard output of `eddy run dist/examples/<name>.js --parallelism <parallelism>`, as lines. */
export function runExample(name: string, parallelism = 2): string[] {
  const result = spawnSync(process.execPath, [cli, 'run', `dist/examples/${name}.js`, '--parallelism', String(parallelism)], {
    cwd: root,
    encoding: 'utf8',
    timeout: 60_000,
  });
  assert.equal(result.status, 0, `${name} failed:\n${result.stderr}`);
  return result.stdout.trimEnd().split('\n');
}
