import { InputError } from '../errors.js';
import {
  type Cell as Answer,
  AnswerCounter,
  type CellProblem,
  cellReader,
  choicesKey,
  dichotomy,
  isProblem,
} from './answers.js';
import type { Codebook } from './codebook.js';
import { type ColumnMap, type CsvDialect, mapColumns } from './responses.js';
import { type Cell, cellText, isBlank, type Table, type TableColumn } from './table.js';
import type { Tally } from './tally.js';

/** One respondent's answers as read from a workbook or an SPSS file: one per question, codebook order. */
export interface TableAnswers {
  id: string;
  line: number;
  /** As `cellReader` gives them: an option index, a multiple question's codes, a number, a text, or null. */
  answers: Answer[];
}

/**
 * Reads the rows of a workbook or an SPSS file as a CSV's are read: columns named by a
 * question's id or wording (a multiple question also in one 0/1 column per option), export
 * metadata skipped, each cell through the same reader as a CSV cell (numbers and dates as their
 * text); an SPSS value also matches an option by its value label. An SPSS user-missing value is
 * no answer, unless the codebook has an option that spells it (its value or its label): then it
 * is that option.
 */
export class TableReader {
  readonly map: ColumnMap;
  private readonly questions: {
    read: (raw: string) => Answer | CellProblem;
    index: number;
    column: TableColumn | undefined;
    options: number[] | undefined;
  }[];
  private readonly seen = new Map<string, number>();
  private numbered = 0;
  /** Read one row at a time: columns with neither header nor values, known only as rows come. */
  private readonly unnamed: number[] = [];

  /** `table` without its rows: they are given one at a time to `row`. */
  constructor(
    private readonly table: Omit<Table, 'rows'> & { rows?: Table['rows'] },
    private readonly file: string,
    private readonly codebook: Codebook,
  ) {
    const rows = table.rows;
    this.map = mapColumns(
      table.columns.map((c) => c.header),
      file,
      table.headerLine,
      codebook,
      (i) => {
        if (rows) return rows.every((r) => isBlank(r.cells[i] ?? null));
        this.unnamed.push(i);
        return true;
      },
    );
    this.questions = codebook.questions.map((q) => {
      const index = this.map.questionColumn.get(q.id) ?? -1;
      return {
        read: cellReader(q, codebook),
        index,
        column: table.columns[index],
        options: this.map.optionColumns.get(q.id),
      };
    });
  }

  /** One row's id and answers; a bad cell, an empty or repeated id is an error naming its row. */
  row(row: Table['rows'][number]): TableAnswers {
    const { file, codebook, table } = this;
    const idIndex = this.map.idIndex;
    this.numbered++;
    for (const i of this.unnamed)
      if (!isBlank(row.cells[i] ?? null))
        throw new InputError(
          file,
          table.headerLine,
          `column ${i + 1} has no header`,
          `it holds a value on ${rowWord(table)} ${row.line}: name it by a question id or wording of the codebook, or delete it`,
        );
    const id = idIndex === -1 ? String(this.numbered) : cellText(row.cells[idIndex] ?? null).trim();
    if (id === '')
      throw new InputError(
        file,
        row.line,
        `empty respondent id in column "${codebook.study.data.respondent_id}"`,
      );
    const earlier = this.seen.get(id);
    if (earlier !== undefined)
      throw new InputError(
        file,
        row.line,
        `duplicate respondent id "${id}"`,
        `first used on ${rowWord(table)} ${earlier}`,
      );
    this.seen.set(id, row.line);
    const bad = (problem: CellProblem): never => {
      throw new InputError(file, row.line, problem.problem, problem.hint);
    };
    const answers = codebook.questions.map((q, qi): Answer => {
      const { read, index, column, options } = this.questions[qi] as (typeof this.questions)[0];
      if (options) {
        const chosen: number[] = [];
        let answered = false;
        options.forEach((at, option) => {
          const cell: Cell = row.cells[at] ?? null;
          const header = table.columns[at]?.header ?? '';
          const value = isBlank(cell, table.columns[at]) ? null : dichotomy(cellText(cell), header);
          if (isProblem(value)) bad(value);
          if (value !== null) answered = true;
          if (value === true) chosen.push(option);
        });
        const key = choicesKey(q, chosen);
        if (isProblem(key)) bad(key);
        return answered ? (key as string) : null;
      }
      const cell: Cell = row.cells[index] ?? null;
      if (cell === null || (typeof cell === 'string' && cell.trim() === '')) return null;
      const text = cellText(cell);
      const label = column?.valueLabels?.get(text);
      const missing = isBlank(cell, column);
      let value = read(text);
      if (isProblem(value) && label !== undefined && q.type !== 'numeric' && q.type !== 'text') {
        const byLabel = read(label);
        if (!isProblem(byLabel)) value = byLabel;
      }
      if (missing) return isProblem(value) || q.type === 'numeric' ? null : value;
      if (isProblem(value))
        bad({
          problem: value.problem.replace(
            `in column "${q.id}"`,
            `${label ? `("${label}") ` : ''}in column "${column?.header ?? q.id}"`,
          ),
          hint: value.hint,
        });
      return value as Answer;
    });
    return { id, line: row.line, answers };
  }

  /** Every row, read in turn. */
  *rows(): Generator<TableAnswers> {
    for (const row of this.table.rows ?? []) yield this.row(row);
  }
}

/** Counts the responses of a workbook or an SPSS file as a CSV's are counted (see `TableReader`). */
export function tallyTable(
  table: Table,
  file: string,
  codebook: Codebook,
): { tally: Tally; dialect: CsvDialect } {
  const reader = new TableReader(table, file, codebook);
  if (table.rows.length === 0)
    throw new InputError(file, table.headerLine, 'the file has a header but no responses');
  const counter = new AnswerCounter(codebook);
  let respondents = 0;
  for (const { answers } of reader.rows()) {
    counter.add(answers);
    respondents++;
  }
  return {
    tally: { respondents, questions: counter.result() },
    dialect: {
      encoding: '',
      encodingBy: '',
      delimiter: '',
      delimiterBy: 'detected',
      rows: respondents,
      columns: reader.map.columns,
      source: table.source,
    },
  };
}

/**
 * Counts responses that come one row at a time (an SPSS file's cases), as `tallyTable` counts a
 * table read whole: only the counts are kept.
 */
export async function tallyRows(
  head: Omit<Table, 'rows'>,
  rows: AsyncIterable<Table['rows'][number]>,
  file: string,
  codebook: Codebook,
): Promise<{ tally: Tally; dialect: CsvDialect }> {
  const reader = new TableReader(head, file, codebook);
  const counter = new AnswerCounter(codebook);
  let respondents = 0;
  for await (const row of rows) {
    counter.add(reader.row(row).answers);
    respondents++;
  }
  if (respondents === 0)
    throw new InputError(file, head.headerLine, 'the file has a header but no responses');
  return {
    tally: { respondents, questions: counter.result() },
    dialect: {
      encoding: '',
      encodingBy: '',
      delimiter: '',
      delimiterBy: 'detected',
      rows: respondents,
      columns: reader.map.columns,
      source: head.source,
    },
  };
}

function rowWord(table: Pick<Table, 'source'>): string {
  return table.source.startsWith('SPSS') ? 'case' : 'row';
}
