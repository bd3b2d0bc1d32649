// Tests of the architecture check: the import-graph builder and the layer checks on small
// in-memory trees, then the real check of the repository's src/ (no violations allowed).

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { buildImportGraph, findRepositoryRoot, parseImports, readSourceTree, resolveSpecifier } from './import-graph.js';
import {
  checkArchitecture,
  checkCycles,
  checkFileLengths,
  checkLayering,
  checkPurposeComments,
  findCycles,
  layerOf,
  mermaidDiagram,
  stronglyConnectedComponents,
  summarizeFolders,
  type Violation,
} from './layers.js';

/** A purpose comment to start synthetic files with, so that only the rule under test fires. */
const HEAD = '// A synthetic file for the architecture tests.\n';

function graphOf(files: Record<string, string>): ReturnType<typeof buildImportGraph> {
  return buildImportGraph(new Map(Object.entries(files).map(([path, text]) => [path, HEAD + text])));
}

function messages(violations: readonly Violation[]): string[] {
  return violations.map((violation) => violation.message);
}

test('parseImports finds value, type, re-export, dynamic, import-type and require references', () => {
  const text = [
    "import { a } from './a.js';",
    "import type { B } from './b.js';",
    "import { type C } from './c.js';",
    "export { d } from './d.js';",
    "export type { E } from './e.js';",
    "export * from './f.js';",
    "import './g.js';",
    "import fs from 'node:fs';",
    "const h = await import('./h.js');",
    "let i: import('./i.js').I;",
    "import j = require('./j.cjs');",
  ].join('\n');
  const found = parseImports('src/x.ts', text).map((r) => [r.specifier, r.kind, r.typeOnly, r.line]);
  assert.deepEqual(found, [
    ['./a.js', 'import', false, 1],
    ['./b.js', 'import', true, 2],
    ['./c.js', 'import', false, 3],
    ['./d.js', 're-export', false, 4],
    ['./e.js', 're-export', true, 5],
    ['./f.js', 're-export', false, 6],
    ['./g.js', 'import', false, 7],
    ['node:fs', 'import', false, 8],
    ['./h.js', 'dynamic-import', false, 9],
    ['./i.js', 'import-type', true, 10],
    ['./j.cjs', 'require', false, 11],
  ]);
});

test('resolveSpecifier maps emitted names back to sources and ignores packages', () => {
  const files = new Set(['src/api/functions.ts', 'src/actors/worker-bootstrap.cts', 'src/actors/entry.mts']);
  const exists = (path: string): boolean => files.has(path);
  assert.equal(resolveSpecifier('src/operators/map.ts', '../api/functions.js', exists), 'src/api/functions.ts');
  assert.equal(resolveSpecifier('src/actors/pool.ts', './worker-bootstrap.cjs', exists), 'src/actors/worker-bootstrap.cts');
  assert.equal(resolveSpecifier('src/actors/pool.ts', './entry.mjs', exists), 'src/actors/entry.mts');
  assert.equal(resolveSpecifier('src/actors/pool.ts', './missing.js', exists), undefined);
  assert.equal(resolveSpecifier('src/actors/pool.ts', 'comlink', exists), undefined);
  assert.equal(resolveSpecifier('src/actors/pool.ts', 'node:worker_threads', exists), undefined);
});

test('buildImportGraph makes one edge per pair, handles .cts files and records unresolved imports', () => {
  const graph = graphOf({
    'src/actors/worker-bootstrap.cts': "export = async () => (await import('./worker-entry.js')).default;\n",
    'src/actors/worker-entry.ts': "import type { A } from './a.js';\nimport { b } from './a.js';\nimport 'comlink';\nexport default b as A;\n",
    'src/actors/a.ts': "import type { X } from './worker-entry.js';\nimport { y } from './gone.js';\nexport type A = X;\n",
  });
  assert.deepEqual(
    graph.edges.map((e) => [e.from, e.to, e.typeOnly, e.kinds]),
    [
      ['src/actors/a.ts', 'src/actors/worker-entry.ts', true, ['import']],
      ['src/actors/worker-bootstrap.cts', 'src/actors/worker-entry.ts', false, ['dynamic-import']],
      ['src/actors/worker-entry.ts', 'src/actors/a.ts', false, ['import']],
    ],
  );
  assert.deepEqual(graph.unresolved, [{ from: 'src/actors/a.ts', specifier: './gone.js', line: 3 }]);
  assert.deepEqual(
    graph.files.map((f) => [f.path, f.lineCount]),
    [
      ['src/actors/a.ts', 4],
      ['src/actors/worker-bootstrap.cts', 2],
      ['src/actors/worker-entry.ts', 5],
    ],
  );
});

