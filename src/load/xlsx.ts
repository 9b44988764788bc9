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

/**
 * Reads one sheet of an Excel workbook (.xlsx) with exceljs, whole: cells keep their types
 * (numbers, dates, text), formulas give their results, merged header cells are refused.
 */
export async function readWorkbook(
  bytes: Uint8Array,
  file: string,
  options: WorkbookOptions = {},
): Promise<Table> {
  const workbook = await loadWorkbook(bytes, file);
  const sheets = workbook.worksheets;
  const wanted = options.sheet ?? 1;
  const sheet =
    typeof wanted === 'number' ? sheets[wanted - 1] : sheets.find((s) => s.name === wanted);
  if (!sheet)
    throw new InputError(
      file,
      undefined,
      `no sheet ${typeof wanted === 'number' ? `number ${wanted}` : `"${wanted}"`}`,
      `its sheets are ${sheets.map((s) => `"${s.name}"`).join(', ') || 'none'}; set study.data.sheet`,
    );
  const headerLine = options.headerRow ?? 1;
  const headerRow = sheet.getRow(headerLine);
  for (const range of sheet.model.merges ?? []) {
    const [from, to] = String(range).split(':');
    const top = rowOf(from);
    const bottom = rowOf(to ?? from);
    if (top <= headerLine && headerLine <= bottom)
      throw new InputError(
        file,
        headerLine,
        `merged header cells ${range} in sheet "${sheet.name}"`,
        'unmerge them so that each column has its own header, or set study.data.header_row to the row that does',
      );
  }
  const width = Math.max(sheet.columnCount, 0);
  const header: string[] = [];
  for (let c = 1; c <= width; c++)
    header.push(cellText(headerRow.getCell(c).value, file, headerLine));
  while (header.length > 0 && header[header.length - 1]?.trim() === '') header.pop();
  if (header.length === 0)
    throw new InputError(
      file,
      headerLine,
      `sheet "${sheet.name}" has no header on row ${headerLine}`,
      'the header row names the columns; set study.data.header_row if a title stands above it',
    );
  const rows: Table['rows'] = [];
  for (let r = headerLine + 1; r <= sheet.rowCount; r++) {
    const row = sheet.getRow(r);
    const cells: Cell[] = [];
    let any = false;
    for (let c = 1; c <= header.length; c++) {
      const cell = cellValue(row.getCell(c).value, file, r);
      if (cell !== null && !(typeof cell === 'string' && cell.trim() === '')) any = true;
      cells.push(cell);
    }
    // values beyond the header's last column are data without a header
    for (let c = header.length + 1; c <= width; c++) {
      const extra = cellValue(row.getCell(c).value, file, r);
      if (extra !== null && String(extra).trim() !== '')
        throw new InputError(
          file,
          r,
          `a value in column ${c} of sheet "${sheet.name}", which has no header`,
          'name the column on the header row, or delete the value',
        );
    }
    if (any) rows.push({ line: r, cells });
  }
  return {
    source: `sheet "${sheet.name}", header on row ${headerLine}`,
    headerLine,
    columns: header.map((h) => ({ header: h })),
    rows,
  };
}

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
  const workbook = await loadWorkbook(bytes, file);
  const sheet =
    typeof sheetWanted === 'number'
      ? workbook.worksheets[sheetWanted - 1]
      : workbook.worksheets.find((s) => s.name === sheetWanted);
  if (!sheet) return 1;
  const merged = new Set<number>();
  for (const range of sheet.model.merges ?? []) {
    const [from, to] = String(range).split(':');
    for (let r = rowOf(from); r <= rowOf(to ?? from); r++) merged.add(r);
  }
  const last = Math.min(sheet.rowCount, 20);
  const filled: number[] = [];
  for (let r = 1; r <= last; r++) {
    let n = 0;
    sheet.getRow(r).eachCell((cell) => {
      if (cellValue(cell.value, file, r) !== null) n++;
    });
    filled.push(n);
  }
  const most = Math.max(0, ...filled);
  const row = filled.findIndex((n, i) => n === most && !merged.has(i + 1));
  return row === -1 ? 1 : row + 1;
}

/** Opens a workbook, or says in one line what the file is instead. */
export async function loadWorkbook(bytes: Uint8Array, file: string): Promise<ExcelJS.Workbook> {
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
  // exceljs is loaded when a workbook is read, not when every command starts
  const { default: Excel } = await import('exceljs');
  const workbook = new Excel.Workbook();
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
