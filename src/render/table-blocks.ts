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
 * replaced by a paragraph of the same length (the same lines, columns and offsets), and puts the
 * table where that paragraph is read. Only tables the parser would read back exactly as written
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

/** A kept table's rows in the filled Markdown, by the offset of its `:::table` line. */
interface Placed {
  offset: number;
  table: Table;
}

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
  const placed: Placed[] = [];
  const pieces: string[] = [];
  let at = 0;
  const opening = /^:::table\{/gm;
  for (let m = opening.exec(markdown); m; m = opening.exec(markdown)) {
    const end = markdown.indexOf('\n:::', m.index);
    if (end === -1) break;
    const close = end + 4;
    if (close < markdown.length && markdown[close] !== '\n') continue;
    const block = markdown.slice(m.index, close);
    const table = tables.get(block);
    if (!table) continue;
    const first = markdown.indexOf('\n', m.index) + 1;
    pieces.push(markdown.slice(at, first));
    // each row as a line of its length: a paragraph, which costs the parser next to nothing
    pieces.push(
      markdown
        .slice(first, end)
        .split('\n')
        .map((line) => `\ue000${'x'.repeat(line.length - 1)}`)
        .join('\n'),
    );
    at = end;
    placed.push({ offset: m.index, table });
    opening.lastIndex = close;
  }
  if (placed.length === 0) return parse(markdown);
  pieces.push(markdown.slice(at));
  const tree = await parse(pieces.join(''));
  const byOffset = new Map(placed.map((p) => [p.offset, p.table]));
  let found = 0;
  const walk = (node: { type: string; children?: unknown[] }) => {
    for (const child of (node.children ?? []) as ContainerDirective[]) {
      if (child.type === 'containerDirective' && child.name === 'table') {
        const table = byOffset.get(child.position?.start.offset ?? -1);
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
      }
      if ('children' in child) walk(child);
    }
  };
  walk(tree);
  // a table not read where it was written (a template that nests it oddly): the parser reads all
  return found === placed.length ? tree : parse(markdown);
}
