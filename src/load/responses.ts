import { CsvError, parse } from 'csv-parse/sync';
import { InputError } from '../errors.js';
import type { Codebook } from './codebook.js';

/** The answers, column by column: one array of option codes (null = no answer) per question. */
export interface Responses {
  ids: string[];
  answers: Record<string, (string | null)[]>;
}

/** Parses a responses CSV (one row per respondent, one column per question holding option codes). */
export function parseResponses(text: string, file: string, codebook: Codebook): Responses {
  let rows: { record: string[]; info: { lines: number } }[];
  try {
    rows = parse(text, {
      bom: true,
      info: true,
      relax_column_count: true,
      skip_empty_lines: true,
      trim: true,
    }) as unknown as { record: string[]; info: { lines: number } }[];
  } catch (error) {
    if (error instanceof CsvError) throw csvError(error, file);
    throw error;
  }
  const header = rows[0];
  if (!header)
    throw new InputError(file, 1, 'the file is empty', 'the first row names the columns');
  const idColumn = codebook.study.data.respondent_id;
  const names = header.record;
  const expected = [idColumn, ...codebook.questions.map((q) => q.id)];
  const position = new Map<string, number>();
  names.forEach((name, i) => {
    if (position.has(name))
      throw new InputError(file, header.info.lines, `column "${name}" appears twice`);
    if (!expected.includes(name))
      throw new InputError(
        file,
        header.info.lines,
        `unknown column "${name}"`,
        `expected columns: ${expected.join(', ')}`,
      );
    position.set(name, i);
  });
  for (const name of expected) {
    if (!position.has(name))
      throw new InputError(
        file,
        header.info.lines,
        `missing column "${name}"`,
        `expected columns: ${expected.join(', ')}`,
      );
  }
  if (rows.length === 1)
    throw new InputError(file, header.info.lines, 'the file has a header but no responses');

  const ids: string[] = [];
  const seenIds = new Map<string, number>();
  const answers: Record<string, (string | null)[]> = {};
  const codes = new Map<string, Set<string>>();
  for (const q of codebook.questions) {
    answers[q.id] = [];
    codes.set(q.id, new Set(q.options.map((o) => o.code)));
  }
  const idIndex = position.get(idColumn) ?? 0;
  for (const { record, info } of rows.slice(1)) {
    if (record.length !== names.length)
      throw new InputError(
        file,
        info.lines,
        `this row has ${record.length} fields, the header has ${names.length}`,
        'every row needs one value per column; quote values that contain the delimiter',
      );
    const id = record[idIndex] ?? '';
    if (id === '')
      throw new InputError(file, info.lines, `empty respondent id in column "${idColumn}"`);
    const earlier = seenIds.get(id);
    if (earlier !== undefined)
      throw new InputError(
        file,
        info.lines,
        `duplicate respondent id "${id}"`,
        `first used on line ${earlier}`,
      );
    seenIds.set(id, info.lines);
    ids.push(id);
    for (const q of codebook.questions) {
      const value = record[position.get(q.id) ?? -1] ?? '';
      if (value === '') {
        answers[q.id]?.push(null);
        continue;
      }
      if (!codes.get(q.id)?.has(value)) {
        throw new InputError(
          file,
          info.lines,
          `unknown option "${value}" in column "${q.id}"`,
          `its options are ${q.options.map((o) => o.code).join(', ')}; leave the cell empty for no answer`,
        );
      }
      answers[q.id]?.push(value);
    }
  }
  return { ids, answers };
}

function csvError(error: CsvError, file: string): InputError {
  const line = (error as CsvError & { lines?: number }).lines;
  const problem = error.message
    .replace(/^[^:]+:\s*/, '')
    .replace(/\s*at line \d+\.?$/i, '')
    .replace(/\s*on line \d+\.?$/i, '');
  return new InputError(file, line, `CSV: ${problem}`);
}
