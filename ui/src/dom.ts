// Small helpers to build HTML and SVG elements with attributes and children, and to set text only
// when it changed (so live updates do not disturb selection or layout).

type Child = Node | string | null | undefined | false;
type Attributes = Record<string, string | number | boolean | null | undefined>;

const SVG_NAMESPACE = 'http://www.w3.org/2000/svg';

function fill<E extends Element>(element: E, attributes: Attributes, children: readonly Child[]): E {
  for (const [name, value] of Object.entries(attributes)) {
    if (value === null || value === undefined || value === false) continue;
    element.setAttribute(name, value === true ? '' : String(value));
  }
  for (const child of children) {
    if (child === null || child === undefined || child === false) continue;
    element.append(child);
  }
  return element;
}

/** An HTML element: `html('td', { class: 'num' }, '12')`. */
export function html<K extends keyof HTMLElementTagNameMap>(tag: K, attributes: Attributes = {}, ...children: Child[]): HTMLElementTagNameMap[K] {
  return fill(document.createElement(tag), attributes, children);
}

/** An SVG element: `svg('rect', { width: 10, height: 10 })`. */
export function svg<K extends keyof SVGElementTagNameMap>(tag: K, attributes: Attributes = {}, ...children: Child[]): SVGElementTagNameMap[K] {
  return fill(document.createElementNS(SVG_NAMESPACE, tag), attributes, children);
}

export function setText(node: Element, text: string): void {
  if (node.textContent !== text) node.textContent = text;
}

export function setAttribute(element: Element, name: string, value: string): void {
  if (element.getAttribute(name) !== value) element.setAttribute(name, value);
}

/** A table column: its heading, and whether its cells are figures (aligned right). */
export interface Column {
  readonly heading: string;
  readonly numeric: boolean;
}

/** Columns from their headings; those named in `textHeadings` hold text, the others figures. */
export function columns(headings: readonly string[], textHeadings: readonly string[]): Column[] {
  return headings.map((heading) => ({ heading, numeric: !textHeadings.includes(heading) }));
}

/** A table with a header row; its body is returned to be filled with `tableRow`. */
export function table(testId: string, tableColumns: readonly Column[]): { table: HTMLTableElement; body: HTMLTableSectionElement } {
  const body = html('tbody');
  const headRow = html('tr', {}, ...tableColumns.map((column) => html('th', { scope: 'col', class: column.numeric ? 'num' : null }, column.heading)));
  return { table: html('table', { 'data-testid': testId }, html('thead', {}, headRow), body), body };
}

/** A body row: a cell per column, in the columns' order. */
export function tableRow(testId: string, tableColumns: readonly Column[], cells: readonly (Node | string)[], className: string | null = null): HTMLTableRowElement {
  return html('tr', { 'data-testid': testId, class: className }, ...cells.map((cell, index) => html('td', { class: tableColumns[index]?.numeric ? 'num' : null }, cell)));
}
