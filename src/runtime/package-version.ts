// This package's own version, read at run time from its package.json (dist/src/runtime -> root).

import { readFileSync } from 'node:fs';

export function packageVersion(): string {
  const url = new URL('../../../package.json', import.meta.url);
  return (JSON.parse(readFileSync(url, 'utf8')) as { version: string }).version;
}
