// eddy's layering (which folder of src/ may import which) and the checks of an import graph
// against it: layer order, core isolation, cycles, purpose comments, file length; plus summaries.

import type { ImportEdge, ImportGraph } from './import-graph.js';

/** One layer of the architecture: a set of folders (and single files) under `src/`. */
export interface Layer {
  /** Short name used in reports, e.g. `operators`. */
  readonly name: string;
  /**
   * What belongs to the layer: a prefix ending in `/` takes a folder with all its subfolders
   * (`src/actors/` takes `src/actors/channels/ring-buffer.ts`); any other entry is one file.
   */
  readonly prefixes: readonly string[];
  /** One line on what the layer is for. */
  readonly description: string;
  /** When true, the layer's files may import nothing of eddy's outside the layer's own prefixes. */
  readonly selfContained?: boolean;
}

/**
 * The layers from top to bottom. A file may import files of its own layer or of any layer
 * below it, never of a layer above it.
 */
export const LAYERS: readonly Layer[] = [
  { name: 'entry', prefixes: ['src/index.ts', 'src/cli/'], description: 'the package entry point and the eddy command line' },
  { name: 'testing', prefixes: ['src/testing/'], description: 'the public operator test harness' },
  { name: 'api', prefixes: ['src/api/'], description: 'what users touch: the environment, DataStream and the streams it makes, defineJob/runJob' },
  { name: 'graph', prefixes: ['src/graph/'], description: 'planning, pure data: StreamGraph -> JobGraph (chaining) -> ExecutionPlan' },
  { name: 'runtime', prefixes: ['src/runtime/'], description: 'main thread: job master, worker pool, launch context, the worker entry that loads the job' },
  { name: 'actors', prefixes: ['src/actors/'], description: 'worker side: actor group, task actor, input gate, operator chain, record writers, channels' },
  { name: 'operators', prefixes: ['src/operators/'], description: 'one operator per file; windows/' },
  { name: 'state', prefixes: ['src/state/'], description: 'the keyed state backend and timers of an operator, per key group' },
  { name: 'time', prefixes: ['src/time/'], description: 'watermark strategies, the watermark valve, the processing-time scheduler' },
  { name: 'checkpoint', prefixes: ['src/checkpoint/'], description: 'barrier handling, snapshot storage, two-phase commit (next)' },
  { name: 'connectors', prefixes: ['src/connectors/'], description: 'built-in sources and sinks: sequence, collection, print, collect' },
  {
    name: 'core',
    prefixes: ['src/core/'],
    description: 'contracts every layer shares: functions, sources, sinks, the operator contract, stream elements, the planned job, errors, validation, key-group math',
    selfContained: true,
  },
];

/** The rules a violation can break. */
export type Rule =
  /** A file imports a file of a layer above its own. */
  | 'layer-order'
  /** A file of a self-contained layer (core) imports a file outside it. */
  | 'self-contained'
  /** A file lies outside every layer, or an import involves such a file. */
  | 'not-in-layer'
  /** A relative import names no file of the graph. */
  | 'unresolved-import'
  /** Files import each other in a cycle. */
  | 'cycle'
  /** A file does not start with a comment saying what it is for. */
  | 'purpose-comment'
  /** A file is longer than the limit. */
  | 'file-length';

/** One broken rule, with a sentence saying what and where. */
export interface Violation {
  /** The rule broken. */
  readonly rule: Rule;
  /** The file at fault: the importing file for import rules, the first file (by path) of a cycle. */
  readonly file: string;
  /** For import rules: the imported file (or, for `unresolved-import`, the specifier as written). */
  readonly imported?: string;
  /** For import rules: 1-based line of the import in `file`. */
  readonly line?: number;
  /** For import rules: true when the import is type-only. */
  readonly typeOnly?: boolean;
  /** For `cycle`: all files of the strongly connected component, sorted. */
  readonly files?: readonly string[];
  /** For `cycle`: one cycle through the component, first file repeated at the end. */
  readonly cyclePath?: readonly string[];
  /** The sentence for the report. */
  readonly message: string;
}

/** The most lines a file may have. */
export const MAX_FILE_LINES = 600;

const NOT_IN_LAYER = 'not in a layer';

function inFolder(path: string, folder: string): boolean {
  return folder.endsWith('/') ? path.startsWith(folder) : path === folder;
}

