import { createReadStream } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { InputError, readError } from '../errors.js';
import {
  type Cell,
  type CellProblem,
  cellReader,
  choicesKey,
  dichotomy,
  isProblem,
} from './answers.js';
import { binOf, type Codebook, normalizeSpelling, type Question } from './codebook.js';
import { sniffDelimiter } from './dialect.js';
import {
  type ColumnMap,
  type CsvDialect,
  MAX_RECORD_BYTES,
  mapColumns,
  parseResponses,
} from './responses.js';

/** Answers counted, not kept: per question, the count of each option (codebook order) and the missing. */
export interface Tally {
  respondents: number;
  questions: QuestionTally[];
}

export interface QuestionTally {
  id: string;
  /** Per option (codebook order): the answers choosing it (for a multiple question, the respondents). */
  counts: number[];
  /** Blank answers. */
  missing: number;
  /**
   * Multiple and numeric questions: each distinct answer and how many gave it, in the order of
   * their keys (a multiple question's chosen codes, joined by a space; a number).
   */
  values?: [string, number][];
  /** Text questions only: the open answers, in data order. */
  texts?: string[];
}

/** Counts per-row answers (as `parseResponses` returns them). */
export function tallyAnswers(
  codebook: Codebook,
  responses: { ids: readonly string[]; answers: Record<string, readonly (string | null)[]> },
): Tally {
  return {
    respondents: responses.ids.length,
    questions: codebook.questions.map((q) => {
      const column = responses.answers[q.id] ?? [];
      if (q.type === 'text') {
        const texts = column.filter((a): a is string => a !== null);
        return { id: q.id, counts: [], missing: column.length - texts.length, texts };
      }
      if (q.type === 'multiple' || q.type === 'numeric') {
        const values = new Map<string, number>();
        let missing = 0;
        for (const answer of column) {
          if (answer === null) missing++;
          else values.set(answer, (values.get(answer) ?? 0) + 1);
        }
        return valueTally(q, values, missing);
      }
      const index = new Map(q.options.map((o, i) => [o.code, i]));
      const counts = q.options.map(() => 0);
      let missing = 0;
      for (const answer of column) {
        const i = answer === null ? undefined : index.get(answer);
        if (i === undefined) missing++;
        else counts[i] = (counts[i] ?? 0) + 1;
      }
      return { id: q.id, counts, missing };
    }),
  };
}

/** A multiple or numeric question's tally from the count of each distinct answer. */
function valueTally(q: Question, values: Map<string, number>, missing: number): QuestionTally {
  const sorted = [...values].sort(
    q.type === 'numeric'
      ? (a, b) => Number(a[0]) - Number(b[0])
      : (a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0),
  );
  const counts = q.options.map(() => 0);
  const index = new Map(q.options.map((o, i) => [o.code, i]));
  for (const [key, count] of sorted) {
    if (q.type === 'multiple') {
      if (key === '') continue;
      for (const code of key.split(' ')) {
        const i = index.get(code) as number;
        counts[i] = (counts[i] ?? 0) + count;
      }
    } else if (q.options.length > 0) {
      const i = binOf(q, Number(key));
      counts[i] = (counts[i] ?? 0) + count;
    }
  }
  return { id: q.id, counts, missing, values: sorted };
}

/** How a question's cells are counted. */
const SINGLE = 0;
const VALUES = 1;
const TEXT = 2;
const DICHOTOMY = 3;

const LF = 10;
const CR = 13;
const QUOTE = 34;
const FNV_OFFSET = 0x811c9dc5;
const FNV_PRIME = 16777619;
const utf8 = new TextDecoder('utf-8', { fatal: true });

/** A spelling met before, by the hash of its bytes (kept to rule out collisions). */
interface Known {
  bytes: Uint8Array;
  /** Option index, or -1 for no answer. */
  option: number;
}

/**
 * Counts a plain responses file as its bytes stream by, holding one line at a time: UTF-8,
 * one-byte delimiter, no quotes, the header of the first line. Each distinct cell spelling is
 * read once (normalised, matched to its option) and later recognised by its bytes alone.
 *
 * Anything else, and anything wrong, makes it give up (`push` returns false): the caller then
 * reads the file with `parseResponses`, which reads every dialect and words every error.
 * Respondent ids are checked for duplicates without keeping them when they are increasing
 * numbers (as survey tools number them); other ids are kept in a set.
 */
