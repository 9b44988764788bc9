import { Readable, Transform, type TransformCallback } from 'node:stream';
import { parse } from 'csv-parse';
import iconv from 'iconv-lite';
import { InputError } from '../errors.js';
import { cellReader, choicesKey, dichotomy, isProblem } from './answers.js';
import { type Codebook, categories, normalizeSpelling, type Question } from './codebook.js';
import { type CsvDialect, MAX_RECORD_BYTES, mapColumns } from './responses.js';

/** Line ends as the loader reads them: \r\n and a lone \r become \n, across chunk boundaries. */
export class LineEnds extends Transform {
  private carriage = false;
  constructor() {
    super({ decodeStrings: false, encoding: 'utf8' });
  }
  override _transform(chunk: string, _encoding: BufferEncoding, done: TransformCallback): void {
    let text = (this.carriage ? '\r' : '') + chunk;
    this.carriage = text.endsWith('\r');
    if (this.carriage) text = text.slice(0, -1);
    done(null, text.replace(/\r\n?/g, '\n'));
  }
  override _flush(done: TransformCallback): void {
    done(null, this.carriage ? '\n' : '');
  }
}

/**
 * The records of a CSV file the loader has read (in the dialect it found), streamed: csv-parse
 * over the decoded text, each record with the last line it ends on. It adds no checks.
 */
export function csvRecords(
  source: Iterable<Uint8Array> | AsyncIterable<Uint8Array>,
  dialect: Pick<CsvDialect, 'encoding' | 'delimiter'>,
): AsyncIterable<{ record: string[]; info: { lines: number } }> {
  const parser = parse({
    delimiter: dialect.delimiter,
    bom: true,
    info: true,
    relax_column_count: true,
    skip_empty_lines: true,
    skip_records_with_empty_values: true,
    max_record_size: MAX_RECORD_BYTES,
  });
  const bytes = Readable.from(source);
  const text = bytes.pipe(iconv.decodeStream(dialect.encoding));
  const lines = text.pipe(new LineEnds());
  // an error reading the file (or decoding it) ends the records with it
  for (const stream of [bytes, text, lines]) stream.on('error', (error) => parser.destroy(error));
  lines.pipe(parser);
  return parser as AsyncIterable<{ record: string[]; info: { lines: number } }>;
}

/**
 * Reads the records of a responses file, given its header, as the published responses are
 * written: each question's answer as its option code (a multiple question's codes separated by
 * a space, from one cell or from 0/1 columns), a number as read (with a decimal point), null for
 * no answer. The file must be one the loader read: a cell it cannot read is our bug.
 */
export function recordCoder(
  header: readonly string[],
  file: string,
  codebook: Codebook,
  questions: readonly Question[],
): {
  id: (record: readonly string[]) => string;
  codes: (record: readonly string[]) => (string | null)[];
} {
  const map = mapColumns(header, file, 1, codebook, () => true);
  const columns = questions.map((q) => ({
    question: q,
    at: map.questionColumn.get(q.id) as number,
    options: map.optionColumns.get(q.id),
    read: cellReader(q, codebook),
    seen: new Map<string, string | null>(),
  }));
  let numbered = 0;
  return {
    id: (record) => (record[map.idIndex] ?? '').trim(),
    codes(record) {
      numbered++;
      const misread = (question: string, cell: string): never => {
        throw new Error(
          `${file}: row ${numbered}: "${cell}" is no answer to "${question}", though the loader read it`,
        );
      };
      return columns.map(({ question, at, options, read, seen }) => {
        if (options) {
          const chosen: number[] = [];
          let answered = false;
          options.forEach((column, option) => {
            const value = dichotomy(record[column] ?? '', '');
            if (isProblem(value)) misread(question.id, record[column] ?? '');
            if (value !== null) answered = true;
            if (value === true) chosen.push(option);
          });
          const key = choicesKey(question, chosen);
          if (isProblem(key)) misread(question.id, chosen.join(' '));
          return answered ? (key as string) : null;
        }
        const cell = record[at] ?? '';
        let code = seen.get(cell);
        if (code === undefined) {
          const answer = read(cell);
          if (isProblem(answer)) misread(question.id, cell);
          code =
            answer === null
              ? null
              : typeof answer === 'number'
                ? (categories(question)[answer]?.code as string)
                : (answer as string);
          // the spellings met, so that a million rows hold a few strings, not a million
          if (seen.size < 10_000) seen.set(cell, code);
        }
        return code;
      });
    },
  };
}

/** The column of a header holding the study's weights (study.data.weight); an error when there is none. */
export function weightColumn(
  header: readonly string[],
  file: string,
  line: number,
  column: string,
): number {
  const index = header.findIndex((h) => normalizeSpelling(h) === normalizeSpelling(column));
  if (index < 0)
    throw new InputError(
      file,
      line,
      `no weight column "${column}" (study.data.weight)`,
      `the columns are ${header.join(', ')}`,
    );
  return index;
}

/** The weight column of a workbook's or SPSS file's head; -1 when the study is not weighted. */
export function tableWeightColumn(
  head: { columns: readonly { header: string }[]; headerLine: number },
  file: string,
  column: string | undefined,
): number {
  return column
    ? weightColumn(
        head.columns.map((c) => c.header),
        file,
        head.headerLine,
        column,
      )
    : -1;
}

/**
 * A respondent's weight as a cell holds it: a number (a decimal comma where the study writes
 * one), positive. Missing, zero, negative or not a number is bad input at its line.
 */
export function readWeight(
  cell: string | number | null,
  column: string,
  file: string,
  line: number,
  decimal: string | undefined,
): number {
  if (typeof cell === 'number') {
    if (!Number.isFinite(cell))
      throw new InputError(
        file,
        line,
        `missing weight in column "${column}"`,
        'every respondent needs a weight',
      );
    return positive(cell, String(cell), file, line);
  }
  const raw = (cell ?? '').trim();
  if (raw === '')
    throw new InputError(
      file,
      line,
      `missing weight in column "${column}"`,
      'every respondent needs a weight',
    );
  const value = Number(decimal === ',' ? raw.replace(',', '.') : raw);
  if (!Number.isFinite(value) || !/^[+]?[\d.,eE+-]+$/.test(raw))
    throw new InputError(file, line, `weight "${raw}" is not a number`);
  return positive(value, raw, file, line);
}

function positive(value: number, raw: string, file: string, line: number): number {
  if (value <= 0)
    throw new InputError(
      file,
      line,
      `weight ${raw} is ${value === 0 ? 'zero' : 'negative'}`,
      'a weight is a positive number (drop the respondent to leave them out)',
    );
  return value;
}
