// Builds the import graph of eddy's sources for the architecture check: which file imports which,
// found by parsing each file with the TypeScript compiler API. Pure functions, plus one loader.

import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, posix } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';

/** How a file refers to another: the syntax the reference was written in. */
export type ImportKind =
  /** `import ... from`, `import type ... from`, `import './x.js'`. */
  | 'import'
  /** `export ... from`, `export * from`, `export type ... from`. */
  | 're-export'
  /** `import('./x.js')` as an expression. */
  | 'dynamic-import'
  /** `import('./x.js').T` in a type position. */
  | 'import-type'
  /** `import x = require('./x.js')` or a `require('./x.js')` call (CommonJS, `.cts`). */
  | 'require';

/** One module reference written in a file, before resolution. */
export interface ImportReference {
  /** The module specifier as written, e.g. `'./map.js'` or `'node:fs'`. */
  readonly specifier: string;
  /** The syntax of the reference. */
  readonly kind: ImportKind;
  /**
   * True when the reference is erased from the emitted JavaScript: `import type`, `export type`,
   * `import('./x.js').T`. `import { type A } from` is not type-only: with `verbatimModuleSyntax`
   * it still emits an import of the module.
   */
  readonly typeOnly: boolean;
  /** 1-based line of the reference. */
  readonly line: number;
}

/** One file of the graph and the facts the checks need about it. */
export interface SourceFileNode {
  /** Path relative to the repository root, `/`-separated, e.g. `src/api/data-stream.ts`. */
  readonly path: string;
  /** Number of lines (a final newline does not start another line). */
  readonly lineCount: number;
  /**
   * Text of the comment(s) the file starts with (after an optional `#!` line), comment markers
   * stripped; undefined when the file starts with code.
   */
  readonly leadingComment: string | undefined;
}

/** A dependency of one file on another file of the repository. */
export interface ImportEdge {
  /** Path of the importing file. */
  readonly from: string;
  /** Path of the imported file. */
  readonly to: string;
  /** True when every reference from `from` to `to` is type-only (see {@link ImportReference.typeOnly}). */
  readonly typeOnly: boolean;
  /** The kinds of reference written, without duplicates, in order of first appearance. */
  readonly kinds: readonly ImportKind[];
  /** 1-based line of the first reference. */
  readonly line: number;
}

/** A relative specifier that names no file of the graph. */
export interface UnresolvedImport {
  /** Path of the importing file. */
  readonly from: string;
  /** The specifier as written. */
  readonly specifier: string;
  /** 1-based line of the reference. */
  readonly line: number;
}

/** The import graph: files, one edge per importing/imported pair, and relative imports that name nothing. */
export interface ImportGraph {
  /** Every file, sorted by path. */
  readonly files: readonly SourceFileNode[];
  /** Every edge, sorted by `from` then `to`. */
  readonly edges: readonly ImportEdge[];
  /** Relative specifiers that resolved to no file. */
  readonly unresolved: readonly UnresolvedImport[];
}

/** The file extensions read as TypeScript sources. */
export const SOURCE_EXTENSIONS: readonly string[] = ['.ts', '.cts', '.mts', '.tsx'];

function scriptKindOf(path: string): ts.ScriptKind {
  return path.endsWith('.tsx') ? ts.ScriptKind.TSX : ts.ScriptKind.TS;
}

/**
 * Lists the module references written in one file: static imports and re-exports (value and
 * type), dynamic `import()`, `import('...')` types, `import = require()` and `require()` calls.
 */
