import { createRequire } from 'node:module';
import type { Readable } from 'node:stream';
import type ExcelJS from 'exceljs';
import { InputError } from '../errors.js';
import { binaryKind } from './sniff.js';
import type { Cell, Table } from './table.js';

export interface WorkbookOptions {
  /** The sheet: its name, or its number from 1 (default: the first). */
  sheet?: string | number;
  /** The row that names the columns (default 1: rows above it, such as a title, are skipped). */
  headerRow?: number;
}

/** exceljs is CommonJS; loaded when a workbook is read, not when every command starts. */
const exceljs = () => createRequire(import.meta.url)('exceljs') as typeof ExcelJS;

/** A workbook's sheet opened: its header read, its rows read one at a time. */
export interface OpenedWorkbook {
  head: Omit<Table, 'rows'>;
  /**
   * The rows below the header that hold a value, in sheet order. A bad cell, a value without a
   * header or merged header cells (known only at the sheet's end) are errors naming their row.
   */
  rows(): AsyncGenerator<Table['rows'][number]>;
}

/**
 * Reads one sheet of an Excel workbook (.xlsx) whole: cells keep their types (numbers, dates,
 * text), formulas give their results, merged header cells are refused.
 */
export async function readWorkbook(
  bytes: Uint8Array,
  file: string,
  options: WorkbookOptions = {},
): Promise<Table> {
  const { head, rows } = await openWorkbook(bytes, file, options);
  const all: Table['rows'] = [];
  for await (const row of rows()) all.push(row);
  return { ...head, rows: all };
}

/**
 * Opens one sheet of an Excel workbook (.xlsx) with exceljs's streaming reader: only the shared
 * strings, the styles and the row being read are held, so memory does not grow with the rows.
 * What it gives is what the whole-workbook reader gives (`cellValue`).
 */
export async function openWorkbook(
  bytes: Uint8Array,
  file: string,
  options: WorkbookOptions = {},
): Promise<OpenedWorkbook> {
  refuseOtherKinds(bytes, file);
  const unreadable = (error: unknown) =>
    new InputError(
      file,
      undefined,
      `not a readable Excel workbook (${firstLine(error)})`,
      'save it again from Excel or LibreOffice as .xlsx',
    );
  const merges: string[] = [];
  let sheet: { name: string; rows: AsyncIterable<ExcelJS.Row> };
  try {
    const found = await openSheet(bytes, options.sheet ?? 1, merges);
    if (typeof found === 'string')
      throw new InputError(file, undefined, found.split('\n')[0] ?? '', found.split('\n')[1]);
    sheet = found;
  } catch (error) {
    if (error instanceof InputError) throw error;
    throw unreadable(error);
  }
  const name = sheet.name;
  const headerLine = options.headerRow ?? 1;
  const rowsOf = sheet.rows[Symbol.asyncIterator]();
  const valuesOf = (row: ExcelJS.Row) => row.values as ExcelJS.CellValue[];
  const next = async () => {
    try {
      return await rowsOf.next();
    } catch (error) {
      throw unreadable(error);
    }
  };
  /** Merged cells are listed after the rows: a merged header is known only at the sheet's end. */
  const mergedHeader = () => {
    for (const range of merges) {
      const [from, to] = range.split(':');
      if (rowOf(from) <= headerLine && headerLine <= rowOf(to ?? from))
        return new InputError(
          file,
          headerLine,
          `merged header cells ${range} in sheet "${name}"`,
          'unmerge them so that each column has its own header, or set study.data.header_row to the row that does',
        );
    }
    return undefined;
  };
  /** Reads the sheet to its end, then throws its merged header or else `error`. */
  const fail = async (error: InputError): Promise<never> => {
    while (!(await next()).done);
    throw mergedHeader() ?? error;
  };

  let pending: IteratorResult<ExcelJS.Row> = await next();
  while (!pending.done && pending.value.number < headerLine) pending = await next();
  const header: string[] = [];
  if (!pending.done && pending.value.number === headerLine) {
    const values = valuesOf(pending.value);
    try {
      for (let c = 1; c < values.length; c++) header.push(cellText(values[c], file, headerLine));
    } catch (error) {
      return fail(error as InputError);
    }
    pending = await next();
  }
  while (header.length > 0 && header[header.length - 1]?.trim() === '') header.pop();
  if (header.length === 0)
    return fail(
      new InputError(
        file,
        headerLine,
        `sheet "${name}" has no header on row ${headerLine}`,
        'the header row names the columns; set study.data.header_row if a title stands above it',
      ),
    );
  const head: Omit<Table, 'rows'> = {
    source: `sheet "${name}", header on row ${headerLine}`,
    headerLine,
    columns: header.map((h) => ({ header: h })),
  };
  let opened = false;
  async function* rows(): AsyncGenerator<Table['rows'][number]> {
    if (opened) throw new Error('a streamed sheet is read once');
    opened = true;
    for (; !pending.done; pending = await next()) {
      const row = pending.value;
      const r = row.number;
      const values = valuesOf(row);
      const cells: Cell[] = [];
      let any = false;
      try {
        for (let c = 1; c <= header.length; c++) {
          const cell = cellValue(values[c], file, r);
          if (cell !== null && !(typeof cell === 'string' && cell.trim() === '')) any = true;
          cells.push(cell);
        }
        // values beyond the header's last column are data without a header
        for (let c = header.length + 1; c < values.length; c++) {
          const extra = cellValue(values[c], file, r);
          if (extra !== null && String(extra).trim() !== '')
            throw new InputError(
              file,
              r,
              `a value in column ${c} of sheet "${name}", which has no header`,
              'name the column on the header row, or delete the value',
            );
        }
      } catch (error) {
        if (error instanceof InputError) await fail(error);
        throw error;
      }
      if (any) yield { line: r, cells };
    }
    const merged = mergedHeader();
    if (merged) throw merged;
  }
  return { head, rows };
}