export class PlainTally {
  private leftover: Uint8Array | undefined;
  private delimiter = -1;
  private map: ColumnMap | undefined;
  private width = 0;
  /** For each column: the question's index, or -1. */
  private questionAt: Int32Array = new Int32Array(0);
  private known: Map<number, Known>[] = [];
  /** Per question: option + 2 of each cell of up to two bytes met so far (0: not met yet). */
  private short: Int16Array[] = [];
  private readers: ((raw: string) => Cell | CellProblem)[] = [];
  /** Per question: how its cells are counted (SINGLE, VALUES, TEXT or DICHOTOMY). */
  private kinds: Uint8Array = new Uint8Array(0);
  /** For each column: the option of a multiple question's 0/1 column, or -1. */
  private optionAt: Int32Array = new Int32Array(0);
  /** Multiple and numeric questions: each distinct answer met, its index, and its count. */
  private keyIndex: Map<string, number>[] = [];
  private keys: string[][] = [];
  private valueCounts: number[][] = [];
  private texts: string[][] = [];
  private counts: Float64Array[] = [];
  private missing: Float64Array = new Float64Array(0);
  private rows = 0;
  private lastId = -1;
  private ids: Set<string> | undefined;
  private numericIds: boolean | undefined;
  private failed = false;
  /** Where the rows start in the chunk that held the header. */
  private bodyStart = 0;
  dialect: CsvDialect | undefined;

  constructor(
    private readonly codebook: Codebook,
    private readonly file: string,
  ) {
    const pinned = codebook.study.data.csv;
    if (pinned?.encoding && !/^utf-?8$/i.test(pinned.encoding)) this.failed = true;
    if (pinned?.delimiter) this.delimiter = pinned.delimiter.charCodeAt(0);
  }

  /** Feeds the next bytes; false once the file is not one this reader takes. */
  push(chunk: Uint8Array): boolean {
    if (this.failed) return false;
    let bytes = chunk;
    if (this.leftover) {
      bytes = Buffer.concat([this.leftover, chunk]);
      this.leftover = undefined;
    }
    const lastLf = bytes.lastIndexOf(LF);
    if (lastLf === -1) {
      // a line longer than any record may be: the full reader says what is wrong
      if (bytes.length > MAX_RECORD_BYTES) return this.fail();
      this.leftover = bytes;
      return true;
    }
    let from = 0;
    if (!this.map) {
      if (!this.readHeader(bytes, lastLf)) return this.fail();
      if (!this.map) {
        // only empty lines so far
        if (lastLf + 1 < bytes.length) this.leftover = bytes.slice(lastLf + 1);
        return true;
      }
      from = this.bodyStart;
    }
    if (!this.scan(bytes, from, lastLf + 1)) return this.fail();
    if (lastLf + 1 < bytes.length) this.leftover = bytes.slice(lastLf + 1);
    return true;
  }

  /** The counts, or undefined when the file must be read by `parseResponses`. */
  end(): Tally | undefined {
    if (this.failed) return undefined;
    if (this.leftover) {
      const last = Buffer.concat([this.leftover, Uint8Array.of(LF)]);
      this.leftover = undefined;
      let from = 0;
      if (!this.map) {
        if (!this.readHeader(last, last.length - 1) || !this.map) return undefined;
        from = this.bodyStart;
      }
      if (!this.scan(last, from, last.length)) return undefined;
    }
    if (!this.map || this.rows === 0 || !this.dialect) return undefined;
    this.dialect.rows = this.rows;
    return {
      respondents: this.rows,
      questions: this.codebook.questions.map((q, i): QuestionTally => {
        const missing = this.missing[i] ?? 0;
        const kind = this.kinds[i];
        if (kind === TEXT) return { id: q.id, counts: [], missing, texts: this.texts[i] ?? [] };
        if (kind === VALUES || kind === DICHOTOMY) {
          const counts = this.valueCounts[i] as number[];
          const values = new Map((this.keys[i] ?? []).map((k, j) => [k, counts[j] as number]));
          return valueTally(q, values, missing);
        }
        return { id: q.id, counts: Array.from(this.counts[i] ?? []), missing };
      }),
    };
  }

