// This package's folder and its version, found at run time from this module: the nearest folder
// above it with eddy's package.json (dist/src/runtime, dist/lib or src/runtime lie under it).

import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

let root: string | undefined;

/** The folder of eddy's package.json. */
export function packageRoot(): string {
  if (root !== undefined) return root;
  for (let folder = dirname(fileURLToPath(import.meta.url)); ; folder = dirname(folder)) {
    const file = join(folder, 'package.json');
    if (existsSync(file) && (JSON.parse(readFileSync(file, 'utf8')) as { name?: string }).name === 'eddy') return (root = folder);
    if (dirname(folder) === folder) throw new Error(`eddy's package.json was not found above ${fileURLToPath(import.meta.url)}.`);
  }
}

export function packageVersion(): string {
  return (JSON.parse(readFileSync(join(packageRoot(), 'package.json'), 'utf8')) as { version: string }).version;
}
