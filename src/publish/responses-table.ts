import { stringify } from 'csv-stringify/sync';
import { type Codebook, categories } from '../load/codebook.js';
import { tableWeightColumn } from '../load/records.js';
import { openTable, type ResponsesKind } from '../load/responses-file.js';
import { cellText } from '../load/table.js';
import { TableReader } from '../load/table-tally.js';

/**
 * A workbook's or an SPSS file's responses as published in out/data/responses.csv, generated as
 * a CSV study's are (see publishedResponses): the respondent id (none when rows are numbered)
 * and one column per question, each answer as its option code (a multiple question's codes
 * separated by a space, whether read from one cell or from 0/1 columns; a number as read, with
 * the study's decimal mark; an open answer only where the question says `publish: true`), empty
 * for no answer. Nothing else of the file is published: not the workbook or the .sav itself,
 * nor its other columns, sheets, labels or metadata. The file must be one the loader read.
 */
export async function publishedTableResponses(
  bytes: Uint8Array,
  file: string,
  kind: Exclude<ResponsesKind, 'csv'>,
  codebook: Codebook,
): Promise<Buffer> {
  // an SPSS file case by case, a workbook row by row
  const { head, rows: read } = await openTable(bytes, file, kind, codebook);
  const rows = read();
  const reader = new TableReader(head, file, codebook);
  const idColumn = codebook.study.data.respondent_id;
  const comma = codebook.study.data.decimal === ',';
  const shown = codebook.questions
    .map((question, index) => ({ question, index }))
    .filter(({ question }) => question.type !== 'text' || question.publish === true);
  const weight = codebook.study.data.weight;
  const weightAt = tableWeightColumn(head, file, weight);
  const records: string[][] = [
    [
      ...(idColumn === null ? [] : [idColumn]),
      ...shown.map(({ question }) => question.id),
      ...(weight ? [weight] : []),
    ],
  ];
  for await (const read of rows) {
    const { id, answers } = reader.row(read);
    const row = idColumn === null ? [] : [id];
    for (const { question, index } of shown) {
      const answer = answers[index] ?? null;
      row.push(
        answer === null
          ? ''
          : typeof answer === 'number'
            ? (categories(question)[answer]?.code ?? '')
            : question.type === 'numeric' && comma
              ? answer.replace('.', ',')
              : answer,
      );
    }
    // the survey weight (not identifying), with the study's decimal mark
    if (weight) {
      const cell = cellText(read.cells[weightAt] ?? null).trim();
      row.push(comma ? cell.replace('.', ',') : cell);
    }
    records.push(row);
  }
  return Buffer.from(stringify(records, { record_delimiter: '\n' }));
}
