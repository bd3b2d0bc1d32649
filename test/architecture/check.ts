// The command behind `npm run check:layers`: checks src/ against the layering and prints the
// violations, the folder-level summary and a Mermaid diagram; `--mermaid` prints only the diagram.

import { buildImportGraph, findRepositoryRoot, readSourceTree } from './import-graph.js';
import {
  checkArchitecture,
  formatFolderSummary,
  LAYERS,
  MAX_FILE_LINES,
  mermaidDiagram,
  summarizeFolders,
  type Rule,
  type Violation,
} from './layers.js';

/** Headings of the report's sections, in the order printed. */
const SECTIONS: readonly { rule: Rule; title: string }[] = [
  { rule: 'layer-order', title: 'Imports of a layer above' },
  { rule: 'self-contained', title: 'Imports out of a self-contained layer (core)' },
  { rule: 'not-in-layer', title: 'Files not in a layer, and imports from or to them' },
  { rule: 'unresolved-import', title: 'Relative imports that name no file' },
  { rule: 'cycle', title: 'Import cycles (type-only imports included)' },
  { rule: 'purpose-comment', title: 'Files without a leading comment saying what they are for' },
  { rule: 'file-length', title: `Files over ${MAX_FILE_LINES} lines` },
];

function detail(violation: Violation): string {
  const notes: string[] = [];
  if (violation.line !== undefined) notes.push(`line ${violation.line}`);
  if (violation.typeOnly === true) notes.push('type-only');
  return notes.length > 0 ? ` [${notes.join(', ')}]` : '';
}

/** Builds the full text report for the violations and summary of one check run. */
function formatReport(violations: readonly Violation[], fileCount: number, edgeCount: number, summary: string, diagram: string): string {
  const out: string[] = [
    `eddy architecture check: ${fileCount} files under src/, ${edgeCount} import edges, ${violations.length} violation${violations.length === 1 ? '' : 's'}`,
    '',
  ];
  for (const { rule, title } of SECTIONS) {
    const found = violations.filter((violation) => violation.rule === rule);
    out.push(`${title}: ${found.length}`);
    for (const violation of found) out.push(`  - ${violation.message}${detail(violation)}`);
    out.push('');
  }
  out.push(summary, '', 'Mermaid diagram of the folder dependencies (red: arrows that break a rule):', '', '```mermaid', diagram, '```');
  return out.join('\n');
}

function main(argv: readonly string[]): number {
  const root = findRepositoryRoot(import.meta.url);
  const graph = buildImportGraph(readSourceTree(root));
  const summary = summarizeFolders(graph, LAYERS);
  const diagram = mermaidDiagram(summary);
  if (argv.includes('--mermaid')) {
    // Only the diagram, so that docs can embed it; the exit code does not report violations here.
    process.stdout.write(`${diagram}\n`);
    return 0;
  }
  const violations = checkArchitecture(graph, LAYERS);
  process.stdout.write(
    `${formatReport(violations, graph.files.length, graph.edges.length, formatFolderSummary(summary), diagram)}\n`,
  );
  return violations.length > 0 ? 1 : 0;
}

process.exitCode = main(process.argv.slice(2));
