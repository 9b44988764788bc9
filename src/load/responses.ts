import { Readable } from 'node:stream';
import { parse as parseStream } from 'csv-parse';
import { CsvError, parse } from 'csv-parse/sync';
import { InputError } from '../errors.js';
import {
  AnswerCounter,
  type Cell,
  type CellProblem,
  cellReader,
  choicesKey,
  dichotomy,
  isProblem,
} from './answers.js';
import {
  type Codebook,
  categories,
  normalizeSpelling,
  type Question,
  questionHeaders,
} from './codebook.js';
import { decode } from './decode.js';
import { sniffDelimiter } from './dialect.js';
import { IdSet } from './ids.js';
import { type Encoding, textChunks } from './stream.js';
import type { Tally } from './tally.js';

/** What the loader found in a responses file, for `report check`. */
export interface CsvDialect {
  encoding: string;
  encodingBy: string;
  delimiter: string;
  delimiterBy: 'pinned' | 'detected';
  rows: number;
  /** Each header, and what it was read as: the respondent id, a question, or skipped. */
  columns: { header: string; as: string }[];
  /** The responses file, relative to the study folder (default data/responses.csv). */
  file?: string;
  /** How a workbook or SPSS file was read (its sheet and header row; who wrote it). */
  source?: string;
}

/** The answers, column by column: one array of option codes (null = no answer) per question. */
export interface Responses {
  ids: string[];
  answers: Record<string, (string | null)[]>;
  dialect: CsvDialect;
}

/** Columns that survey tools add to their exports and that are not answers. */
export const EXPORT_METADATA = new Set(
  [
    'timestamp',
    'marca temporal',
    'marca de tiempo',
    'horodateur',
    'carimbo de data/hora',
    'start',
    'end',
    'today',
    'deviceid',
    'username',
    'simserial',
    'subscriberid',
    'phonenumber',
    'submissiondate',
    'instanceid',
    'meta/instanceid',
    '_id',
    '_uuid',
    '_submission_time',
    '_validation_status',
    '_notes',
    '_status',
    '_submitted_by',
    '__version__',
    '_version_',
    '_tags',
    '_index',
    '_parent_index',
    '_submission__id',
    '_submission__uuid',
  ].map(normalizeSpelling),
);

/** A field longer than this is not an answer: the file is broken or not a responses file. */
export const MAX_RECORD_BYTES = 1024 * 1024;

interface Row {
  record: string[];
  info: { lines: number };
  raw: string;
}

/** The options csv-parse reads a responses file with, in both readers of record. */
function csvOptions(delimiter: string, onRecord: (context: { lines: number }) => void) {
  return {
    delimiter,
    info: true,
    raw: true,
    relax_column_count: true,
    skip_empty_lines: true,
    skip_records_with_empty_values: true,
    max_record_size: MAX_RECORD_BYTES,
    on_record: (record: string[], context: { lines: number }) => {
      onRecord(context);
      return record;
    },
  } as const;
}

/** The line a record starts on. */
const firstLine = (row: Row) =>
  row.info.lines - (row.raw.replace(/^\n+/, '').match(/\n/g)?.length ?? 1) + 1;

const emptyFile = (file: string) =>
  new InputError(
    file,
    1,
    'the file is empty',
    'the first row names the columns, one row per respondent follows',
  );

/**
 * Checks the rows of a responses file against its header, as both readers of record do: the
 * number of fields, a respondent id, a known option in every answer. Duplicate ids are the
 * caller's to check.
 */
class RowChecker {
  readonly map: ColumnMap;
  private readonly readers: ((raw: string) => Cell | CellProblem)[];
  private readonly width: number;
  private numbered = 0;

  constructor(
    private readonly codebook: Codebook,
    private readonly file: string,
    private readonly header: string[],
    headerLine: number,
    isEmptyColumn: (index: number) => boolean,
    private readonly delimiter: string,
  ) {
    this.map = mapColumns(header, file, headerLine, codebook, isEmptyColumn);
    this.width = header.length;
    this.readers = codebook.questions.map((q) => cellReader(q, codebook));
  }