export function parseImports(path: string, text: string): ImportReference[] {
  const source = ts.createSourceFile(path, text, ts.ScriptTarget.Latest, true, scriptKindOf(path));
  const found: ImportReference[] = [];
  const add = (literal: ts.Node, kind: ImportKind, typeOnly: boolean): void => {
    if (!ts.isStringLiteralLike(literal)) return;
    const line = source.getLineAndCharacterOfPosition(literal.getStart(source)).line + 1;
    found.push({ specifier: literal.text, kind, typeOnly, line });
  };
  const visit = (node: ts.Node): void => {
    if (ts.isImportDeclaration(node)) {
      add(node.moduleSpecifier, 'import', node.importClause?.isTypeOnly ?? false);
    } else if (ts.isExportDeclaration(node)) {
      if (node.moduleSpecifier !== undefined) add(node.moduleSpecifier, 're-export', node.isTypeOnly);
    } else if (ts.isImportEqualsDeclaration(node)) {
      if (ts.isExternalModuleReference(node.moduleReference)) {
        add(node.moduleReference.expression, 'require', node.isTypeOnly);
      }
    } else if (ts.isImportTypeNode(node)) {
      if (ts.isLiteralTypeNode(node.argument)) add(node.argument.literal, 'import-type', true);
    } else if (ts.isCallExpression(node)) {
      const [first] = node.arguments;
      if (first !== undefined) {
        if (node.expression.kind === ts.SyntaxKind.ImportKeyword) add(first, 'dynamic-import', false);
        else if (ts.isIdentifier(node.expression) && node.expression.text === 'require') add(first, 'require', false);
      }
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return found;
}

/** True for specifiers that name a file of the repository (`./x.js`, `../y.js`), false for packages (`node:fs`, `comlink`). */
export function isRelativeSpecifier(specifier: string): boolean {
  return specifier === '.' || specifier === '..' || specifier.startsWith('./') || specifier.startsWith('../');
}

/** The source paths a JavaScript-style path may have been compiled from, in the order TypeScript tries them. */
function sourceCandidates(path: string): string[] {
  const swap = (from: string, to: readonly string[]): string[] => to.map((ext) => path.slice(0, -from.length) + ext);
  if (path.endsWith('.js')) return [...swap('.js', ['.ts', '.tsx', '.d.ts']), path];
  if (path.endsWith('.cjs')) return [...swap('.cjs', ['.cts', '.d.cts']), path];
  if (path.endsWith('.mjs')) return [...swap('.mjs', ['.mts', '.d.mts']), path];
  if (path.endsWith('.jsx')) return [...swap('.jsx', ['.tsx']), path];
  if (/\.(c|m)?tsx?$/.test(path)) return [path];
  return [path, ...['.ts', '.tsx', '.d.ts'].map((ext) => path + ext)];
}

/**
 * Resolves a relative specifier written in `fromPath` to a file path for which `exists` holds,
 * the way NodeNext resolution maps emitted names back to sources: `./x.js` -> `./x.ts`,
 * `./x.cjs` -> `./x.cts`, `./x.mjs` -> `./x.mts`. Directories (`./dir` -> `./dir/index.ts`)
 * are not resolved: the project does not use them. Returns undefined when nothing matches or
 * the specifier is not relative.
 */
export function resolveSpecifier(
  fromPath: string,
  specifier: string,
  exists: (path: string) => boolean,
): string | undefined {
  if (!isRelativeSpecifier(specifier)) return undefined;
  const target = posix.normalize(posix.join(posix.dirname(fromPath), specifier.split(/[?#]/)[0]!));
  return sourceCandidates(target).find(exists);
}

/** Counts lines the way `wc -l` does for a file that ends with a newline. */
export function countLines(text: string): number {
  if (text.length === 0) return 0;
  const lines = text.split(/\r\n|\r|\n/).length;
  return /(\r\n|\r|\n)$/.test(text) ? lines - 1 : lines;
}

/**
 * The text of the comments a file starts with, markers stripped, or undefined when the first
 * thing in the file (after a `#!` line and blank lines) is code.
 */
export function leadingCommentOf(text: string): string | undefined {
  const shebang = ts.getShebang(text);
  const start = shebang === undefined ? 0 : shebang.length;
  const ranges = ts.getLeadingCommentRanges(text, start) ?? [];
  if (ranges.length === 0) return undefined;
  const parts = ranges.map((range) => {
    const raw = text.slice(range.pos, range.end);
    if (range.kind === ts.SyntaxKind.SingleLineCommentTrivia) return raw.replace(/^\/\/\/?/, '').trim();
    return raw
      .replace(/^\/\*\*?/, '')
      .replace(/\*\/$/, '')
      .split(/\r\n|\r|\n/)
      .map((line) => line.replace(/^\s*\*?/, '').trim())
      .join('\n')
      .trim();
  });
  return parts.join('\n').trim();
}

/**
 * Builds the import graph of a set of files given as path -> source text (paths relative to
 * the repository root, `/`-separated). Package imports are ignored; relative imports become
 * edges to the files they resolve to, or entries of `unresolved`. Several references from one
 * file to another make one edge, type-only only if all of them are.
 */
export function buildImportGraph(sources: ReadonlyMap<string, string>): ImportGraph {
  const exists = (path: string): boolean => sources.has(path);
  const paths = [...sources.keys()].sort();
  const files: SourceFileNode[] = [];
  const edges: ImportEdge[] = [];
  const unresolved: UnresolvedImport[] = [];
  for (const path of paths) {
    const text = sources.get(path)!;
    files.push({ path, lineCount: countLines(text), leadingComment: leadingCommentOf(text) });
    const byTarget = new Map<string, { typeOnly: boolean; kinds: ImportKind[]; line: number }>();
    for (const reference of parseImports(path, text)) {
      if (!isRelativeSpecifier(reference.specifier)) continue;
      const to = resolveSpecifier(path, reference.specifier, exists);
      if (to === undefined) {
        unresolved.push({ from: path, specifier: reference.specifier, line: reference.line });
        continue;
      }
      const edge = byTarget.get(to);
      if (edge === undefined) {
        byTarget.set(to, { typeOnly: reference.typeOnly, kinds: [reference.kind], line: reference.line });
      } else {
        edge.typeOnly &&= reference.typeOnly;
        if (!edge.kinds.includes(reference.kind)) edge.kinds.push(reference.kind);
        edge.line = Math.min(edge.line, reference.line);
      }
    }
    for (const to of [...byTarget.keys()].sort()) {
      const edge = byTarget.get(to)!;
      edges.push({ from: path, to, typeOnly: edge.typeOnly, kinds: edge.kinds, line: edge.line });
    }
  }
  return { files, edges, unresolved };
}

/**
 * Finds the repository root from a file inside it (pass `import.meta.url`): the nearest folder
 * above that has both a `package.json` and a `src/` folder. Works from `test/` and from `dist/test/`.
 */
export function findRepositoryRoot(fromUrl: string): string {
  let dir = dirname(fileURLToPath(fromUrl));
  for (;;) {
    const names = new Set(readdirSync(dir));
    if (names.has('package.json') && names.has('src')) return dir;
    const parent = dirname(dir);
    if (parent === dir) throw new Error(`no repository root (package.json next to src/) above ${fromUrl}`);
    dir = parent;
  }
}

/**
 * Reads every TypeScript source under `folder` (default `src`) of the repository at `root`, as
 * the path -> text map {@link buildImportGraph} takes. Paths are relative to `root`.
 */
export function readSourceTree(root: string, folder = 'src'): Map<string, string> {
  const sources = new Map<string, string>();
  const walk = (relative: string): void => {
    for (const entry of readdirSync(join(root, relative), { withFileTypes: true })) {
      const path = posix.join(relative, entry.name);
      if (entry.isDirectory()) walk(path);
      else if (entry.isFile() && SOURCE_EXTENSIONS.some((ext) => entry.name.endsWith(ext))) {
        sources.set(path, readFileSync(join(root, path), 'utf8'));
      }
    }
  };
  walk(folder);
  return sources;
}
