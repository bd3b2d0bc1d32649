// The repository's folder, wherever the benchmarks were compiled to (dist/, or a private --outDir):
// the nearest folder above this file with a package.json.

import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export function projectRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  while (!existsSync(join(dir, 'package.json'))) {
    const up = dirname(dir);
    if (up === dir) throw new Error('bench: no package.json above this script, so no project folder.');
    dir = up;
  }
  return dir;
}
