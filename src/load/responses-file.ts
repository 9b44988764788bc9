import { readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { InputError, readError } from '../errors.js';
import type { Codebook } from './codebook.js';
import type { CsvDialect } from './responses.js';
import { openSav } from './sav.js';
import type { Table } from './table.js';
import { tallyRows } from './table-tally.js';
import type { Tally } from './tally.js';
import { openWorkbook } from './xlsx.js';

export type ResponsesKind = 'csv' | 'xlsx' | 'sav';

/** The responses file a study may hold: exactly one of them. */
export const RESPONSES_FILES: Record<ResponsesKind, string> = {
  csv: 'data/responses.csv',
  xlsx: 'data/responses.xlsx',
  sav: 'data/responses.sav',
};

/** The study's one responses file; none or two is an error naming them. */
export async function findResponses(root: string): Promise<{ path: string; kind: ResponsesKind }> {
  const found: { path: string; kind: ResponsesKind }[] = [];
  for (const [kind, path] of Object.entries(RESPONSES_FILES) as [ResponsesKind, string][]) {
    try {
      await stat(join(root, path));
      found.push({ path, kind });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw readError(error, path, root);
    }
  }
  const [first, second] = found;
  if (!first)
    throw new InputError(
      RESPONSES_FILES.csv,
      undefined,
      'file not found',
      `looked in ${root}; the responses may also be data/responses.xlsx or data/responses.sav`,
    );
  if (second)
    throw new InputError(
      second.path,
      undefined,
      `a second responses file beside ${first.path}`,
      'a study reads exactly one responses file: keep one of them',
    );
  return first;
}

/**
 * Opens a workbook (row by row, the sheet and header row the codebook names) or an SPSS file
 * (case by case): its head at once, its rows as they are read, none of them held.
 */
export async function openTable(
  bytes: Uint8Array,
  file: string,
  kind: Exclude<ResponsesKind, 'csv'>,
  codebook: Codebook,
): Promise<{ head: Omit<Table, 'rows'>; rows: () => AsyncGenerator<Table['rows'][number]> }> {
  const data = codebook.study.data;
  return kind === 'sav'
    ? openSav(bytes, file)
    : openWorkbook(bytes, file, { sheet: data.sheet, headerRow: data.header_row });
}

/** Counts a workbook's responses (row by row) or an SPSS file's (case by case): only the counts are kept. */
export async function tallyTableFile(
  bytes: Uint8Array,
  file: string,
  kind: Exclude<ResponsesKind, 'csv'>,
  codebook: Codebook,
): Promise<{ tally: Tally; dialect: CsvDialect }> {
  const { head, rows } = await openTable(bytes, file, kind, codebook);
  const result = await tallyRows(head, rows(), file, codebook);
  result.dialect.file = file;
  return result;
}

/** The bytes of a responses file. */
export async function readBytes(root: string, path: string): Promise<Uint8Array> {
  try {
    return await readFile(join(root, path));
  } catch (error) {
    throw readError(error, path, root);
  }
}
