import { stringify } from 'csv-stringify/sync';
import type { Codebook } from '../load/codebook.js';
import { csvRecords, recordCoder, weightColumn } from '../load/records.js';
import type { CsvDialect } from '../load/responses.js';

/**
 * The responses as published in out/data/responses.csv: generated, never copied. One row per
 * respondent, in the order read: the respondent id (none when the study numbers its rows) and
 * one column per question of the codebook, each answer as its option code (a multiple question's
 * codes separated by a space, whether read from one cell or from one 0/1 column per option; a
 * number as read; an open answer only where the question says `publish: true`, else no column),
 * empty for no answer; last, a weighted study's weight column (study.data.weight) as written, which
 * identifies no one and without which no weighted figure could be recomputed.
 * Nothing else the source file holds is published: columns the loader skipped (export
 * metadata such as a phone number or a user name, `ignore_columns`), other spellings of the
 * answers, the encoding and the delimiter of the export.
 *
 * The source is streamed through the same dialect the loader found (csv-parse's stream,
 * each record written as it is read), so a file of millions of rows is never held as rows. It must be a
 * file the loader read without error: this adds no checks of its own.
 */
export async function publishedResponses(
  source: Iterable<Uint8Array> | AsyncIterable<Uint8Array>,
  file: string,
  codebook: Codebook,
  dialect: Pick<CsvDialect, 'encoding' | 'delimiter'>,
): Promise<Buffer> {
  const idColumn = codebook.study.data.respondent_id;
  const comma = codebook.study.data.decimal === ',';
  const weight = codebook.study.data.weight;
  const shown = codebook.questions.filter((q) => q.type !== 'text' || q.publish === true);
  // the text written so far, record by record: no row is held
  const chunks: string[] = [];
  const write = (record: string[]) => chunks.push(stringify([record], { record_delimiter: '\n' }));
  let coder: ReturnType<typeof recordCoder> | undefined;
  let weightAt = -1;
  for await (const { record, info } of csvRecords(source, dialect)) {
    if (!coder) {
      coder = recordCoder(record, file, codebook, shown);
      if (weight) weightAt = weightColumn(record, file, info.lines, weight);
      write([
        ...(idColumn === null ? [] : [idColumn]),
        ...shown.map((q) => q.id),
        ...(weight ? [weight] : []),
      ]);
      continue;
    }
    // empty for no answer; a number with the study's decimal mark, as the responses file writes it
    const codes = coder
      .codes(record)
      .map((code, i) =>
        code === null ? '' : comma && shown[i]?.type === 'numeric' ? code.replace('.', ',') : code,
      );
    write([
      ...(idColumn === null ? [] : [coder.id(record)]),
      ...codes,
      // the survey weight (not identifying), so that a reader can recompute every weighted figure
      ...(weight ? [(record[weightAt] ?? '').trim()] : []),
    ]);
  }
  return Buffer.from(chunks.join(''));
}