  /** A row's respondent id (checked first: the number of fields, an id). */
  id(record: string[], line: number): string {
    const { file, codebook, width } = this;
    if (record.length !== width)
      throw new InputError(
        file,
        line,
        `this row has ${record.length} fields, the header has ${width}`,
        `every row needs one value per column; quote values that contain "${this.delimiter === '\t' ? '\\t' : this.delimiter}"`,
      );
    this.numbered++;
    const { idIndex } = this.map;
    const id = idIndex === -1 ? String(this.numbered) : (record[idIndex] ?? '').trim();
    if (id === '')
      throw new InputError(
        file,
        line,
        `empty respondent id in column "${codebook.study.data.respondent_id}"`,
      );
    return id;
  }

  /**
   * Each question's cell in a row (as `cellReader` reads it; a multiple question in 0/1 columns
   * as its chosen codes), checked after its id.
   */
  cells(record: string[], line: number): Cell[] {
    const { file, codebook, header } = this;
    const { questionColumn, optionColumns } = this.map;
    const bad = (problem: CellProblem): never => {
      throw new InputError(file, line, problem.problem, problem.hint);
    };
    return codebook.questions.map((q, qi) => {
      const dichotomies = optionColumns.get(q.id);
      if (dichotomies) {
        const chosen: number[] = [];
        let answered = false;
        dichotomies.forEach((column, option) => {
          const value = dichotomy(record[column] ?? '', header[column]?.trim() ?? '');
          if (isProblem(value)) bad(value);
          if (value !== null) answered = true;
          if (value === true) chosen.push(option);
        });
        const key = choicesKey(q, chosen);
        if (isProblem(key)) bad(key);
        return answered ? (key as string) : null;
      }
      const value = (this.readers[qi] as (raw: string) => Cell | CellProblem)(
        record[questionColumn.get(q.id) as number] ?? '',
      );
      if (isProblem(value)) bad(value);
      return value as Cell;
    });
  }
}

/**
 * Reads a responses file as real exports come: any encoding (detected or pinned), `,` `;` tab
 * or `|` delimiters, quoted fields with line breaks, headers that are question ids or wordings,
 * answers given as codes or labels in any case and spacing, export metadata columns skipped.
 * The whole file in memory: `streamResponses` reads one of any size the same way.
 */
export function parseResponses(
  input: string | Uint8Array,
  file: string,
  codebook: Codebook,
): Responses {
  const config = codebook.study.data;
  const decoded =
    typeof input === 'string'
      ? {
          text: input.replace(/^\uFEFF/, '').replace(/\r\n?/g, '\n'),
          encoding: 'utf-8',
          by: 'text',
        }
      : decode(input, file, config.csv?.encoding);
  const text = decoded.text;
  if (text.trim() === '') throw emptyFile(file);
  const delimiter = config.csv?.delimiter ?? sniffDelimiter(text);

  let lastGoodLine = 0;
  let rows: Row[];
  try {
    rows = parse(
      text,
      csvOptions(delimiter, (context) => {
        lastGoodLine = context.lines;
      }),
    ) as unknown as Row[];
  } catch (error) {
    if (error instanceof CsvError) throw csvError(error, file, lastGoodLine);
    throw error;
  }

  const header = rows[0];
  if (!header)
    throw new InputError(file, 1, 'the file is empty', 'the first row names the columns');
  const headerLine = firstLine(header);
  const checker = new RowChecker(
    codebook,
    file,
    header.record,
    headerLine,
    (i) => rows.every((r) => (r.record[i] ?? '').trim() === ''),
    delimiter,
  );
  if (rows.length === 1)
    throw new InputError(file, headerLine, 'the file has a header but no responses');

  const ids: string[] = [];
  const seenIds = new Map<string, number>();
  const answers: Record<string, (string | null)[]> = Object.fromEntries(
    codebook.questions.map((q) => [q.id, []]),
  );
  for (const row of rows.slice(1)) {
    const line = firstLine(row);
    const id = checker.id(row.record, line);
    const earlier = seenIds.get(id);
    if (earlier !== undefined) throw duplicateId(file, line, id, earlier);
    seenIds.set(id, line);
    ids.push(id);
    checker.cells(row.record, line).forEach((cell, i) => {
      const q = codebook.questions[i] as Question;
      answers[q.id]?.push(typeof cell === 'number' ? (categories(q)[cell]?.code as string) : cell);
    });
  }
  return {
    ids,
    answers,
    dialect: {
      encoding: decoded.encoding,
      encodingBy: decoded.by,
      delimiter,
      delimiterBy: config.csv?.delimiter ? 'pinned' : 'detected',
      rows: ids.length,
      columns: checker.map.columns,
    },
  };
}

