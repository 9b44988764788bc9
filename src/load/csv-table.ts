import { CsvError, parse } from 'csv-parse/sync';
import { InputError } from '../errors.js';
import { decode } from './decode.js';
import { sniffDelimiter } from './dialect.js';
import type { Table } from './table.js';

/**
 * A CSV file as a table of text cells (any encoding and common delimiter, as the responses
 * reader takes them), for `report init`, which needs the values themselves and not counts.
 */
export function readCsvTable(bytes: Uint8Array, file: string): Table {
  const { text, encoding } = decode(bytes, file);
  if (text.trim() === '')
    throw new InputError(file, 1, 'the file is empty', 'the first row names the columns');
  const delimiter = sniffDelimiter(text);
  let records: { record: string[]; info: { lines: number } }[];
  try {
    records = parse(text, {
      delimiter,
      info: true,
      relax_column_count: true,
      skip_empty_lines: true,
      skip_records_with_empty_values: true,
    }) as unknown as { record: string[]; info: { lines: number } }[];
  } catch (error) {
    if (error instanceof CsvError)
      throw new InputError(
        file,
        (error as CsvError & { lines?: number }).lines,
        `CSV: ${error.message.replace(/^[^:]+:\s*/, '')}`,
      );
    throw error;
  }
  const [header, ...rows] = records;
  if (!header) throw new InputError(file, 1, 'the file is empty');
  return {
    source: `CSV, ${encoding}, delimiter ${delimiter === '\t' ? 'tab' : `"${delimiter}"`}`,
    headerLine: header.info.lines,
    columns: header.record.map((h) => ({ header: h.trim() })),
    rows: rows.map((r) => ({
      line: r.info.lines,
      cells: header.record.map((_, i) => r.record[i] ?? ''),
    })),
  };
}
