// The dashboard's built files (Vite's output, shipped in the package as dist/ui): found
// in the package, served by path with their content types, nothing outside their folder.

import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { extname, join, normalize, sep } from 'node:path';
import { packageRoot } from '../package-version.js';

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.json': 'application/json',
  '.map': 'application/json',
  '.woff2': 'font/woff2',
};

/** The folder of the built dashboard (dist/ui in the package), when it was built. */
function uiFolder(): string | undefined {
  const folder = join(packageRoot(), 'dist', 'ui');
  return existsSync(join(folder, 'index.html')) ? folder : undefined;
}

export interface StaticFile {
  readonly contentType: string;
  readonly body: Buffer;
}

export class StaticFiles {
  private readonly folder = uiFolder();

  /** The file at URL path `path` (`/` is index.html), or undefined. Throws a sentence when the dashboard was never built. */
  async get(path: string): Promise<StaticFile | undefined> {
    if (this.folder === undefined) throw new Error('The dashboard is not built: run npm run build (it builds dist/ui).');
    const relative = path === '/' ? 'index.html' : decodeURIComponent(path).replace(/^\/+/, '');
    const file = normalize(join(this.folder, relative));
    if (!file.startsWith(this.folder.endsWith(sep) ? this.folder : this.folder + sep)) return undefined;
    const contentType = CONTENT_TYPES[extname(file)];
    if (contentType === undefined) return undefined;
    try {
      return { contentType, body: await readFile(file) };
    } catch {
      return undefined;
    }
  }
}
