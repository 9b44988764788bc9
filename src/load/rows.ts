import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import { InputError, readError } from '../errors.js';
import type { Claim } from './claims.js';
import { type Codebook, categories, type Question } from './codebook.js';
import { decode } from './decode.js';
import { sniffDelimiter } from './dialect.js';
import { csvRecords, readWeight, recordCoder, tableWeightColumn, weightColumn } from './records.js';
import { type CsvDialect, parseResponses } from './responses.js';
import { openTable, readBytes } from './responses-file.js';
import { fileChunks } from './stream.js';
import { type Cell, cellText } from './table.js';
import { TableReader } from './table-tally.js';

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

/** The weight column of a CSV file in memory, for `readRows`. */
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
  const index = weightColumn(header?.record ?? [], path, header?.info.lines ?? 1, column);
  return data.map(({ record, info }) =>
    readWeight(record[index] ?? '', column, path, info.lines, config.decimal),
  );
}

/**
 * The answers row by row, streamed from a responses file the loader has read (a CSV in the
 * dialect it found, a workbook, or an SPSS file case by case), with the weights. What is held is
 * what crosstabs and subgroups need and no more: per question with options, one reference per
 * respondent to its answer's code (the codes are shared strings, a few per question, however
 * many rows), the ids, and the weights as numbers. The file's text and its records are not held.
 */
export async function loadRows(
  root: string,
  path: string,
  codebook: Codebook,
  dialect: Pick<CsvDialect, 'encoding' | 'delimiter'>,
): Promise<StudyRows> {
  const questions = codebook.questions.filter((q) => q.options.length > 0);
  const column = codebook.study.data.weight;
  const decimal = codebook.study.data.decimal;
  const ids: string[] = [];
  const answers: (string | null)[][] = questions.map(() => []);
  const weights: number[] = [];
  const numbered = codebook.study.data.respondent_id === null;
  const add = (id: string, codes: readonly (string | null)[]) => {
    ids.push(numbered ? String(ids.length + 1) : id);
    codes.forEach((code, i) => {
      (answers[i] as (string | null)[]).push(code);
    });
  };
  if (path.endsWith('.csv')) {
    let coder: ReturnType<typeof recordCoder> | undefined;
    let weightAt = -1;
    for await (const { record, info } of csvRecords(fileChunks(root, path), dialect)) {
      if (!coder) {
        coder = recordCoder(record, path, codebook, questions);
        if (column) weightAt = weightColumn(record, path, info.lines, column);
        continue;
      }
      add(coder.id(record), coder.codes(record));
      if (column)
        weights.push(readWeight(record[weightAt] ?? '', column, path, info.lines, decimal));
    }
  } else {
    const kind = path.endsWith('.sav') ? 'sav' : 'xlsx';
    // a workbook row by row, an SPSS file case by case: neither is held whole
    const { head, rows } = await openTable(await readBytes(root, path), path, kind, codebook);
    const cases = rows();
    const reader = new TableReader(head, path, codebook);
    const at = questions.map((q) => codebook.questions.indexOf(q));
    const weightAt = tableWeightColumn(head, path, column);
    const codes = questions.map(() => new Map<string, string>());
    for await (const row of cases) {
      const read = reader.row(row);
      add(
        read.id,
        at.map((index, i) => {
          const answer = read.answers[index] ?? null;
          if (answer === null) return null;
          const q = questions[i] as Question;
          // a labelled missing category by its code, as a CSV's rows give it
          const code =
            typeof answer === 'number' && q.type !== 'numeric'
              ? categories(q)[answer]?.code
              : String(answer);
          if (code === undefined) return null;
          // one string per distinct answer, however many rows give it
          const seen = codes[i] as Map<string, string>;
          const shared = seen.get(code);
          if (shared !== undefined) return shared;
          if (seen.size < 10_000) seen.set(code, code);
          return code;
        }),
      );
      if (column)
        weights.push(
          readWeight(tableWeight(row.cells[weightAt] ?? null), column, path, row.line, decimal),
        );
    }
  }
  const rows: StudyRows = {
    ids,
    answers: Object.fromEntries(questions.map((q, i) => [q.id, answers[i] as (string | null)[]])),
  };
  if (column) rows.weights = weights;
  return rows;
}

/** A workbook's or SPSS file's weight cell: a number as stored, text as written, else nothing. */
const tableWeight = (cell: Cell): string | number | null =>
  typeof cell === 'number' || typeof cell === 'string'
    ? cell
    : cell === null
      ? null
      : cellText(cell);

/** `readRows` on first use, once. */
export function lazyRows(root: string, path: string, codebook: Codebook): () => StudyRows {
  let rows: StudyRows | undefined;
  return () => {
    rows ??= readRows(root, path, codebook);
    return rows;
  };
}

/**
 * Whether a study needs its answers row by row: weighted, or with claims about subgroups or
 * tests, or templates that cross-tabulate or select a subgroup (`by=`, `where=`). Such a study's
 * rows are streamed once, before anything asks for them (see `studyRows`).
 */
export function needsRows(
  codebook: Codebook,
  claims: readonly Claim[],
  templates: readonly string[] = [],
): boolean {
  return (
    codebook.study.data.weight !== undefined ||
    claims.some((c) => c.kind === 'test' || (c.kind === 'share' && c.where !== undefined)) ||
    templates.some((t) => /\b(?:by|where)\s*=/.test(t))
  );
}

/**
 * The answers row by row, as helpers and verify ask for them: streamed now when the study needs
 * them (`needed`, see needsRows), else read from a CSV file on first use, if ever.
 */
export async function studyRows(
  root: string,
  path: string,
  codebook: Codebook,
  dialect: Pick<CsvDialect, 'encoding' | 'delimiter'>,
  needed: boolean,
): Promise<() => StudyRows> {
  if (!needed) return lazyRows(root, path, codebook);
  const rows = await loadRows(root, path, codebook, dialect);
  return () => rows;
}
