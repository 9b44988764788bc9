import { InputError } from '../errors.js';
import { type Codebook, normalizeSpelling, optionBySpelling } from './codebook.js';
import { type CsvDialect, mapColumns } from './responses.js';
import { type Cell, cellText, isBlank, type Table } from './table.js';
import { type Tally, tallyAnswers } from './tally.js';

/**
 * Counts the responses of a workbook or an SPSS file as a CSV's are counted: columns named by a
 * question's id or wording, export metadata skipped, a cell matched to an option by its code,
 * label or accepted spelling, or for SPSS by the value's label too; user-missing values and
 * empty cells are no answer.
 */
export function tallyTable(
  table: Table,
  file: string,
  codebook: Codebook,
): { tally: Tally; dialect: CsvDialect } {
  const header = table.columns.map((c) => c.header);
  const map = mapColumns(header, file, table.headerLine, codebook, (i) =>
    table.rows.every((r) => isBlank(r.cells[i] ?? null)),
  );
  if (table.rows.length === 0)
    throw new InputError(file, table.headerLine, 'the file has a header but no responses');
  const idColumn = codebook.study.data.respondent_id;
  const ids: string[] = [];
  const seen = new Map<string, number>();
  const answers: Record<string, (string | null)[]> = {};
  const questions = codebook.questions.map((q) => {
    const index = map.questionColumn.get(q.id) as number;
    answers[q.id] = [];
    return { q, index, column: table.columns[index], spellings: optionBySpelling(q) };
  });
  for (const row of table.rows) {
    const id =
      map.idIndex === -1 ? String(ids.length + 1) : cellText(row.cells[map.idIndex] ?? null).trim();
    if (id === '')
      throw new InputError(file, row.line, `empty respondent id in column "${idColumn}"`);
    const earlier = seen.get(id);
    if (earlier !== undefined)
      throw new InputError(
        file,
        row.line,
        `duplicate respondent id "${id}"`,
        `first used on ${rowWord(table)} ${earlier}`,
      );
    seen.set(id, row.line);
    ids.push(id);
    for (const { q, index, column, spellings } of questions) {
      const cell: Cell = row.cells[index] ?? null;
      if (isBlank(cell, column)) {
        answers[q.id]?.push(null);
        continue;
      }
      const text = cellText(cell);
      const label = column?.valueLabels?.get(text);
      const option =
        spellings.get(normalizeSpelling(text)) ??
        (label === undefined ? undefined : spellings.get(normalizeSpelling(label)));
      if (option === undefined)
        throw new InputError(
          file,
          row.line,
          `unknown option "${text.slice(0, 80)}"${label ? ` ("${label}")` : ''} in column "${column?.header ?? q.id}"`,
          `its options are ${q.options.map((o) => o.code).join(', ')} (or their labels); add other spellings under accept:, or leave the cell empty for no answer`,
        );
      answers[q.id]?.push(q.options[option]?.code ?? null);
    }
  }
  return {
    tally: tallyAnswers(codebook, { ids, answers }),
    dialect: {
      encoding: '',
      encodingBy: '',
      delimiter: '',
      delimiterBy: 'detected',
      rows: ids.length,
      columns: map.columns,
      source: table.source,
    },
  };
}

function rowWord(table: Table): string {
  return table.source.startsWith('SPSS') ? 'case' : 'row';
}