const duplicateId = (file: string, line: number, id: string, earlier: number) =>
  new InputError(file, line, `duplicate respondent id "${id}"`, `first used on line ${earlier}`);

/**
 * The reader of record as a stream: what `parseResponses` reads and says of a file in memory,
 * for a file of any size in memory that does not grow with its rows. A first pass reads the
 * CSV (its syntax errors come first, as in the file read whole; it finds the columns without a
 * header that hold values), a second checks and counts the rows. Respondent ids go into an
 * `IdSet`; its suspects are settled by a third pass up to the first other error.
 */
export async function streamResponses(
  chunks: () => AsyncIterable<Uint8Array>,
  file: string,
  codebook: Codebook,
  encoding: Encoding,
): Promise<{ tally: Tally; dialect: CsvDialect }> {
  const config = codebook.study.data;
  // the start of the text: the delimiter is sniffed from it
  let sample = '';
  let blank = true;
  for await (const text of textChunks(chunks(), encoding)) {
    sample += text;
    if (blank && /\S/.test(text)) blank = false;
    if (sample.length >= 64 * 1024 && !blank) break;
  }
  if (blank) throw emptyFile(file);
  const delimiter = config.csv?.delimiter ?? sniffDelimiter(sample);

  /** Every record with the line it starts on; csv-parse's errors as ours. */
  async function* records(): AsyncGenerator<{ record: string[]; line: number }> {
    let lastGoodLine = 0;
    const parser = parseStream(
      csvOptions(delimiter, (context) => {
        lastGoodLine = context.lines;
      }),
    );
    const source = Readable.from(textChunks(chunks(), encoding));
    source.on('error', (error) => parser.destroy(error));
    source.pipe(parser);
    try {
      for await (const row of parser as AsyncIterable<Row>)
        yield { record: row.record, line: firstLine(row) };
    } catch (error) {
      if (error instanceof CsvError) throw csvError(error, file, lastGoodLine);
      throw error;
    } finally {
      source.destroy();
      parser.destroy();
    }
  }

  // 1. syntax, the number of records, the columns without a header that hold values
  let count = 0;
  let header: { record: string[]; line: number } | undefined;
  const filled = new Set<number>();
  for await (const row of records()) {
    count++;
    if (!header) header = row;
    else
      row.record.forEach((cell, i) => {
        if (cell.trim() !== '') filled.add(i);
      });
  }
  if (!header)
    throw new InputError(file, 1, 'the file is empty', 'the first row names the columns');
  const headerRecord = header.record;
  const checker = new RowChecker(
    codebook,
    file,
    headerRecord,
    header.line,
    (i) => !filled.has(i) && (headerRecord[i] ?? '').trim() === '',
    delimiter,
  );
  if (count === 1)
    throw new InputError(file, header.line, 'the file has a header but no responses');

  // 2. the rows, counted
  const ids = new IdSet();
  const counter = new AnswerCounter(codebook);
  let respondents = 0;
  /** The first error other than a repeated id; `counted` when the row's id was taken. */
  let failure: { error: unknown; line: number; counted: boolean } | undefined;
  let first = true;
  for await (const row of records()) {
    if (first) {
      first = false;
      continue;
    }
    let counted = false;
    try {
      const id = checker.id(row.record, row.line);
      if (checker.map.idIndex !== -1) {
        const bytes = Buffer.from(id);
        ids.add(bytes, 0, bytes.length);
      }
      counted = true;
      counter.add(checker.cells(row.record, row.line));
      respondents++;
    } catch (error) {
      failure = { error, line: row.line, counted };
      break;
    }
  }

  // 3. a suspect id met twice before the first other error is that error
  if (ids.suspects.size > 0) {
    const seen = new Map<string, number>();
    let skip = true;
    for await (const row of records()) {
      if (skip) {
        skip = false;
        continue;
      }
      // a repeated id is found before the unknown answers of its own row
      if (failure && (row.line > failure.line || (row.line === failure.line && !failure.counted)))
        break;
      const id = (row.record[checker.map.idIndex] ?? '').trim();
      const key = Buffer.from(id).toString('latin1');
      if (!ids.suspects.has(key)) continue;
      const earlier = seen.get(key);
      if (earlier !== undefined) throw duplicateId(file, row.line, id, earlier);
      seen.set(key, row.line);
    }
  }
  if (failure) throw failure.error;
  return {
    tally: {
      respondents,
      questions: counter.result(),
    },
    dialect: {
      encoding: encoding.encoding,
      encodingBy: encoding.by,
      delimiter,
      delimiterBy: config.csv?.delimiter ? 'pinned' : 'detected',
      rows: respondents,
      columns: checker.map.columns,
    },
  };
}

