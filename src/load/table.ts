/**
 * Responses from a workbook or an SPSS file: typed cells by column, one row per respondent
 * (read row by row, or whole). They are counted by `tallyRows` or `tallyTable` through the same
 * column and option matching as a CSV file, and `report init` drafts a codebook from a summary of
 * them (`summarizeRows`).
 */

/** A cell as the file stores it: text, a number, a date, a truth value, or nothing. */
export type Cell = string | number | boolean | Date | null;

export interface TableColumn {
  /** The header (a workbook's header cell, an SPSS variable's name). */
  header: string;
  /** An SPSS variable label: the question's wording. */
  label?: string;
  /** SPSS value labels, by the value's text (`cellText`). */
  valueLabels?: Map<string, string>;
  /** SPSS user-missing values (by `cellText`): answers that count as no answer. */
  userMissing?: (value: number) => boolean;
  /** An SPSS variable's measurement level, when the file records it. */
  level?: 'nominal' | 'ordinal' | 'scale';
  /** How the file stores the column. */
  storage?: 'numeric' | 'string';
}

export interface Table {
  /** What was read, for `report check`: e.g. `sheet "Respuestas", header on row 2`. */
  source: string;
  /** The header's line (a workbook's row number; 1 for SPSS, whose variables stand before the cases). */
  headerLine: number;
  columns: TableColumn[];
  /** Each respondent's cells, in column order, with the line (row or case number) that holds them. */
  rows: { line: number; cells: Cell[] }[];
}

/** The text of a cell as a responses CSV would hold it: numbers as JavaScript prints them, dates as ISO 8601. */
export function cellText(cell: Cell): string {
  if (cell === null) return '';
  if (cell instanceof Date) {
    const iso = cell.toISOString();
    return iso.endsWith('T00:00:00.000Z') ? iso.slice(0, 10) : iso.replace(/\.000Z$/, 'Z');
  }
  if (typeof cell === 'number') return Number.isFinite(cell) ? String(cell) : '';
  return String(cell);
}

/** Whether a cell of a column is no answer: empty, or an SPSS user-missing value. */
export function isBlank(cell: Cell, column?: TableColumn): boolean {
  if (cell === null) return true;
  if (typeof cell === 'string') return cell.trim() === '';
  if (typeof cell === 'number')
    return !Number.isFinite(cell) || Boolean(column?.userMissing?.(cell));
  return false;
}
