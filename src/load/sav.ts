import { createRequire } from 'node:module';
import { InputError } from '../errors.js';
import { measurementLevels } from './sav-levels.js';
import { binaryKind } from './sniff.js';
import { type Cell, cellText, type Table, type TableColumn } from './table.js';

/** sav-reader is CommonJS only (its package exports no ESM entry); loaded when a .sav is read. */
const savReader = () =>
  createRequire(import.meta.url)('sav-reader') as {
    SavBufferReader: new (
      buffer: Buffer,
    ) => {
      open(): Promise<void>;
      readNextRow(): Promise<unknown>;
      meta: {
        header: unknown;
        sysvars: unknown[];
        getValueLabels(name: string): unknown;
      };
    };
  };

/** SPSS's system-missing value, as an uncompressed file stores it (-DBL_MAX). */
const SYSMIS = -Number.MAX_VALUE;

interface SavVariable {
  name: string;
  type: number;
  label: string | null;
  __shortName?: string;
  missing: number | number[] | { min: number; max: number; value?: number } | null;
}

/** An SPSS file opened: its variables as columns, and its cases read one at a time. */
export interface OpenedSav {
  head: Omit<Table, 'rows'>;
  /** The cases in file order; a damaged or truncated file is an error naming why. */
  rows(): AsyncGenerator<Table['rows'][number]>;
}

/**
 * Reads an SPSS system file (.sav, as SPSS or PSPP write it) with sav-reader, whole:
 * variable labels, value labels, user-missing values, numeric and string variables.
 * ZLIB-compressed files and files in an encoding other than UTF-8 are refused, naming why.
 */
export async function readSav(bytes: Uint8Array, file: string): Promise<Table> {
  const { head, rows } = await openSav(bytes, file);
  const all: Table['rows'] = [];
  for await (const row of rows()) all.push(row);
  return { ...head, rows: all };
}

/**
 * Opens an SPSS system file with sav-reader: its dictionary read, its cases left to read one at
 * a time (`rows`), so that they are counted without being held.
 */
export async function openSav(bytes: Uint8Array, file: string): Promise<OpenedSav> {
  const kind = binaryKind(bytes);
  if (kind !== 'sav')
    throw new InputError(
      file,
      undefined,
      kind === 'zip' || kind === 'encrypted-office' || kind === 'ole'
        ? 'an Office file (a workbook?), not an SPSS data file'
        : 'not an SPSS data file (it does not start with "$FL2")',
      kind === 'zip' ? 'name a workbook data/responses.xlsx' : 'save it from SPSS or PSPP as .sav',
    );
  if (Buffer.from(bytes.subarray(0, 4)).toString('latin1') === '$FL3')
    throw new InputError(
      file,
      undefined,
      'a ZLIB-compressed SPSS file, which the SPSS reader (sav-reader) cannot read',
      'save it again uncompressed or with standard compression: SAVE OUTFILE=… /COMPRESSED (SPSS: uncheck "ZSAV")',
    );
  const reader = new (savReader().SavBufferReader)(
    Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength),
  );
  const damaged = (error: unknown) =>
    new InputError(
      file,
      undefined,
      `a damaged or truncated SPSS file${reason(error)}`,
      'save it again from SPSS or PSPP',
    );
  try {
    await reader.open();
  } catch (error) {
    throw damaged(error);
  }
  const meta = reader.meta;
  const header = meta.header as { n_cases?: number; encoding?: string; product?: string };
  const expected = header.n_cases;
  const encoding = header.encoding ?? '';
  if (encoding !== '' && !/^utf-?8$/i.test(encoding))
    throw new InputError(
      file,
      undefined,
      `an SPSS file in the ${encoding} encoding; the SPSS reader (sav-reader) reads UTF-8 only`,
      'save it again in Unicode mode (SPSS: SET UNICODE=ON before SAVE; PSPP writes UTF-8)',
    );
  const variables = meta.sysvars as unknown as SavVariable[];
  const levels = measurementLevels(bytes);
  const columns: TableColumn[] = variables.map((v) => {
    const numeric = v.type === 0;
    const labels = meta.getValueLabels(v.name) as { val: unknown; label: string }[] | undefined;
    const valueLabels = new Map<string, string>();
    for (const { val, label } of labels ?? []) {
      const key = typeof val === 'string' ? val.trim() : cellText(val as Cell);
      if (key !== '' && label.trim() !== '') valueLabels.set(key, label.trim());
    }
    return {
      header: v.name,
      label: v.label?.trim() || undefined,
      valueLabels: valueLabels.size > 0 ? valueLabels : undefined,
      userMissing: numeric ? userMissing(v.missing) : undefined,
      storage: numeric ? 'numeric' : 'string',
      level: levels.get(v.__shortName ?? v.name) ?? levels.get(v.name),
    };
  });
  const products = /GNU pspp/i.test(header.product ?? '') ? 'PSPP' : 'SPSS';
  async function* rows(): AsyncGenerator<Table['rows'][number]> {
    let line = 0;
    for (;;) {
      let row: Record<string, unknown> | null;
      try {
        row = (await reader.readNextRow()) as Record<string, unknown> | null;
      } catch (error) {
        throw damaged(error);
      }
      if (row === null || row === undefined) break;
      line++;
      yield {
        line,
        cells: variables.map((v) => {
          const value = row[v.name];
          if (value === undefined || value === null) return null;
          if (typeof value === 'number')
            return value <= SYSMIS || Number.isNaN(value) ? null : value;
          return String(value).trimEnd();
        }),
      };
    }
    if (typeof expected === 'number' && expected >= 0 && line !== expected)
      throw new InputError(
        file,
        undefined,
        `a truncated SPSS file: it declares ${expected} cases and holds ${line}`,
        'save it again from SPSS or PSPP',
      );
  }
  return {
    head: {
      source: `SPSS system file written by ${products}, ${columns.length} variables, ${header.encoding ?? 'no declared'} encoding`,
      headerLine: 1,
      columns,
    },
    rows,
  };
}

function reason(error: unknown): string {
  const message = error instanceof Error ? error.message : error ? String(error) : '';
  return message ? ` (${message.split('\n')[0]})` : ' (it ends before its last case)';
}

/** The test of a numeric variable's user-missing values: discrete values, a range, or both. */
function userMissing(spec: SavVariable['missing']): ((value: number) => boolean) | undefined {
  if (spec === null || spec === undefined) return undefined;
  if (typeof spec === 'number') return (v) => v === spec;
  if (Array.isArray(spec)) return (v) => spec.includes(v);
  const { min, max, value } = spec;
  return (v) => (v >= min && v <= max) || v === value;
}