/** Which column of a responses file holds what. */
export interface ColumnMap {
  /** The respondent id's column, -1 when rows are numbered instead. */
  idIndex: number;
  /** The one column of each question answered in one cell. */
  questionColumn: Map<string, number>;
  /** A multiple question answered in one 0/1 column per option: the column of each option. */
  optionColumns: Map<string, number[]>;
  columns: CsvDialect['columns'];
}

/** The headers of a multiple question's 0/1 columns, by normalised header: the option's index. */
function optionColumnHeaders(codebook: Codebook): Map<string, { qid: string; option: number }> {
  const map = new Map<string, { qid: string; option: number }>();
  for (const q of codebook.questions) {
    if (q.type !== 'multiple') continue;
    const patterns = new Set(['{q}/{option}', '{q}.{option}']);
    const custom = q.multiple?.columns ?? codebook.study.data.multiple?.columns;
    if (custom) patterns.add(custom);
    q.options.forEach((o, option) => {
      for (const pattern of patterns) {
        const header = normalizeSpelling(pattern.replace('{q}', q.id).replace('{option}', o.code));
        if (!map.has(header)) map.set(header, { qid: q.id, option });
      }
    });
  }
  return map;
}

/**
 * Reads a header row: the respondent id, a question by its id or wording, or a column to skip
 * (export metadata, listed in ignore_columns, or a column with neither header nor values).
 */