  private fail(): false {
    this.failed = true;
    this.leftover = undefined;
    return false;
  }

  /** The first non-empty line names the columns. */
  private readHeader(bytes: Uint8Array, lastLf: number): boolean {
    let start = 0;
    if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) start = 3;
    let text: string;
    try {
      text = utf8.decode(bytes.subarray(start, lastLf + 1));
    } catch {
      return false;
    }
    if (text.includes('"') || text.includes('\0')) return false;
    const lines = text.split('\n');
    const headerIndex = lines.findIndex((l) => l.replace(/\r$/, '') !== '');
    if (headerIndex === -1) {
      this.leftover = undefined;
      return true;
    }
    if (this.delimiter === -1) this.delimiter = sniffDelimiter(text).charCodeAt(0);
    const delimiter = String.fromCharCode(this.delimiter);
    const header = (lines[headerIndex] as string).replace(/\r$/, '').split(delimiter);
    if (header.some((h) => normalizeSpelling(h) === '')) return false;
    let map: ColumnMap;
    try {
      map = mapColumns(header, this.file, headerIndex + 1, this.codebook, () => false);
    } catch (error) {
      if (error instanceof InputError) return false;
      throw error;
    }
    this.map = map;
    this.width = header.length;
    this.questionAt = new Int32Array(this.width).fill(-1);
    this.optionAt = new Int32Array(this.width).fill(-1);
    this.kinds = new Uint8Array(this.codebook.questions.length);
    this.codebook.questions.forEach((q, i) => {
      const dichotomies = map.optionColumns.get(q.id);
      if (dichotomies)
        dichotomies.forEach((column, option) => {
          this.questionAt[column] = i;
          this.optionAt[column] = option;
        });
      else this.questionAt[map.questionColumn.get(q.id) as number] = i;
      this.kinds[i] = dichotomies
        ? DICHOTOMY
        : q.type === 'text'
          ? TEXT
          : q.type === 'multiple' || q.type === 'numeric'
            ? VALUES
            : SINGLE;
      this.readers.push(cellReader(q, this.codebook));
      this.known.push(new Map());
      this.short.push(new Int16Array(257 + 65536));
      this.counts.push(new Float64Array(q.options.length));
      this.keyIndex.push(new Map());
      this.keys.push([]);
      this.valueCounts.push([]);
      this.texts.push([]);
    });
    this.missing = new Float64Array(this.codebook.questions.length);
    this.dialect = {
      encoding: 'utf-8',
      encodingBy: start === 3 ? 'byte order mark' : 'valid UTF-8',
      delimiter,
      delimiterBy: this.codebook.study.data.csv?.delimiter ? 'pinned' : 'detected',
      rows: 0,
      columns: map.columns,
    };
    // the body starts after the header's line
    let offset = start;
    for (let l = 0; l <= headerIndex; l++) offset = bytes.indexOf(LF, offset) + 1;
    this.bodyStart = offset;
    return true;
  }

  /** Counts the complete lines in bytes[from, to). */
  private scan(bytes: Uint8Array, from: number, to: number): boolean {
    const delimiter = this.delimiter;
    const width = this.width;
    const questionAt = this.questionAt;
    const idIndex = (this.map as ColumnMap).idIndex;
    // one row's option per question, counted when the whole row is read and good
    const row = new Int32Array(this.codebook.questions.length);
    const kinds = this.kinds;
    const optionAt = this.optionAt;
    // text answers, and the 0/1 columns of multiple questions, of the row being read
    const rowText: (string | null)[] = [];
    const chosen: number[][] = this.codebook.questions.map(() => []);
    const answered = new Uint8Array(this.codebook.questions.length);
    const perRow = kinds.some((k) => k === TEXT || k === DICHOTOMY);
    let field = 0;
    let start = from;
    let lineStart = from;
    let idStart = 0;
    let idEnd = 0;
    let high = 0;
    let empty = true;
    for (let i = from; i < to; i++) {
      const c = bytes[i] as number;
      if (c !== delimiter && c !== LF) {
        if (c === QUOTE || c === 0) return false;
        if (c === CR && bytes[i + 1] !== LF) return false; // a lone CR: left to the full reader
        high |= c;
        continue;
      }
      const end = c === LF && i > start && bytes[i - 1] === CR ? i - 1 : i;
      if (end > start) empty = false;
      if (field < width) {
        const q = questionAt[field] as number;
        if (q !== -1) {
          const kind = kinds[q];
          if (kind === TEXT) {
            let text: string;
            try {
              text = utf8.decode(bytes.subarray(start, end)).trim();
            } catch {
              return false;
            }
            rowText[q] = text === '' ? null : text;
          } else if (kind === DICHOTOMY) {
            const value = this.dichotomy(bytes, start, end);
            if (value === undefined) return false;
            if (value !== null) {
              answered[q] = 1;
              if (value) (chosen[q] as number[]).push(optionAt[field] as number);
            }
          } else {
            const option = this.option(q, bytes, start, end);
            if (option === undefined) return false;
            row[q] = option;
          }
        } else if (field === idIndex) {
          idStart = start;
          idEnd = end;
        }
      }
      if (c === LF) {
        // a line of empty fields only is skipped, as the full reader does
        if (!empty) {
          if (field + 1 !== width) return false;
          if (high >= 0x80) {
            try {
              utf8.decode(bytes.subarray(lineStart, i));
            } catch {
              return false;
            }
          }
          if (idIndex !== -1 && !this.checkId(bytes, idStart, idEnd)) return false;
          for (let q = 0; q < row.length; q++) {
            const kind = kinds[q];
            if (kind === TEXT) {
              const text = rowText[q] ?? null;
              if (text === null) this.missing[q] = (this.missing[q] as number) + 1;
              else (this.texts[q] as string[]).push(text);
              continue;
            }
            let option = row[q] as number;
            if (kind === DICHOTOMY) {
              if (answered[q] === 0) option = -1;
              else {
                const key = choicesKey(
                  this.codebook.questions[q] as Question,
                  chosen[q] as number[],
                );
                if (isProblem(key)) return false;
                option = this.classOf(q, key);
              }
            }
            if (option === -1) this.missing[q] = (this.missing[q] as number) + 1;
            else if (kind === SINGLE) {
              const counts = this.counts[q] as Float64Array;
              counts[option] = (counts[option] as number) + 1;
            } else {
              const counts = this.valueCounts[q] as number[];
              counts[option] = (counts[option] as number) + 1;
            }
          }
          this.rows++;
        }
        if (perRow) {
          rowText.length = 0;
          for (const list of chosen) list.length = 0;
          answered.fill(0);
        }
        field = 0;
        empty = true;
        high = 0;
        lineStart = i + 1;
      } else {
        field++;
      }
      start = i + 1;
    }
    return true;
  }

  /** The option a cell stands for, -1 for no answer, undefined when it is none of the question's. */
  private option(q: number, bytes: Uint8Array, start: number, end: number): number | undefined {
    const length = end - start;
    // cells of up to two bytes (numeric codes, "", "si"): a table indexed by the bytes
    let slot = -1;
    if (length <= 2) {
      slot =
        length === 0
          ? 0
          : length === 1
            ? 1 + (bytes[start] as number)
            : 257 + ((bytes[start] as number) << 8) + (bytes[start + 1] as number);
      const known = (this.short[q] as Int16Array)[slot] as number;
      if (known !== 0) return known - 2;
    }
    let hash = FNV_OFFSET;
    for (let k = start; k < end; k++) hash = Math.imul(hash ^ (bytes[k] as number), FNV_PRIME);
    const key = (hash ^ length) & 0x3fffffff;
    const known = (this.known[q] as Map<number, Known>).get(key);
    if (known) {
      const b = known.bytes;
      if (b.length === end - start) {
        let same = true;
        for (let k = 0; k < b.length; k++)
          if (b[k] !== bytes[start + k]) {
            same = false;
            break;
          }
        if (same) return known.option;
      }
      return undefined; // a collision: rare enough to leave to the full reader
    }
    let text: string;
    try {
      text = utf8.decode(bytes.subarray(start, end));
    } catch {
      return undefined;
    }
    const cell = (this.readers[q] as (raw: string) => Cell | CellProblem)(text);
    if (isProblem(cell)) return undefined;
    // a single question's option; any other's index among the distinct answers met
    const option = cell === null ? -1 : typeof cell === 'number' ? cell : this.classOf(q, cell);
    if (slot !== -1) (this.short[q] as Int16Array)[slot] = option + 2;
    else (this.known[q] as Map<number, Known>).set(key, { bytes: bytes.slice(start, end), option });
    return option;
  }

  /** The index of a multiple or numeric question's answer among those met so far. */
  private classOf(q: number, key: string): number {
    const index = this.keyIndex[q] as Map<string, number>;
    let at = index.get(key);
    if (at === undefined) {
      at = index.size;
      index.set(key, at);
      (this.keys[q] as string[]).push(key);
      (this.valueCounts[q] as number[]).push(0);
    }
    return at;
  }

  /** A 0/1 column's cell: chosen, not chosen, blank; undefined when it is neither. */
  private dichotomy(bytes: Uint8Array, start: number, end: number): boolean | null | undefined {
    if (end - start === 1) {
      if (bytes[start] === 49) return true;
      if (bytes[start] === 48) return false;
    }
    let text: string;
    try {
      text = utf8.decode(bytes.subarray(start, end));
    } catch {
      return undefined;
    }
    const value = dichotomy(text, '');
    return isProblem(value) ? undefined : value;
  }

  /** Increasing numbers need no memory; other ids are remembered. */
  private checkId(bytes: Uint8Array, start: number, end: number): boolean {
    if (end === start) return false;
    if (this.numericIds !== false) {
      let value = 0;
      let digits = true;
      for (let k = start; k < end; k++) {
        const d = (bytes[k] as number) - 48;
        if (d < 0 || d > 9) {
          digits = false;
          break;
        }
        value = value * 10 + d;
      }
      if (this.numericIds === undefined) this.numericIds = digits && end - start < 16;
      if (this.numericIds) {
        if (!digits || end - start >= 16 || value <= this.lastId) return false;
        this.lastId = value;
        return true;
      }
    }
    this.ids ??= new Set();
    const id = Buffer.from(bytes.buffer, bytes.byteOffset + start, end - start)
      .toString('utf8')
      .trim();
    if (id === '' || this.ids.has(id)) return false;
    this.ids.add(id);
    return true;
  }
}