/** The layer a file belongs to, or undefined when it is in none. */
export function layerOf(path: string, layers: readonly Layer[] = LAYERS): Layer | undefined {
  return layers.find((layer) => layer.prefixes.some((folder) => inFolder(path, folder)));
}

/** The top-level location of a path under `src/`: its first folder (`src/util/`) or the file itself (`src/errors.ts`). */
export function topLevelLocation(path: string): string {
  const parts = path.split('/');
  const top = parts[0] === 'src' ? 1 : 0;
  return parts.length > top + 1 ? `${parts.slice(0, top + 1).join('/')}/` : path;
}

function layerName(path: string, layers: readonly Layer[]): string {
  return layerOf(path, layers)?.name ?? NOT_IN_LAYER;
}

function importViolation(rule: Rule, edge: ImportEdge, message: string): Violation {
  return { rule, file: edge.from, imported: edge.to, line: edge.line, typeOnly: edge.typeOnly, message };
}

/**
 * Checks every import against the layer order: imports of a layer above, imports out of a
 * self-contained layer, files outside every layer and imports from or to them, and relative
 * imports that resolve to nothing. Type-only imports count like any other.
 */
export function checkLayering(graph: ImportGraph, layers: readonly Layer[] = LAYERS): Violation[] {
  const violations: Violation[] = [];
  const rank = new Map(layers.map((layer, index) => [layer.name, index]));
  for (const file of graph.files) {
    if (layerOf(file.path, layers) !== undefined) continue;
    violations.push({
      rule: 'not-in-layer',
      file: file.path,
      message:
        `${file.path} is not in a layer: its top-level location ${topLevelLocation(file.path)} is in none of ` +
        `the layers' folders`,
    });
  }
  for (const edge of graph.edges) {
    const from = layerOf(edge.from, layers);
    const to = layerOf(edge.to, layers);
    const head = `${edge.from} (${from?.name ?? NOT_IN_LAYER}) imports ${edge.to} (${to?.name ?? NOT_IN_LAYER})`;
    if (from === undefined || to === undefined) {
      const outside = [from === undefined ? edge.from : undefined, to === undefined ? edge.to : undefined]
        .filter((path) => path !== undefined)
        .join(' and ');
      const verb = from === undefined && to === undefined ? 'are' : 'is';
      violations.push(importViolation('not-in-layer', edge, `${head}: ${outside} ${verb} not in a layer`));
    } else if (from.selfContained === true && from !== to) {
      violations.push(
        importViolation(
          'self-contained',
          edge,
          `${head}: ${from.name} may import nothing of eddy's outside ${from.prefixes.join(', ')}`,
        ),
      );
    } else if (rank.get(to.name)! < rank.get(from.name)!) {
      violations.push(
        importViolation('layer-order', edge, `${head}: ${from.name} may not import ${to.name}, which is above it`),
      );
    }
  }
  for (const miss of graph.unresolved) {
    violations.push({
      rule: 'unresolved-import',
      file: miss.from,
      imported: miss.specifier,
      line: miss.line,
      message: `${miss.from} (${layerName(miss.from, layers)}) imports '${miss.specifier}', which resolves to no file under src/`,
    });
  }
  return violations;
}

/**
 * The strongly connected components of a directed graph (Tarjan's algorithm, iterative), each
 * sorted, in order of their first node. Components of one node are included.
 */
export function stronglyConnectedComponents(
  nodes: readonly string[],
  successors: (node: string) => readonly string[],
): string[][] {
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const onStack = new Set<string>();
  const stack: string[] = [];
  const components: string[][] = [];
  let next = 0;
  for (const root of nodes) {
    if (index.has(root)) continue;
    const work: { node: string; children: readonly string[]; at: number }[] = [];
    const enter = (node: string): void => {
      index.set(node, next);
      low.set(node, next);
      next += 1;
      stack.push(node);
      onStack.add(node);
      work.push({ node, children: successors(node), at: 0 });
    };
    enter(root);
    while (work.length > 0) {
      const frame = work[work.length - 1]!;
      if (frame.at < frame.children.length) {
        const child = frame.children[frame.at]!;
        frame.at += 1;
        if (!index.has(child)) enter(child);
        else if (onStack.has(child)) low.set(frame.node, Math.min(low.get(frame.node)!, index.get(child)!));
        continue;
      }
      work.pop();
      const parent = work[work.length - 1];
      if (parent !== undefined) low.set(parent.node, Math.min(low.get(parent.node)!, low.get(frame.node)!));
      if (low.get(frame.node) === index.get(frame.node)) {
        const component: string[] = [];
        let member: string;
        do {
          member = stack.pop()!;
          onStack.delete(member);
          component.push(member);
        } while (member !== frame.node);
        components.push(component.sort());
      }
    }
  }
  return components.sort((a, b) => (a[0]! < b[0]! ? -1 : a[0]! > b[0]! ? 1 : 0));
}