/** The parts of exceljs's streaming reader this module drives (its own loop over the zip is not used). */
interface StreamedBook {
  model?: { sheets?: { name: string; rId: string }[] };
  workbookRels?: { Id: string; Target: string }[];
  sharedStrings?: unknown[];
  _parseRels(entry: Readable): Promise<void>;
  _parseWorkbook(entry: Readable): Promise<void>;
  _parseSharedStrings(entry: Readable): AsyncIterable<unknown>;
  _parseStyles(entry: Readable): Promise<void>;
  _parseWorksheet(
    iterator: AsyncIterable<Buffer>,
    sheetNo: string,
  ): Iterable<{ value: AsyncIterable<ExcelJS.Row> }>;
}

/**
 * The wanted sheet of a workbook, its rows read as they are unzipped; or, when it has no such
 * sheet, the message and hint saying so. The workbook's parts are taken by name from the zip's
 * directory, the workbook, its relations, shared strings and styles before the sheet, whatever
 * their order in the file (exceljs's own loop over the zip, as a stream, can lose the last part
 * of a file whose shared strings follow the sheets). The sheet's merged cells go to `merges`.
 */
async function openSheet(
  bytes: Uint8Array,
  wanted: string | number,
  merges: string[],
): Promise<
  { name: string; rows: AsyncIterable<ExcelJS.Row>; part: { stream(): Readable } } | string
