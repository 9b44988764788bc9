import { Readable, Transform, type TransformCallback, Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { parse } from 'csv-parse';
import { stringify } from 'csv-stringify';
import iconv from 'iconv-lite';
import { cellReader, choicesKey, dichotomy, isProblem } from '../load/answers.js';
import { type Codebook, categories } from '../load/codebook.js';
import { type CsvDialect, MAX_RECORD_BYTES, mapColumns } from '../load/responses.js';

/** Line ends as the loader reads them: \r\n and a lone \r become \n, across chunk boundaries. */
class LineEnds extends Transform {
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
 * The responses as published in out/data/responses.csv: generated, never copied. One row per
 * respondent, in the order read: the respondent id (none when the study numbers its rows) and
 * one column per question of the codebook, each answer as its option code (a multiple question's
 * codes separated by a space, whether read from one cell or from one 0/1 column per option; a
 * number as read; an open answer only where the question says `publish: true`, else no column),
 * empty for no answer.
 * Nothing else the source file holds is published: columns the loader skipped (export
 * metadata such as a phone number or a user name, `ignore_columns`), other spellings of the
 * answers, the encoding and the delimiter of the export.
 *
 * The source is streamed through the same dialect the loader found (csv-parse and
 * csv-stringify streams), so a file of millions of rows is never held as rows. It must be a
 * file the loader read without error: this adds no checks of its own.
 */
export async function publishedResponses(
  source: Iterable<Uint8Array> | AsyncIterable<Uint8Array>,
  file: string,
  codebook: Codebook,
  dialect: Pick<CsvDialect, 'encoding' | 'delimiter'>,
): Promise<Buffer> {
  const idColumn = codebook.study.data.respondent_id;
  // numbers are written with the study's decimal mark, so the codebook reads them back
  const comma = codebook.study.data.decimal === ',';
  // open answers are published only where the codebook says so: they may identify people
  const shown = codebook.questions.filter((q) => q.type !== 'text' || q.publish === true);
  const spellings = shown.map((q) => ({
    question: q,
    read: cellReader(q, codebook),
    seen: new Map<string, string>(),
  }));
  let columns: { id: number; questions: number[]; options: (number[] | undefined)[] } | undefined;
  let numbered = 0;
  const toRow = new Transform({
    objectMode: true,
    transform(record: string[], _encoding, done) {
      if (!columns) {
        const map = mapColumns(record, file, 1, codebook, () => true);
        columns = {
          id: map.idIndex,
          questions: shown.map((q) => map.questionColumn.get(q.id) as number),
          options: shown.map((q) => map.optionColumns.get(q.id)),
        };
        done(null, [...(idColumn === null ? [] : [idColumn]), ...shown.map((q) => q.id)]);
        return;
      }
      numbered++;
      const row: string[] = [];
      if (idColumn !== null) row.push((record[columns.id] ?? '').trim());
      const misread: (question: string, cell: string) => never = (question, cell) => {
        throw new Error(
          `${file}: row ${numbered}: "${cell}" is no answer to "${question}", though the loader read it`,
        );
      };
      columns.questions.forEach((at, i) => {
        const { question, read, seen } = spellings[i] as (typeof spellings)[number];
        const dichotomies = columns?.options[i];
        if (dichotomies) {
          // one 0/1 column per option: published as one cell of the codes chosen
          const chosen: number[] = [];
          let answered = false;
          dichotomies.forEach((column, option) => {
            const value = dichotomy(record[column] ?? '', '');
            if (isProblem(value)) misread(question.id, record[column] ?? '');
            if (value !== null) answered = true;
            if (value === true) chosen.push(option);
          });
          const key = choicesKey(question, chosen);
          if (isProblem(key)) misread(question.id, chosen.join(' '));
          row.push(answered ? (key as string) : '');
          return;
        }
        const cell = record[at] ?? '';
        let code = seen.get(cell);
        if (code === undefined) {
          // an option's code, a multiple question's codes, a number, an open answer
          const answer = read(cell);
          if (isProblem(answer)) misread(question.id, cell);
          code =
            answer === null
              ? ''
              : typeof answer === 'number'
                ? (categories(question)[answer]?.code as string)
                : question.type === 'numeric' && comma
                  ? answer.replace('.', ',')
                  : answer;
          // a question's cells are spelt a few ways: each is read once
          if (seen.size < 10_000) seen.set(cell, code);
        }
        row.push(code);
      });
      done(null, row);
    },
  });
  const chunks: Buffer[] = [];
  await pipeline(
    Readable.from(source),
    iconv.decodeStream(dialect.encoding),
    new LineEnds(),
    parse({
      delimiter: dialect.delimiter,
      bom: true,
      relax_column_count: true,
      skip_empty_lines: true,
      skip_records_with_empty_values: true,
      max_record_size: MAX_RECORD_BYTES,
    }),
    toRow,
    stringify({ record_delimiter: '\n' }),
    new Writable({
      write(chunk: Buffer, _encoding, done) {
        chunks.push(chunk);
        done();
      },
    }),
  );
  return Buffer.concat(chunks);
}
