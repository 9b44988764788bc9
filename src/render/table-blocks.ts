import type { PhrasingContent, Root, Table, TableCell } from 'mdast';
import type { ContainerDirective } from 'mdast-util-directive';
import { markdownOf } from './markdown-text.js';

/**
 * Tables a helper wrote, kept as the trees they were written from, so that the parser need not
 * read them back: a GFM table is most of what reading a report's Markdown costs (a report of
 * 200 questions prints 200 tables in each language).
 *
 * While `collectTables` runs, every `:::table` block written through `tableBlock` is kept by its
 * Markdown. `withTables` then gives the parser the filled Markdown with each kept table's rows
 * replaced by a paragraph of as many one-character lines (every other line keeps its number; the
 * offsets after it are moved back), and puts the table where that paragraph is read. Only tables the parser would read back exactly as written
 * are kept (plain cell text, no escape, no reference, no space at a cell's ends: see `asParsed`);
 * any other is read by the parser, as is the whole text when a kept table is not found where it was
 * written. A test compares the trees of both ways.
 */
let collecting: Map<string, Table> | undefined;

/** Runs `fill` (a template's filling), keeping the tables it writes; returns both. */
export function collectTables<T>(fill: () => T): { value: T; tables: Map<string, Table> } {
  const outer = collecting;
  const tables = new Map<string, Table>();
  collecting = tables;
  try {
    return { value: fill(), tables };
  } finally {
    collecting = outer;
  }
}

/** A `:::table` block as Markdown (kept, when tables are collected and it reads back as written). */
export function tableBlock(id: string, caption: string, table: Table): string {
  const figure: ContainerDirective = {
    type: 'containerDirective',
    name: 'table',
    attributes: { id, caption },
    children: [table],
  };
  const markdown = markdownOf([figure]);
  if (collecting) {
    const parsed = asParsed(table, markdown);
    if (parsed) collecting.set(markdown, parsed);
  }
  return markdown;
}