> {
  const require = createRequire(import.meta.url);
  const unzipper = require('unzipper') as {
    Open: {
      buffer(buffer: Buffer): Promise<{ files: { path: string; stream(): Readable }[] }>;
    };
  };
  const zip = await unzipper.Open.buffer(
    Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength),
  );
  const part = (path: string) => zip.files.find((f) => f.path === path);
  const needed = (path: string) => {
    const found = part(path);
    if (!found) throw new Error(`it has no ${path}`);
    return found.stream();
  };
  const reader = new (exceljs().stream.xlsx.WorkbookReader)(undefined as never, {
    sharedStrings: 'cache',
    styles: 'cache',
    hyperlinks: 'ignore',
    worksheets: 'emit',
  }) as unknown as StreamedBook;
  await reader._parseRels(needed('xl/_rels/workbook.xml.rels'));
  await reader._parseWorkbook(needed('xl/workbook.xml'));
  const strings = part('xl/sharedStrings.xml');
  if (strings) for await (const _ of reader._parseSharedStrings(strings.stream()));
  const styles = part('xl/styles.xml');
  if (styles) await reader._parseStyles(styles.stream());
  const sheets = reader.model?.sheets ?? [];
  const sheet =
    typeof wanted === 'number' ? sheets[wanted - 1] : sheets.find((s) => s.name === wanted);
  const target = reader.workbookRels?.find((r) => r.Id === sheet?.rId)?.Target;
  const path = target?.startsWith('/') ? target.slice(1) : `xl/${target}`;
  const sheetNo = /^xl\/worksheets\/sheet(\d+)\.xml$/.exec(path)?.[1];
  const entry = part(path);
  if (!sheet || sheetNo === undefined || !entry)
    return `no sheet ${typeof wanted === 'number' ? `number ${wanted}` : `"${wanted}"`}\nits sheets are ${sheets.map((s) => `"${s.name}"`).join(', ') || 'none'}; set study.data.sheet`;
  const [opened] = [...reader._parseWorksheet(noteMerges(entry.stream(), merges), sheetNo)];
  if (!opened) throw new Error(`its sheet "${sheet.name}" cannot be read`);
  return { name: sheet.name, rows: opened.value, part: entry };
}

/**
 * A sheet's XML passed on unchanged, its merged cells noted in `merges` on the way (exceljs's
 * streaming reader reads the rows and skips the `<mergeCell ref="A1:B1"/>` that follow them).
 */
async function* noteMerges(chunks: AsyncIterable<Buffer>, merges: string[]) {
  let carry = '';
  for await (const chunk of chunks) {
    const text = carry + Buffer.from(chunk).toString('latin1');
    const cut = text.lastIndexOf('<');
    const whole = cut === -1 ? text : text.slice(0, cut);
    if (whole.includes('mergeCell'))
      for (const m of whole.matchAll(MERGE_CELL)) if (m[1]) merges.push(m[1]);
    // an element cut between chunks is looked at again with the next one
    carry = cut === -1 ? '' : text.slice(cut).slice(0, 256);
    yield chunk;
  }
  for (const m of carry.matchAll(MERGE_CELL)) if (m[1]) merges.push(m[1]);
}

/** A merged range of a sheet's XML (with or without a namespace prefix). */
const MERGE_CELL = /<(?:\w+:)?mergeCell\s[^>]*?\bref="([A-Z]+\d+(?::[A-Z]+\d+)?)"/g;

/**
 * The row that most likely names the columns of a sheet: among its first 20 rows, the first
 * that is not part of a merged range and has as many filled cells as the fullest of them
 * (a title row above the header has one cell, often merged across the columns).
 */