export function mapColumns(
  header: readonly string[],
  file: string,
  headerLine: number,
  codebook: Codebook,
  isEmptyColumn: (index: number) => boolean,
): ColumnMap {
  const config = codebook.study.data;
  const idColumn = config.respondent_id;
  const questionOf = new Map<string, string>();
  for (const q of codebook.questions)
    for (const h of questionHeaders(q)) if (!questionOf.has(h)) questionOf.set(h, q.id);
  const ignored = new Set([...EXPORT_METADATA, ...config.ignore_columns.map(normalizeSpelling)]);

  const optionHeaders = optionColumnHeaders(codebook);
  const columns: CsvDialect['columns'] = [];
  const questionColumn = new Map<string, number>();
  const optionColumns = new Map<string, number[]>();
  let idIndex = -1;
  header.forEach((name, i) => {
    const key = normalizeSpelling(name);
    const shown = name.trim();
    if (idColumn !== null && key === normalizeSpelling(idColumn)) {
      if (idIndex !== -1) throw new InputError(file, headerLine, `column "${shown}" appears twice`);
      idIndex = i;
      columns.push({ header: shown, as: 'respondent id' });
      return;
    }
    if (config.weight !== undefined && key === normalizeSpelling(config.weight)) {
      columns.push({ header: shown, as: 'weight' });
      return;
    }
    const qid = questionOf.get(key);
    if (qid) {
      if (questionColumn.has(qid))
        throw new InputError(
          file,
          headerLine,
          `two columns hold question "${qid}" (the second is "${shown}")`,
          'keep one of them',
        );
      questionColumn.set(qid, i);
      columns.push({ header: shown, as: `question ${qid}` });
      return;
    }
    const optionColumn = optionHeaders.get(key);
    if (optionColumn) {
      const q = codebook.questions.find((x) => x.id === optionColumn.qid) as Question;
      const list = optionColumns.get(q.id) ?? q.options.map(() => -1);
      if (list[optionColumn.option] !== -1)
        throw new InputError(
          file,
          headerLine,
          `two columns hold option "${q.options[optionColumn.option]?.code}" of "${q.id}" (the second is "${shown}")`,
          'keep one of them',
        );
      list[optionColumn.option] = i;
      optionColumns.set(q.id, list);
      columns.push({
        header: shown,
        as: `question ${q.id}, option ${q.options[optionColumn.option]?.code}`,
      });
      return;
    }
    if (ignored.has(key) || (key === '' && isEmptyColumn(i))) {
      columns.push({ header: shown, as: 'skipped' });
      return;
    }
    throw new InputError(
      file,
      headerLine,
      key === '' ? `column ${i + 1} has no header` : `unknown column "${shown}"`,
      `name it by a question id or wording of the codebook, or list it in study.data.ignore_columns (questions: ${codebook.questions.map((q) => q.id).join(', ')})`,
    );
  });
  if (idColumn !== null && idIndex === -1)
    throw new InputError(
      file,
      headerLine,
      `missing the respondent id column "${idColumn}"`,
      'add it, or set study.data.respondent_id: null to number the rows',
    );
  for (const [qid, list] of optionColumns) {
    const q = codebook.questions.find((x) => x.id === qid) as Question;
    if (questionColumn.has(qid)) {
      // an export with both (KoboToolbox): the one cell is read, its 0/1 columns skipped
      for (const column of list) {
        const entry = columns[column];
        if (entry)
          entry.as = `skipped (the answers of column "${header[questionColumn.get(qid) as number]?.trim()}")`;
      }
      optionColumns.delete(qid);
      continue;
    }
    const absent = list.indexOf(-1);
    if (absent !== -1)
      throw new InputError(
        file,
        headerLine,
        `missing column "${qid}/${q.options[absent]?.code}"`,
        `a multiple question in 0/1 columns has one column per option: ${q.options.map((o) => `${qid}/${o.code}`).join(', ')}`,
      );
  }
  for (const q of codebook.questions) {
    if (!questionColumn.has(q.id) && !optionColumns.has(q.id))
      throw new InputError(
        file,
        headerLine,
        `missing column "${q.id}"`,
        `a column named by the question's id or wording: ${q.text[codebook.study.languages[0]?.code ?? ''] ?? q.id}`,
      );
  }
  return { idIndex, questionColumn, optionColumns, columns };
}

function csvError(error: CsvError, file: string, lastGoodLine: number): InputError {
  const line = (error as CsvError & { lines?: number }).lines;
  switch (error.code) {
    case 'CSV_QUOTE_NOT_CLOSED':
      return new InputError(
        file,
        lastGoodLine + 1,
        'a quoted field opened in this row never closes',
        'add the closing " or remove the stray one',
      );
    case 'CSV_MAX_RECORD_SIZE':
      return new InputError(
        file,
        line,
        `a row longer than ${MAX_RECORD_BYTES / 1024 / 1024} MB`,
        'this is not a responses file, or a quote is missing its closing "',
      );
    case 'INVALID_OPENING_QUOTE':
    case 'CSV_INVALID_CLOSING_QUOTE':
      return new InputError(
        file,
        line,
        'a quote " inside an unquoted field',
        'quote the whole field and double the inner quotes ("")',
      );
    default: {
      const problem = error.message
        .replace(/^[^:]+:\s*/, '')
        .replace(/\s*(at|on) line \d+.*$/i, '');
      return new InputError(file, line, `CSV: ${problem}`);
    }
  }
}