/**
 * Counts a responses file: streamed by `PlainTally` when it is plain, else read whole by
 * `parseResponses` (every dialect; the exact error when the file is wrong).
 */
export async function tallyFile(
  root: string,
  shownAs: string,
  codebook: Codebook,
): Promise<{ tally: Tally; dialect: CsvDialect }> {
  const path = join(root, shownAs);
  const plain = new PlainTally(codebook, shownAs);
  try {
    for await (const chunk of createReadStream(path, { highWaterMark: 1 << 20 }))
      if (!plain.push(chunk as Buffer)) break;
  } catch (error) {
    throw readError(error, shownAs, root);
  }
  const tally = plain.end();
  if (tally && plain.dialect) return { tally, dialect: plain.dialect };
  return fullTally(await readFile(path), shownAs, codebook);
}

/** The full reader's counts: every dialect, and the exact error of a wrong file. */
function fullTally(
  bytes: Uint8Array,
  file: string,
  codebook: Codebook,
): { tally: Tally; dialect: CsvDialect } {
  const responses = parseResponses(bytes, file, codebook);
  return { tally: tallyAnswers(codebook, responses), dialect: responses.dialect };
}

/** Counts a responses file already in memory, as `tallyFile` does one on disk. */
export function tallyBytes(
  bytes: Uint8Array,
  file: string,
  codebook: Codebook,
): { tally: Tally; dialect: CsvDialect } {
  const plain = new PlainTally(codebook, file);
  const tally = plain.push(bytes) ? plain.end() : undefined;
  if (tally && plain.dialect) return { tally, dialect: plain.dialect };
  return fullTally(bytes, file, codebook);
}