/** A cycle of imports: the files of one strongly connected component and one cycle through them. */
export interface ImportCycle {
  /** The files of the component, sorted. */
  readonly files: readonly string[];
  /** A shortest cycle through the component's first file, that file repeated at the end. */
  readonly path: readonly string[];
  /** For each step of `path`, whether that import is type-only. */
  readonly typeOnlySteps: readonly boolean[];
}

function successorMap(graph: ImportGraph): Map<string, ImportEdge[]> {
  const out = new Map<string, ImportEdge[]>(graph.files.map((file) => [file.path, []]));
  for (const edge of graph.edges) {
    if (!out.has(edge.from)) out.set(edge.from, []);
    if (!out.has(edge.to)) out.set(edge.to, []);
    out.get(edge.from)!.push(edge);
  }
  return out;
}

/** Finds the import cycles of a graph (type-only imports included): one per strongly connected component with a cycle. */
export function findCycles(graph: ImportGraph): ImportCycle[] {
  const out = successorMap(graph);
  const components = stronglyConnectedComponents([...out.keys()].sort(), (node) =>
    out.get(node)!.map((edge) => edge.to),
  );
  const cycles: ImportCycle[] = [];
  for (const files of components) {
    const start = files[0]!;
    const selfLoop = out.get(start)!.find((edge) => edge.to === start);
    if (files.length === 1 && selfLoop === undefined) continue;
    if (selfLoop !== undefined) {
      cycles.push({ files, path: [start, start], typeOnlySteps: [selfLoop.typeOnly] });
      continue;
    }
    // Breadth-first search inside the component for the shortest way back to `start`.
    const members = new Set(files);
    const via = new Map<string, ImportEdge>();
    const queue = [start];
    let closing: ImportEdge | undefined;
    while (queue.length > 0 && closing === undefined) {
      const node = queue.shift()!;
      for (const edge of out.get(node)!) {
        if (!members.has(edge.to)) continue;
        if (edge.to === start) {
          closing = edge;
          break;
        }
        if (via.has(edge.to)) continue;
        via.set(edge.to, edge);
        queue.push(edge.to);
      }
    }
    const steps: ImportEdge[] = [closing!];
    for (let at = closing!.from; at !== start; ) {
      const edge = via.get(at)!;
      steps.unshift(edge);
      at = edge.from;
    }
    cycles.push({
      files,
      path: [start, ...steps.map((edge) => edge.to)],
      typeOnlySteps: steps.map((edge) => edge.typeOnly),
    });
  }
  return cycles;
}

/** Writes a cycle's path, marking type-only steps: `a.ts -> b.ts -(type)-> a.ts`. */
export function formatCyclePath(cycle: ImportCycle): string {
  let text = cycle.path[0]!;
  cycle.typeOnlySteps.forEach((typeOnly, step) => {
    text += `${typeOnly ? ' -(type)-> ' : ' -> '}${cycle.path[step + 1]!}`;
  });
  return text;
}

/** Reports each import cycle (type-only imports included) as a violation naming its files and one cycle path. */
export function checkCycles(graph: ImportGraph): Violation[] {
  return findCycles(graph).map((cycle) => ({
    rule: 'cycle' as const,
    file: cycle.files[0]!,
    files: cycle.files,
    cyclePath: cycle.path,
    message:
      `import cycle among ${cycle.files.length} file${cycle.files.length === 1 ? '' : 's'} ` +
      `(${cycle.files.join(', ')}): no file may import itself through other files; ` +
      `one cycle: ${formatCyclePath(cycle)}`,
  }));
}