// characters that are, or may start, Markdown or directive syntax, a reference or an escape in a
// cell: a cell text holding one is left to the parser
// biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are left to the parser
const SYNTAX = /[\\`*_[\]<>!&~|:{}#$^=@\u0000-\u001f\u007f\u00a0\u2028\u2029\ue000]/;
const plain = (value: string) => value !== '' && !SYNTAX.test(value) && value.trim() === value;

/**
 * The table as the parser reads it back from `markdown`, or undefined when that may differ:
 * each cell's content is empty, plain text, strong plain text or `:nowrap[plain text]`, and the
 * block's rows carry no backslash or reference.
 */
function asParsed(table: Table, markdown: string): Table | undefined {
  const lines = markdown.split('\n');
  // the opening line (`:::table{…}`), the rows, the closing `:::`
  if (lines.length < 4 || !lines[0]?.startsWith(':::table{') || lines.at(-1) !== ':::')
    return undefined;
  if (lines.slice(1, -1).some((l) => !l.startsWith('|') || /[\\&]/.test(l))) return undefined;
  const width = table.children[0]?.children.length ?? 0;
  if (width === 0 || table.children.some((r) => r.children.length !== width)) return undefined;
  const align = table.align ?? [];
  if (align.length > width) return undefined;
  const cell = (c: TableCell): TableCell | undefined => {
    const children: PhrasingContent[] = [];
    for (const node of c.children) {
      if (node.type === 'text') {
        if (node.value === '') continue;
        if (!plain(node.value)) return undefined;
        children.push({ type: 'text', value: node.value });
      } else if (node.type === 'strong' || isNowrap(node)) {
        const [inner, ...rest] = (node as { children: PhrasingContent[] }).children;
        if (rest.length > 0 || inner?.type !== 'text' || !plain(inner.value)) return undefined;
        const text: PhrasingContent = { type: 'text', value: inner.value };
        children.push(
          node.type === 'strong'
            ? { type: 'strong', children: [text] }
            : ({
                type: 'textDirective',
                name: 'nowrap',
                attributes: {},
                children: [text],
              } as PhrasingContent),
        );
      } else return undefined;
    }
    // one node to a cell: two texts side by side would be read as one
    if (children.length > 1) return undefined;
    return { type: 'tableCell', children };
  };
  const rows: Table['children'] = [];
  for (const r of table.children) {
    const cells: TableCell[] = [];
    for (const c of r.children) {
      const read = cell(c);
      if (!read) return undefined;
      cells.push(read);
    }
    rows.push({ type: 'tableRow', children: cells });
  }
  return {
    type: 'table',
    align: Array.from({ length: width }, (_, i) => align[i] ?? null),
    children: rows,
  };
}

const isNowrap = (node: PhrasingContent) =>
  (node as { type: string }).type === 'textDirective' &&
  (node as unknown as { name: string }).name === 'nowrap' &&
  Object.keys((node as unknown as { attributes?: object }).attributes ?? {}).length === 0;

/**
 * Parses `markdown` (by `parse`) with the kept tables put in place rather than read; the tree is
 * the one `parse(markdown)` gives (positions inside those tables aside).
 */
export async function withTables(
  markdown: string,
  tables: ReadonlyMap<string, Table>,
  parse: (text: string) => Promise<Root>,
): Promise<Root> {
  if (tables.size === 0 || markdown.includes('\ue000')) return parse(markdown);
  // each kept table's `:::table` line by its offset; each row put as a one-character line, so
  // that every line of the text keeps its number (and the parser reads next to nothing); the
  // offsets the parser gives after a row are moved back by what the rows lost (`shifts`)
  const placed = new Map<number, Table>();
  const shifts: { from: number; by: number }[] = [];
  const pieces: string[] = [];
  let at = 0;
  let written = 0;
  let lost = 0;
  const opening = /^:::table\{/gm;
  for (let m = opening.exec(markdown); m; m = opening.exec(markdown)) {
    const end = markdown.indexOf('\n:::', m.index);
    if (end === -1) break;
    const close = end + 4;
    if (close < markdown.length && markdown[close] !== '\n') continue;
    const table = tables.get(markdown.slice(m.index, close));
    if (!table) continue;
    const first = markdown.indexOf('\n', m.index) + 1;
    const rows = markdown.slice(first, end);
    const lines = rows.split('\n').length;
    const stand = Array.from({ length: lines }, () => '\ue000').join('\n');
    pieces.push(markdown.slice(at, first), stand);
    written += first - at + stand.length;
    lost += rows.length - stand.length;
    shifts.push({ from: written, by: lost });
    at = end;
    placed.set(m.index, table);
    opening.lastIndex = close;
  }
  if (placed.size === 0) return parse(markdown);
  pieces.push(markdown.slice(at));
  const tree = await parse(pieces.join(''));
  // offsets back to the filled Markdown's
  const moved = new Set<object>();
  const shiftOf = (offset: number) => {
    let lo = 0;
    let hi = shifts.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if ((shifts[mid] as { from: number }).from <= offset) lo = mid + 1;
      else hi = mid;
    }
    return lo === 0 ? 0 : (shifts[lo - 1] as { by: number }).by;
  };
  const move = (point: { offset?: number } | undefined) => {
    if (!point || point.offset === undefined || moved.has(point)) return;
    moved.add(point);
    point.offset += shiftOf(point.offset);
  };
  let found = 0;
  const walk = (node: { type: string; children?: unknown[]; position?: Root['position'] }) => {
    move(node.position?.start);
    move(node.position?.end);
    for (const child of (node.children ?? []) as ContainerDirective[]) {
      if (child.type === 'containerDirective' && child.name === 'table') {
        move(child.position?.start);
        move(child.position?.end);
        const table = placed.get(child.position?.start.offset ?? -1);
        const [only, ...rest] = child.children;
        if (
          table &&
          rest.length === 0 &&
          only?.type === 'paragraph' &&
          only.children.length === 1 &&
          only.children[0]?.type === 'text' &&
          only.children[0].value.startsWith('\ue000')
        ) {
          child.children = [structuredClone(table)];
          found++;
          continue;
        }
        // a table block the parser read: walked as any other node (its points moved once)
      }
      walk(child);
    }
  };
  walk(tree);
  // a table not read where it was written (a template that nests it oddly): the parser reads all
  return found === placed.size ? tree : parse(markdown);
}