test('layerOf takes subfolders into their layer and leaves other locations out', () => {
  assert.equal(layerOf('src/actors/channels/ring-buffer.ts')?.name, 'actors');
  assert.equal(layerOf('src/operators/windows/triggers/trigger.ts')?.name, 'operators');
  assert.equal(layerOf('src/index.ts')?.name, 'entry');
  assert.equal(layerOf('src/cli/main.ts')?.name, 'entry');
  assert.equal(layerOf('src/indexes.ts'), undefined);
  assert.equal(layerOf('src/util/min-heap.ts'), undefined);
  assert.equal(layerOf('src/errors.ts'), undefined);
});

test('an upward import is reported, a downward or same-layer one is not', () => {
  const graph = graphOf({
    'src/operators/map.ts': "import { f } from '../api/functions.js';\nimport { s } from '../state/state-table.js';\nimport { w } from './windows/w.js';\n",
    'src/operators/windows/w.ts': 'export const w = 1;\n',
    'src/api/functions.ts': 'export const f = 1;\n',
    'src/state/state-table.ts': 'export const s = 1;\n',
  });
  assert.deepEqual(messages(checkLayering(graph)), [
    'src/operators/map.ts (operators) imports src/api/functions.ts (api): operators may not import api, which is above it',
  ]);
  const [violation] = checkLayering(graph);
  assert.equal(violation?.rule, 'layer-order');
  assert.equal(violation?.line, 2);
});

test('type-only imports and re-exports count as edges', () => {
  const graph = graphOf({
    'src/state/a.ts': "import type { T } from '../operators/t.js';\nexport type { U } from '../graph/u.js';\nexport type V = T;\n",
    'src/operators/t.ts': 'export type T = number;\n',
    'src/graph/u.ts': 'export type U = number;\n',
  });
  const violations = checkLayering(graph);
  assert.deepEqual(messages(violations), [
    'src/state/a.ts (state) imports src/graph/u.ts (graph): state may not import graph, which is above it',
    'src/state/a.ts (state) imports src/operators/t.ts (operators): state may not import operators, which is above it',
  ]);
  assert.ok(violations.every((violation) => violation.typeOnly === true));
});

