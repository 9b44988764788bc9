import type { Element, RootContent as HastNode, Root as HastRoot } from 'hast';
import { toString as hastText } from 'hast-util-to-string';
import type { Root as MdastRoot, Table, TableCell, TableRow } from 'mdast';
import { toString as mdText } from 'mdast-util-to-string';
import { decimalsOf } from '../load/claims.js';
import type { ScannedNumber, ScanSum } from './scan.js';

/** Where a table cell stands: which table of the text, which row and column, and its row's label. */
export interface Cell {
  table: number;
  row: number;
  column: number;
  /** The row's cells that print no figure, as printed ("Total", "Muy satisfecho"). */
  label: string[];
  /** Its column's first cell: the header ("%", "n"). */
  header: string;
  /** In the table's header row. */
  head: boolean;
}

const clean = (text: string) => text.replace(/\s+/g, ' ').trim();

/** The cell a Markdown text node stands in, from its ancestors (numbering tables as met). */
export function markdownCell(
  ancestors: readonly (MdastRoot | MdastRoot['children'][number] | { type: string })[],
  tables: Map<object, number>,
): Cell | undefined {
  const at = ancestors.findLastIndex((a) => a.type === 'tableCell');
  if (at < 2) return undefined;
  const cell = ancestors[at] as TableCell;
  const row = ancestors[at - 1] as TableRow;
  const table = ancestors[at - 2] as Table;
  if (!tables.has(table)) tables.set(table, tables.size);
  const r = table.children.indexOf(row);
  const c = row.children.indexOf(cell);
  return {
    table: tables.get(table) as number,
    row: r,
    column: c,
    label: row.children.map((x) => clean(mdText(x))).filter((x) => !/\d/.test(x)),
    header: clean(table.children[0]?.children[c] ? mdText(table.children[0].children[c]) : ''),
    head: r === 0,
  };
}

const isElement = (n: HastNode | HastRoot): n is Element => n.type === 'element';
const cellsOf = (tr: Element) =>
  tr.children.filter(
    (c): c is Element => isElement(c) && (c.tagName === 'td' || c.tagName === 'th'),
  );

/** The cell an HTML text node stands in, from its ancestor elements (numbering tables as met). */
export function htmlCell(
  elements: readonly Element[],
  tables: Map<object, { number: number; rows: Element[] }>,
): Cell | undefined {
  const at = elements.findLastIndex((e) => e.tagName === 'td' || e.tagName === 'th');
  const tr = elements[at - 1];
  const table = elements.slice(0, at).findLast((e) => e.tagName === 'table');
  if (at < 1 || !tr || tr.tagName !== 'tr' || !table) return undefined;
  let known = tables.get(table);
  if (!known) {
    const rows: Element[] = [];
    const walk = (e: Element) => {
      for (const c of e.children)
        if (isElement(c)) {
          if (c.tagName === 'tr') rows.push(c);
          else if (c.tagName !== 'table') walk(c);
        }
    };
    walk(table);
    known = { number: tables.size, rows };
    tables.set(table, known);
  }
  const cells = cellsOf(tr);
  const cell = elements[at] as Element;
  // a cell spanning columns: its column number means nothing below it
  if (cells.some((c) => Number(c.properties.colSpan ?? 1) > 1)) return undefined;
  const c = cells.indexOf(cell);
  const first = known.rows[0];
  const header = first ? cellsOf(first)[c] : undefined;
  return {
    table: known.number,
    row: known.rows.indexOf(tr),
    column: c,
    label: cells.map((x) => clean(hastText(x))).filter((x) => !/\d/.test(x)),
    header: clean(header ? hastText(header) : ''),
    head:
      elements.some((e) => e.tagName === 'thead') ||
      (tr === first && cells.every((x) => x.tagName === 'th')),
  };
}

const TOTAL = /^[*_\s]*(?:total(?:es)?|sum|suma)\b[*_\s:]*$/iu;
const SUBTOTAL = /\bsub-?totale?s?\b/iu;
const CUMULATIVE = /acumulad|cumulative|cumul/iu;
const PERCENT_HEADER = /%|porcentaje|percent|pct\b|por ?ciento/iu;
const COUNT_HEADER =
  /^[*_\s]*(?:n|f|fi|n[°º]|nº|no\.|frecuencia(?: absoluta)?|frequency|freq\.?|count|cantidad|casos|cases|número|number|respondents|encuestad[oa]s)[*_\s]*$/iu;
const half = (printed: string) => 0.5 * 10 ** -decimalsOf(printed);
const trim = (x: number) => String(Number(x.toFixed(6)));

interface Column {
  header: string;
  percent: boolean;
  rows: ScannedNumber[];
  total?: ScannedNumber;
}

/**
 * The columns of each table (Markdown, HTML) added up: a percentage column to its total row
 * (100), a count column to its total row; with no total row, a count column that adds up to the
 * text's n lists every answer, so the percentage column beside it must add up to 100. Each row
 * rounded to d decimals, k rows are off by k half-units at most. A total row whose column does
 * not add up to it is no verified figure of its own.
 */
