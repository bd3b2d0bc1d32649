// Keeps docs/api.md, docs/checkpoints.md, docs/embedding.md and docs/observability.md honest: type-checks every ```ts block as its own
// module against src/index.ts ('eddy' mapped there) with the repository's strict compiler options,
// and checks that docs/api.md names every export of the package.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';

/** The repository root: this file runs as dist/test/docs/api-examples.test.js. */
const root = fileURLToPath(new URL('../../../', import.meta.url));
const DOCS = ['api.md', 'checkpoints.md', 'embedding.md', 'observability.md'];
const indexPath = join(root, 'src', 'index.ts');

interface Block {
  /** The page, e.g. docs/api.md. */
  readonly doc: string;
  /** 1-based line in the page of the block's first code line. */
  readonly line: number;
  readonly code: string;
}

/** The ```ts blocks of a markdown text; ```ts ignore blocks and other languages are skipped. */
function tsBlocks(doc: string, markdown: string): Block[] {
  const blocks: Block[] = [];
  const lines = markdown.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const open = /^```(.*)$/.exec(lines[i]!);
    if (open === null) continue;
    const info = open[1]!.trim().split(/\s+/);
    const start = i + 1;
    let end = start;
    while (end < lines.length && !/^```\s*$/.test(lines[end]!)) end++;
    assert.ok(end < lines.length, `${doc}:${i + 1}: code block is not closed`);
    if ((info[0] === 'ts' || info[0] === 'typescript') && !info.includes('ignore')) blocks.push({ doc, line: start + 1, code: lines.slice(start, end).join('\n') + '\n' });
    i = end;
  }
  return blocks;
}

/** The repository's compiler options, with 'eddy' resolved to the source and nothing emitted. */
function compilerOptions(): ts.CompilerOptions {
  const configPath = join(root, 'tsconfig.json');
  const config = ts.readConfigFile(configPath, (path) => ts.sys.readFile(path));
  assert.equal(config.error, undefined, 'tsconfig.json must parse');
  const raw = config.config as { compilerOptions: Record<string, unknown> };
  raw.compilerOptions = {
    ...raw.compilerOptions,
    noEmit: true,
    declaration: false,
    declarationMap: false,
    sourceMap: false,
    paths: { eddy: ['./src/index.ts'] },
    typeRoots: ['./node_modules/@types'],
  };
  const parsed = ts.parseJsonConfigFileContent(raw, ts.sys, root, undefined, configPath);
  assert.deepEqual(parsed.errors, [], 'tsconfig.json options must be valid');
  const { outDir: _outDir, rootDir: _rootDir, ...options } = parsed.options;
  return { ...options, moduleDetection: ts.ModuleDetectionKind.Force };
}

const pages = DOCS.map((name) => ({ doc: `docs/${name}`, markdown: readFileSync(join(root, 'docs', name), 'utf8') }));
const markdown = pages[0]!.markdown;
const blocks = pages.flatMap((page) => tsBlocks(page.doc, page.markdown));

/** One program over all blocks (each written to a temporary folder as its own ESM module). */
function compile(): { program: ts.Program; byFile: Map<string, Block> } {
  const dir = mkdtempSync(join(tmpdir(), 'eddy-api-docs-'));
  try {
    // ESM like a user's job: top-level await, import.meta.
    writeFileSync(join(dir, 'package.json'), '{ "type": "module" }\n');
    const files = blocks.map((block, i) => {
      const file = join(dir, `block-${String(i + 1).padStart(2, '0')}.ts`);
      writeFileSync(file, block.code);
      return file;
    });
    // createProgram reads and parses every file at once: the folder may go before checking.
    const program = ts.createProgram(files, compilerOptions());
    return { program, byFile: new Map(files.map((file, i) => [ts.sys.resolvePath(file), blocks[i]!])) };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

let compiled: ReturnType<typeof compile> | undefined;
const compiledOnce = (): ReturnType<typeof compile> => (compiled ??= compile());

test('every ts block of docs/api.md, docs/checkpoints.md and docs/embedding.md type-checks against the public API', () => {
  assert.ok(blocks.length > 10, `expected the page's examples, found ${blocks.length} ts blocks`);
  const { program, byFile } = compiledOnce();
  const problems = ts.getPreEmitDiagnostics(program).map((d) => describe(d, byFile));
  assert.deepEqual(problems, [], `examples do not type-check:\n${problems.join('\n')}`);
});

test('docs/api.md names every export of the package', () => {
  const { program } = compiledOnce();
  const checker = program.getTypeChecker();
  const index = program.getSourceFile(indexPath);
  assert.ok(index !== undefined, 'src/index.ts is part of the program');
  const exports = checker.getExportsOfModule(checker.getSymbolAtLocation(index)!).map((s) => s.name);
  assert.ok(exports.length > 50, `expected the package's exports, found ${exports.length}`);
  const missing = exports.filter((name) => !new RegExp(`\\b${name}\\b`).test(markdown));
  assert.deepEqual(missing, [], `docs/api.md does not mention: ${missing.join(', ')}`);
});

/** A diagnostic as `docs/PAGE.md:LINE:COL (block N): message`, or as TypeScript prints it for other files. */
function describe(diagnostic: ts.Diagnostic, byFile: ReadonlyMap<string, Block>): string {
  const message = ts.flattenDiagnosticMessageText(diagnostic.messageText, '\n');
  const file = diagnostic.file;
  if (file === undefined || diagnostic.start === undefined) return `TS${diagnostic.code}: ${message}`;
  const { line, character } = file.getLineAndCharacterOfPosition(diagnostic.start);
  const block = byFile.get(ts.sys.resolvePath(file.fileName));
  if (block === undefined) return `${file.fileName}:${line + 1}:${character + 1}: TS${diagnostic.code}: ${message}`;
  const n = [...byFile.values()].indexOf(block) + 1;
  return `${block.doc}:${block.line + line}:${character + 1} (block ${n}): TS${diagnostic.code}: ${message}`;
}