test('core importing anything of eddy outside src/core is reported, within core it is fine', () => {
  const graph = graphOf({
    'src/core/errors.ts': "import { x } from './x.js';\nimport { t } from '../time/t.js';\nimport type { C } from '../connectors/c.js';\nimport { EventEmitter } from 'node:events';\n",
    'src/core/x.ts': 'export const x = 1;\n',
    'src/time/t.ts': 'export const t = 1;\n',
    'src/connectors/c.ts': 'export type C = 1;\n',
  });
  const violations = checkLayering(graph);
  assert.deepEqual(
    violations.map((v) => [v.rule, v.imported]),
    [
      ['self-contained', 'src/connectors/c.ts'],
      ['self-contained', 'src/time/t.ts'],
    ],
  );
  assert.match(violations[0]!.message, /^src\/core\/errors\.ts \(core\) imports src\/connectors\/c\.ts \(connectors\): core may import nothing of eddy's outside src\/core\//);
});

test('files outside every layer are reported, with the imports that reach them', () => {
  const graph = graphOf({
    'src/util/min-heap.ts': 'export class MinHeap {}\n',
    'src/errors.ts': 'export class StreamError extends Error {}\n',
    'src/state/timers.ts': "import { MinHeap } from '../util/min-heap.js';\n",
  });
  const violations = checkLayering(graph).filter((v) => v.rule === 'not-in-layer');
  assert.deepEqual(messages(violations), [
    "src/errors.ts is not in a layer: its top-level location src/errors.ts is in none of the layers' folders",
    "src/util/min-heap.ts is not in a layer: its top-level location src/util/ is in none of the layers' folders",
    'src/state/timers.ts (state) imports src/util/min-heap.ts (not in a layer): src/util/min-heap.ts is not in a layer',
  ]);
});

test('stronglyConnectedComponents finds the components of a small graph', () => {
  const out: Record<string, string[]> = { a: ['b'], b: ['c'], c: ['a', 'd'], d: ['e'], e: ['d'], f: [] };
  assert.deepEqual(stronglyConnectedComponents(Object.keys(out), (n) => out[n]!), [['a', 'b', 'c'], ['d', 'e'], ['f']]);
});

test('a cycle is reported with its files and a path through it, type-only imports included', () => {
  const graph = graphOf({
    'src/api/a.ts': "import { b } from './b.js';\nexport const a = b;\n",
    'src/api/b.ts': "import { c } from './c.js';\nimport { d } from './d.js';\nexport const b = c + d;\n",
    'src/api/c.ts': "import type { A } from './a.js';\nexport const c = 1;\n",
    'src/api/d.ts': "export const d = 1;\n",
    'src/state/self.ts': "export type { S } from './self.js';\nexport type S = 1;\n",
  });
  const cycles = findCycles(graph);
  assert.deepEqual(
    cycles.map((c) => [c.files, c.path, c.typeOnlySteps]),
    [
      [['src/api/a.ts', 'src/api/b.ts', 'src/api/c.ts'], ['src/api/a.ts', 'src/api/b.ts', 'src/api/c.ts', 'src/api/a.ts'], [false, false, true]],
      [['src/state/self.ts'], ['src/state/self.ts', 'src/state/self.ts'], [true]],
    ],
  );
  const [first] = checkCycles(graph);
  assert.equal(first?.rule, 'cycle');
  assert.equal(
    first?.message,
    'import cycle among 3 files (src/api/a.ts, src/api/b.ts, src/api/c.ts): no file may import itself through other files; ' +
      'one cycle: src/api/a.ts -> src/api/b.ts -> src/api/c.ts -(type)-> src/api/a.ts',
  );
});

test('a graph without cycles reports none', () => {
  const graph = graphOf({ 'src/api/a.ts': "import './b.js';\n", 'src/api/b.ts': "import './c.js';\n", 'src/api/c.ts': '' });
  assert.deepEqual(checkCycles(graph), []);
});

test('a missing purpose comment is reported; a shebang before it and block comments are fine', () => {
  const graph = buildImportGraph(
    new Map([
      ['src/cli/main.ts', '#!/usr/bin/env node\n// The eddy command line: runs a job file.\nexport {};\n'],
      ['src/api/block.ts', '/**\n * The DataStream class users build jobs with.\n */\nexport {};\n'],
      ['src/api/none.ts', "import { x } from './block.js';\n// Too late for a purpose comment.\n"],
      ['src/api/directive.ts', '// @ts-nocheck\nexport {};\n'],
      ['src/api/shebang-only.ts', '#!/usr/bin/env node\nexport {};\n'],
    ]),
  );
  const violations = checkPurposeComments(graph);
  assert.deepEqual(
    violations.map((v) => v.file),
    ['src/api/directive.ts', 'src/api/none.ts', 'src/api/shebang-only.ts'],
  );
  assert.equal(violations[1]!.message, 'src/api/none.ts starts with code: every file must start with a comment saying what it is for');
});

test('a file over 600 lines is reported', () => {
  const graph = buildImportGraph(
    new Map([
      ['src/api/long.ts', HEAD + 'export const x = 1;\n'.repeat(600)],
      ['src/api/short.ts', HEAD + 'export const x = 1;\n'.repeat(599)],
    ]),
  );
  assert.deepEqual(messages(checkFileLengths(graph)), ['src/api/long.ts has 601 lines: no file may be over 600 lines']);
});

test('the folder summary counts edges per pair of layers and the diagram draws them', () => {
  const graph = graphOf({
    'src/index.ts': "export * from './api/a.js';\nexport type { T } from './operators/t.js';\n",
    'src/api/a.ts': "import type { T } from '../operators/t.js';\nimport { u } from '../operators/u.js';\n",
    'src/operators/t.ts': "import type { A } from '../api/a.js';\nexport type T = 1;\n",
    'src/operators/u.ts': "import { m } from '../util/m.js';\nexport const u = 1;\n",
    'src/util/m.ts': 'export const m = 1;\n',
  });
  const summary = summarizeFolders(graph);
  assert.deepEqual(
    summary.counts.map((c) => [c.from, c.to, c.edges, c.typeOnlyEdges, c.violates]),
    [
      ['entry', 'api', 1, 0, false],
      ['entry', 'operators', 1, 1, false],
      ['api', 'operators', 2, 1, false],
      ['operators', 'api', 1, 1, true],
      ['operators', 'src/util/', 1, 0, true],
    ],
  );
  assert.equal(
    mermaidDiagram(summary),
    [
      'graph TD',
      '  g_entry["entry<br/>src/index.ts, src/cli/<br/>1 file"]',
      '  g_api["api<br/>src/api/<br/>1 file"]',
      '  g_operators["operators<br/>src/operators/<br/>2 files"]',
      '  g_src_util_["src/util/<br/>not in a layer<br/>1 file"]:::outside',
      '  g_entry -->|"1"| g_api',
      '  g_entry -->|"1 (1 type)"| g_operators',
      '  g_api -->|"2 (1 type)"| g_operators',
      '  g_operators -->|"1 (1 type)"| g_api',
      '  g_operators -->|"1"| g_src_util_',
      '  linkStyle 3,4 stroke:#d00,stroke-width:2px,color:#d00',
      '  classDef outside fill:#fee,stroke:#d00,stroke-dasharray:4 2',
    ].join('\n'),
  );
});

// The real check. It fails while src/ is being restructured into these layers; run
// `npm run check:layers` for the full report.
test('the repository src/ follows the layering, has no cycles, and every file says what it is for', () => {
  const root = findRepositoryRoot(import.meta.url);
  const graph = buildImportGraph(readSourceTree(root));
  assert.ok(graph.files.length > 0, `no sources found under ${root}/src`);
  const violations = checkArchitecture(graph);
  assert.deepEqual(messages(violations), [], `${violations.length} architecture violations (npm run check:layers for the report)`);
});