export function tableSums(
  numbers: readonly ScannedNumber[],
  base: { n: number } | undefined,
): ScanSum[] {
  const sums = [...columnSums(numbers, base)];
  // where a cell stands is read here only: no part of what scan reports
  for (const n of numbers) delete n.cell;
  return sums;
}

function* columnSums(
  numbers: readonly ScannedNumber[],
  base: { n: number } | undefined,
): Generator<ScanSum> {
  const tables = new Map<number, ScannedNumber[]>();
  for (const n of numbers)
    if (n.cell && !n.cell.head) tables.set(n.cell.table, [...(tables.get(n.cell.table) ?? []), n]);
  for (const list of tables.values()) {
    // a table read from its header row on (not the rest of one cut before it), without subtotals
    if (list.some((n) => n.cell?.row === 0)) continue;
    const says = (n: ScannedNumber, words: RegExp) =>
      (n.cell?.label ?? []).some((l) => words.test(l));
    if (list.some((n) => says(n, SUBTOTAL))) continue;
    const totalRows = new Set(list.filter((n) => says(n, TOTAL)).map((n) => n.cell?.row));
    if (totalRows.size > 1) continue;
    // the rows below a total row (no answer, missing) are outside it
    const totalRow = [...totalRows][0];
    const columns = new Map<number, ScannedNumber[]>();
    for (const n of list) {
      const c = n.cell?.column as number;
      columns.set(c, [...(columns.get(c) ?? []), n]);
    }
    const read: Column[] = [];
    for (const cells of columns.values()) {
      const header = cells[0]?.cell?.header ?? '';
      if (CUMULATIVE.test(header)) continue;
      // one number a cell, every one a frequency (no year, mean, range or label among them)
      const rows = new Set(cells.map((n) => n.cell?.row));
      if (rows.size !== cells.length) continue;
      if (!cells.every((n) => ['share', 'count', 'n', 'total'].includes(n.kind))) continue;
      const total = cells.find((n) => totalRows.has(n.cell?.row));
      const body = cells.filter(
        (n) => n !== total && (totalRow === undefined || (n.cell?.row ?? 0) < totalRow),
      );
      if (body.length < 2) continue;
      // a percentage column by its header or its signs; a count column by its header (a column
      // of bare figures may be medians or amounts, whose total row is no sum)
      const percent = PERCENT_HEADER.test(header) || body.every((n) => n.percentSign);
      const count =
        !percent &&
        (COUNT_HEADER.test(header) || (header === '' && body.every((n) => /^\d+$/.test(n.value))));
      // a total row's percentage other than 100 is a margin of row percentages, not a column's sum
      if (percent && total && Math.abs(Number(total.value) - 100) > half(total.value) + 1e-9)
        continue;
      if (!percent && !count) continue;
      read.push({ header, percent, rows: body, ...(total ? { total } : {}) });
    }
    const counts = read.filter((c) => !c.percent);
    for (const column of read) {
      const total = column.rows.reduce((s, n) => s + Number(n.value), 0);
      const tolerance = column.rows.reduce((s, n) => s + half(n.value), 0);
      let expected: number | undefined;
      let against = '';
      if (column.total) {
        expected = Number(column.total.value);
        against = `its total row (${column.total.printed})`;
      } else if (column.percent) {
        // no total row: every answer is listed when a count column beside it adds up to the n
        const complete =
          base !== undefined &&
          counts.some(
            (c) =>
              !c.total &&
              c.rows.length === column.rows.length &&
              c.rows.reduce((s, n) => s + Number(n.value), 0) === base.n,
          );
        if (complete) {
          expected = 100;
          against = `100 (the counts beside it add up to n = ${base?.n})`;
        } else if (Math.abs(total - 100) <= tolerance + 1e-9) {
          expected = 100;
          against = '100';
        }
      }
      if (expected === undefined) continue;
      const allowed = column.percent
        ? tolerance + (column.total ? half(column.total.value) : 0)
        : column.rows.some((n) => n.value.includes('.'))
          ? tolerance
          : 0;
      const ok = Math.abs(total - expected) <= allowed + 1e-9;
      const first = column.rows[0] as ScannedNumber;
      const name = `the ${column.percent ? 'percentage' : 'count'} column${column.header ? ` "${column.header}"` : ''} of the table at line ${first.line}`;
      if (!ok && column.total && column.total.verdict !== 'fails') {
        column.total.verdict = 'unchecked';
        column.total.note = `a total row; the rows above it add up to ${trim(total)}, not ${column.total.printed}`;
        delete column.total.recomputed;
      }
      yield {
        question: '',
        line: first.line,
        ...(first.page === undefined ? {} : { page: first.page }),
        printed: column.rows.map((n) => n.printed),
        total: Number(total.toFixed(6)),
        expected,
        tolerance: Number(allowed.toFixed(6)),
        ok,
        note: ok
          ? `${name} adds up to ${against}`
          : `${name} adds up to ${trim(total)}, not ${against}${allowed > 0 ? ` ± ${trim(allowed)}` : ''}`,
      };
    }
  }
}