export async function guessHeaderRow(
  bytes: Uint8Array,
  file: string,
  sheetWanted: string | number = 1,
): Promise<number> {
  refuseOtherKinds(bytes, file);
  let sheet: Awaited<ReturnType<typeof openSheet>>;
  try {
    sheet = await openSheet(bytes, sheetWanted, []);
  } catch (error) {
    throw new InputError(
      file,
      undefined,
      `not a readable Excel workbook (${firstLine(error)})`,
      'save it again from Excel or LibreOffice as .xlsx',
    );
  }
  if (typeof sheet === 'string') return 1;
  // the first rows, read as the sheet is unzipped; then its merged cells, listed after the rows
  // (the rest of the sheet's XML is only scanned for them, not read as rows)
  const filled: number[] = [];
  try {
    for await (const row of sheet.rows) {
      const r = row.number;
      if (r > 20) break;
      const values = row.values as ExcelJS.CellValue[];
      let n = 0;
      for (let c = 1; c < values.length; c++) if (cellValue(values[c], file, r) !== null) n++;
      while (filled.length < r) filled.push(0);
      filled[r - 1] = n;
    }
  } catch (error) {
    if (error instanceof InputError) throw error;
    return 1;
  }
  const merges: string[] = [];
  for await (const _ of noteMerges(sheet.part.stream(), merges));
  const merged = new Set<number>();
  for (const range of merges) {
    const [from, to] = range.split(':');
    for (let r = rowOf(from); r <= rowOf(to ?? from); r++) merged.add(r);
  }
  const most = Math.max(0, ...filled);
  const row = filled.findIndex((n, i) => n === most && !merged.has(i + 1));
  return row === -1 ? 1 : row + 1;
}

/** Opens a workbook whole (a questionnaire's, which is small), or says in one line what the file is instead. */
export async function loadWorkbook(bytes: Uint8Array, file: string): Promise<ExcelJS.Workbook> {
  refuseOtherKinds(bytes, file);
  const workbook = new (exceljs().Workbook)();
  try {
    await workbook.xlsx.load(
      Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength) as never,
    );
  } catch (error) {
    throw new InputError(
      file,
      undefined,
      `not a readable Excel workbook (${firstLine(error)})`,
      'save it again from Excel or LibreOffice as .xlsx',
    );
  }
  return workbook;
}

/** A file that is not a workbook, or one exceljs cannot open, said in one line. */
function refuseOtherKinds(bytes: Uint8Array, file: string): void {
  const kind = binaryKind(bytes);
  if (kind === 'encrypted-office')
    throw new InputError(
      file,
      undefined,
      'a password-protected workbook',
      'remove its password (in Excel: File › Info › Protect Workbook › Encrypt with Password, empty) and save it again',
    );
  if (kind === 'ole')
    throw new InputError(
      file,
      undefined,
      'an Excel 97–2003 workbook (.xls) or another old Office file, not .xlsx',
      'open it in Excel or LibreOffice and save it as .xlsx',
    );
  if (kind !== 'zip')
    throw new InputError(
      file,
      undefined,
      kind === 'sav' ? 'an SPSS data file, not a workbook' : 'not an Excel workbook (.xlsx)',
      kind === 'sav' ? 'name it data/responses.sav' : 'save it from Excel or LibreOffice as .xlsx',
    );
}

function firstLine(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  return (message.split('\n')[0] ?? message).replace(/\s*:?\s*is this a zip file.*$/i, '');
}

function rowOf(address: string | undefined): number {
  return Number(/\d+$/.exec(address ?? '')?.[0] ?? Number.NaN);
}

/** A cell's typed value: formulas give their result, rich text its plain text. */
export function cellValue(value: ExcelJS.CellValue, file: string, line: number): Cell {
  if (value === null || value === undefined) return null;
  if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean')
    return value;
  if (value instanceof Date) return value;
  if (typeof value === 'object') {
    if ('richText' in value) return value.richText.map((t) => t.text).join('');
    if ('error' in value)
      throw new InputError(
        file,
        line,
        `a cell holds the error ${value.error}`,
        'fix the formula, or replace it by its value',
      );
    if ('formula' in value || 'sharedFormula' in value) {
      const result = (value as { result?: ExcelJS.CellValue }).result;
      return result === undefined ? null : cellValue(result, file, line);
    }
    if ('text' in value) return String((value as { text: unknown }).text);
  }
  return null;
}

function cellText(value: ExcelJS.CellValue, file: string, line: number): string {
  const cell = cellValue(value, file, line);
  return cell === null ? '' : cell instanceof Date ? cell.toISOString() : String(cell);
}