/** Comment lines that are tool directives, not descriptions. */
const DIRECTIVE = /^(@ts-|eslint|prettier-ignore|istanbul |c8 |jshint|global |#region|#endregion|SPDX-License-Identifier)/;

/**
 * True when a leading comment says something: at least three words once tool directives
 * (`@ts-nocheck`, `eslint-disable`, ...) are left out.
 */
export function isPurposeComment(comment: string | undefined): boolean {
  if (comment === undefined) return false;
  const words = comment
    .split('\n')
    .filter((line) => !DIRECTIVE.test(line.trim()))
    .join(' ')
    .split(/\s+/)
    .filter((word) => /\p{L}/u.test(word));
  return words.length >= 3;
}

/** Reports files that do not start (after an optional `#!` line) with a comment saying what they are for. */
export function checkPurposeComments(graph: ImportGraph): Violation[] {
  return graph.files
    .filter((file) => !isPurposeComment(file.leadingComment))
    .map((file) => ({
      rule: 'purpose-comment' as const,
      file: file.path,
      message:
        file.leadingComment === undefined
          ? `${file.path} starts with code: every file must start with a comment saying what it is for`
          : `${file.path} starts with a comment that does not say what the file is for ` +
            `(${JSON.stringify(file.leadingComment.slice(0, 60))}): every file must start with one`,
    }));
}

/** Reports files longer than `maxLines` lines. */
export function checkFileLengths(graph: ImportGraph, maxLines: number = MAX_FILE_LINES): Violation[] {
  return graph.files
    .filter((file) => file.lineCount > maxLines)
    .map((file) => ({
      rule: 'file-length' as const,
      file: file.path,
      message: `${file.path} has ${file.lineCount} lines: no file may be over ${maxLines} lines`,
    }));
}

/** Runs every check: layering, cycles, purpose comments, file length. */
export function checkArchitecture(graph: ImportGraph, layers: readonly Layer[] = LAYERS): Violation[] {
  return [...checkLayering(graph, layers), ...checkCycles(graph), ...checkPurposeComments(graph), ...checkFileLengths(graph)];
}

/** A node of the folder-level summary: a layer, or a top-level location that is in no layer. */
export interface FolderGroup {
  /** Layer name, or the location (`src/util/`, `src/errors.ts`) for files in no layer. */
  readonly name: string;
  /** The layer's prefixes, or the location. */
  readonly folders: readonly string[];
  /** The layer's description; for a location in no layer, `not in a layer`. */
  readonly description: string;
  /** True for a layer, false for a location in no layer. */
  readonly isLayer: boolean;
  /** Rank from the top (index in the layer list); locations in no layer come after all layers. */
  readonly rank: number;
  /** Number of files in the group. */
  readonly fileCount: number;
}

/** The number of import edges from one group to another. */
export interface GroupEdgeCount {
  /** Importing group. */
  readonly from: string;
  /** Imported group. */
  readonly to: string;
  /** Number of file-to-file edges. */
  readonly edges: number;
  /** How many of them are type-only. */
  readonly typeOnlyEdges: number;
  /** Whether these edges break a rule (upward, out of a self-contained layer, or into/from no layer). */
  readonly violates: boolean;
}

/** The folder-level picture of a graph: groups and the edge counts between them. */
export interface FolderSummary {
  /** Every layer (also those without files) then every location in no layer, top to bottom. */
  readonly groups: readonly FolderGroup[];
  /** Edge counts for each pair of groups with at least one edge, in group order. */
  readonly counts: readonly GroupEdgeCount[];
}

/** Sums the graph's edges per pair of layers (files in no layer grouped by top-level location). */
export function summarizeFolders(graph: ImportGraph, layers: readonly Layer[] = LAYERS): FolderSummary {
  const groupOf = (path: string): string => layerOf(path, layers)?.name ?? topLevelLocation(path);
  const fileCounts = new Map<string, number>();
  for (const file of graph.files) fileCounts.set(groupOf(file.path), (fileCounts.get(groupOf(file.path)) ?? 0) + 1);
  const groups: FolderGroup[] = layers.map((layer, rank) => ({
    name: layer.name,
    folders: layer.prefixes,
    description: layer.description,
    isLayer: true,
    rank,
    fileCount: fileCounts.get(layer.name) ?? 0,
  }));
  const outside = [...fileCounts.keys()].filter((name) => !layers.some((layer) => layer.name === name)).sort();
  for (const name of outside) {
    groups.push({ name, folders: [name], description: NOT_IN_LAYER, isLayer: false, rank: layers.length, fileCount: fileCounts.get(name)! });
  }
  const order = new Map(groups.map((group, position) => [group.name, position]));
  const byPair = new Map<string, { from: string; to: string; edges: number; typeOnlyEdges: number }>();
  for (const edge of graph.edges) {
    const from = groupOf(edge.from);
    const to = groupOf(edge.to);
    const key = `${from}\u0000${to}`;
    const count = byPair.get(key) ?? { from, to, edges: 0, typeOnlyEdges: 0 };
    count.edges += 1;
    if (edge.typeOnly) count.typeOnlyEdges += 1;
    byPair.set(key, count);
  }
  const isLayer = (name: string): boolean => layers.some((layer) => layer.name === name);
  const counts = [...byPair.values()]
    .map((count) => {
      const from = layers.find((layer) => layer.name === count.from);
      const upward = isLayer(count.from) && isLayer(count.to) && order.get(count.to)! < order.get(count.from)!;
      const leaves = from?.selfContained === true && count.to !== count.from;
      return { ...count, violates: upward || leaves || !isLayer(count.from) || !isLayer(count.to) };
    })
    .sort((a, b) => order.get(a.from)! - order.get(b.from)! || order.get(a.to)! - order.get(b.to)!);
  return { groups, counts };
}

/** Lays the summary out as a text table: one row per pair of groups with edges. */
export function formatFolderSummary(summary: FolderSummary): string {
  const rows = summary.counts.map((count) => [
    count.from,
    count.to,
    String(count.edges),
    String(count.typeOnlyEdges),
    count.violates ? 'VIOLATION' : count.from === count.to ? 'same layer' : 'ok',
  ]);
  const header = ['from', 'to', 'edges', 'type-only', ''];
  const widths = header.map((title, column) => Math.max(title.length, ...rows.map((row) => row[column]!.length)));
  const line = (cells: readonly string[]): string =>
    cells
      .map((cell, column) => (column === 2 || column === 3 ? cell.padStart(widths[column]!) : cell.padEnd(widths[column]!)))
      .join('  ')
      .trimEnd();
  const groups = summary.groups.map(
    (group) =>
      `  ${group.name.padEnd(Math.max(...summary.groups.map((g) => g.name.length)))}  ` +
      `${String(group.fileCount).padStart(3)} file${group.fileCount === 1 ? ' ' : 's'}  ` +
      `${group.isLayer ? `${group.folders.join(', ')}: ${group.description}` : 'NOT IN A LAYER'}`,
  );
  return [
    'Groups (top to bottom):',
    ...groups,
    '',
    'Import edges between groups (file-to-file edges, type-only included):',
    `  ${line(header)}`,
    ...rows.map((row) => `  ${line(row)}`),
  ].join('\n');
}

/** A Mermaid node id for a group: prefixed, so that no id is a Mermaid keyword (`graph`, `end`). */
function mermaidId(group: string): string {
  return `g_${group.replace(/[^A-Za-z0-9]/g, '_')}`;
}

/**
 * A Mermaid `graph TD` diagram of the folder dependencies: one node per layer that has files
 * (and per location in no layer, marked), one arrow per pair of groups with imports, labelled
 * with the edge count; arrows that break a rule are drawn red. Edges inside a group are left out.
 */
export function mermaidDiagram(summary: FolderSummary): string {
  const lines = ['graph TD'];
  for (const group of summary.groups) {
    if (group.fileCount === 0) continue;
    const where = group.isLayer ? group.folders.join(', ') : 'not in a layer';
    const label = `${group.name}<br/>${where}<br/>${group.fileCount} file${group.fileCount === 1 ? '' : 's'}`;
    lines.push(`  ${mermaidId(group.name)}["${label}"]${group.isLayer ? '' : ':::outside'}`);
  }
  const red: number[] = [];
  let link = 0;
  for (const count of summary.counts) {
    if (count.from === count.to) continue;
    const label = count.typeOnlyEdges > 0 ? `${count.edges} (${count.typeOnlyEdges} type)` : `${count.edges}`;
    lines.push(`  ${mermaidId(count.from)} -->|"${label}"| ${mermaidId(count.to)}`);
    if (count.violates) red.push(link);
    link += 1;
  }
  if (red.length > 0) lines.push(`  linkStyle ${red.join(',')} stroke:#d00,stroke-width:2px,color:#d00`);
  if (summary.groups.some((group) => !group.isLayer && group.fileCount > 0)) {
    lines.push('  classDef outside fill:#fee,stroke:#d00,stroke-dasharray:4 2');
  }
  return lines.join('\n');
}
