import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import { InputError, readError } from '../errors.js';
import { type Codebook, normalizeSpelling } from './codebook.js';
import { decode } from './decode.js';
import { sniffDelimiter } from './dialect.js';
import { parseResponses } from './responses.js';

/** The answers row by row, with each respondent's weight when the study is weighted. */
export interface StudyRows {
  ids: string[];
  answers: Record<string, (string | null)[]>;
  weights?: number[];
}

/**
 * Reads a CSV responses file row by row (crosstabs and subgroups need the answers of one
 * respondent together, which the counting reader does not keep), and the weight column
 * (`study.data.weight`): a weight that is missing, zero, negative or not a number is bad input.
 */
export function readRows(root: string, path: string, codebook: Codebook): StudyRows {
  if (!path.endsWith('.csv'))
    throw new InputError(
      path,
      undefined,
      'cross-tabulations, subgroups and weights read a CSV responses file',
      'export the responses as data/responses.csv',
    );
  let bytes: Uint8Array;
  try {
    bytes = readFileSync(join(root, path));
  } catch (error) {
    throw readError(error, path, root);
  }
  const responses = parseResponses(bytes, path, codebook);
  const rows: StudyRows = { ids: responses.ids, answers: responses.answers };
  const column = codebook.study.data.weight;
  if (column) rows.weights = readWeights(bytes, path, codebook, column);
  return rows;
}

function readWeights(
  bytes: Uint8Array,
  path: string,
  codebook: Codebook,
  column: string,
): number[] {
  const config = codebook.study.data;
  const { text } = decode(bytes, path, config.csv?.encoding);
  const delimiter = config.csv?.delimiter ?? sniffDelimiter(text);
  const records = parse(text.replace(/^\uFEFF/, ''), {
    delimiter,
    info: true,
    relax_column_count: true,
    skip_empty_lines: true,
    skip_records_with_empty_values: true,
  }) as unknown as { record: string[]; info: { lines: number } }[];
  const [header, ...data] = records;
  const index = (header?.record ?? []).findIndex(
    (h) => normalizeSpelling(h) === normalizeSpelling(column),
  );
  if (index < 0)
    throw new InputError(
      path,
      header?.info.lines ?? 1,
      `no weight column "${column}" (study.data.weight)`,
      `the columns are ${(header?.record ?? []).join(', ')}`,
    );
  const decimal = config.decimal;
  return data.map(({ record, info }) => {
    const raw = (record[index] ?? '').trim();
    const value = Number(decimal === ',' ? raw.replace(',', '.') : raw);
    if (raw === '')
      throw new InputError(
        path,
        info.lines,
        `missing weight in column "${column}"`,
        'every respondent needs a weight',
      );
    if (!Number.isFinite(value) || !/^[+]?[\d.,eE+-]+$/.test(raw))
      throw new InputError(path, info.lines, `weight "${raw}" is not a number`);
    if (value <= 0)
      throw new InputError(
        path,
        info.lines,
        `weight ${raw} is ${value === 0 ? 'zero' : 'negative'}`,
        'a weight is a positive number (drop the respondent to leave them out)',
      );
    return value;
  });
}

/** `readRows` on first use, once. */
export function lazyRows(root: string, path: string, codebook: Codebook): () => StudyRows {
  let rows: StudyRows | undefined;
  return () => {
    rows ??= readRows(root, path, codebook);
    return rows;
  };
}
