import { isUtf8 } from 'node:buffer';
import { parse } from 'csv-parse/sync';
import { InputError } from '../errors.js';
import {
  type Cell,
  type CellProblem,
  type CountedAnswers,
  cellReader,
  choicesKey,
  dichotomy,
  isProblem,
  valueTally,
} from './answers.js';
import { type Codebook, categories, normalizeSpelling, type Question } from './codebook.js';
import { sniffDelimiter } from './dialect.js';
import { IdSet, latin1 } from './ids.js';
import {
  type ColumnMap,
  type CsvDialect,
  MAX_RECORD_BYTES,
  mapColumns,
  parseResponses,
  streamResponses,
} from './responses.js';
import { detectEncoding, type Encoding, fileChunks, firstGuess, ToUtf8 } from './stream.js';

/** Answers counted, not kept: per question, the count of each option (codebook order) and the missing. */
export interface Tally {
  respondents: number;
  questions: QuestionTally[];
}

/**
 * One question counted: per option the answers choosing it (a multiple question's
 * respondents), the blank answers, a multiple or numeric question's distinct answers with
 * their counts (`values`), a text question's open answers in data order (`texts`).
 */
export type QuestionTally = CountedAnswers;

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
      const index = new Map(categories(q).map((o, i) => [o.code, i]));
      const counts = categories(q).map(() => 0);
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

/** How a question's cells are counted. */
const SINGLE = 0;
const VALUES = 1;
const TEXT = 2;
const DICHOTOMY = 3;

const LF = 10;
const CR = 13;
const QUOTE = 34;
const SP = 32;
const TAB = 9;
const FNV_OFFSET = 0x811c9dc5;
const FNV_PRIME = 16777619;
/** The header is read once this much of the file is in (the delimiter is sniffed from it). */
const HEAD_BYTES = 1 << 20;
/** How much of the next chunk completes a record cut at a chunk's end, without copying the chunk. */
const WINDOW = 64 * 1024;
const utf8 = new TextDecoder('utf-8', { fatal: true });

/** A spelling met before, by the hash of its bytes (kept to rule out collisions). */
interface Known {
  bytes: Uint8Array;
  /** Option index (a multiple or numeric question's: index among its distinct answers), or -1 for no answer. */
  option: number;
  /** Another spelling with the same key. */
  next: Known | undefined;
}

/**
 * Why the fast reader gave a file up: bytes that are not UTF-8 (another encoding), a repeated
 * respondent id (second pass), or anything else it leaves to the reader of record.
 */
export type Failure = 'encoding' | 'duplicate' | 'other';

/**
 * Counts a responses file as its UTF-8 bytes stream by, holding one record at a time: any
 * one-byte delimiter, quoted fields (with doubled quotes and line breaks inside), CRLF, LF or
 * CR line ends, a byte order mark, blank lines and blank records, headerless empty columns.
 * Each distinct cell spelling (by its raw bytes, quotes included) is read once — unquoted,
 * normalised, matched to its option — and later recognised by its bytes alone.
 *
 * Respondent ids go into an `IdSet`: when it names suspects, a second pass with `confirm`
 * decides them exactly. Anything wrong makes it give up (`push` returns false, `failure` says
 * why): the caller then reads the file with the reader of record (csv-parse), which words
 * every error.
 */
export class ByteTally {
  private pending: Uint8Array | undefined;
  private delimiter = -1;
  private width = 0;
  /** For each column: the question's index, -1 (nothing to check) or -2 (must stay blank). */
  private questionAt: Int32Array = new Int32Array(0);
  private idIndex = -1;
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
  /** Whether some question is read from a whole row (open answers, 0/1 columns). */
  private perRow = false;
  /** The row being read: its open answers, and its multiple questions' 0/1 columns. */
  private rowText: (string | null)[] = [];
  private chosen: number[][] = [];
  private answeredQ: Uint8Array = new Uint8Array(0);
  private counts: Float64Array[] = [];
  private missing: Float64Array = new Float64Array(0);
  private row: Int32Array = new Int32Array(0);
  private rows = 0;
  private started = false;
  private readonly seen: Set<string> | undefined;
  readonly ids = new IdSet();
  failure: Failure | undefined;
  dialect: CsvDialect | undefined;

  constructor(
    private readonly codebook: Codebook,
    private readonly file: string,
    private readonly options: {
      /** The encoding the bytes were read in (they arrive as UTF-8). */
      encoding?: Encoding;
      /** Second pass: only the ids, each suspect checked for a second occurrence. */
      confirm?: Set<string>;
    } = {},
  ) {
    const pinned = codebook.study.data.csv;
    if (pinned?.delimiter) this.delimiter = pinned.delimiter.charCodeAt(0);
    if (options.confirm) this.seen = new Set();
  }

  /** Feeds the next bytes; false once the file is not one this reader takes. */
  push(chunk: Uint8Array): boolean {
    if (this.failure) return false;
    let bytes = chunk;
    const pending = this.pending;
    if (pending) {
      this.pending = undefined;
      if (this.started && chunk.length > WINDOW) {
        // the record cut at the chunk's start, completed from its first bytes: no copy of the rest
        const head = Buffer.concat([pending, chunk.subarray(0, WINDOW)]);
        const stop = this.process(head, 0);
        if (stop < 0) return false;
        if (stop >= pending.length) return this.body(chunk, stop - pending.length);
      }
      bytes = Buffer.concat([pending, chunk]);
    }
    if (!this.started) {
      if (bytes.length < HEAD_BYTES) {
        this.pending = bytes === chunk ? chunk.slice() : bytes;
        return true;
      }
      const from = this.readHeader(bytes, false);
      if (from < 0) return false;
      return this.body(bytes, from);
    }
    return this.body(bytes, 0);
  }

  /** The counts, or undefined when the file must be read by the reader of record. */
  end(): Tally | undefined {
    if (this.failure) return undefined;
    let bytes: Uint8Array<ArrayBufferLike> = this.pending ?? new Uint8Array(0);
    this.pending = undefined;
    let from = 0;
    if (!this.started) {
      from = this.readHeader(bytes, true);
      if (from < 0) return undefined;
    }
    if (from < bytes.length) {
      bytes = Buffer.concat([bytes.subarray(from), Uint8Array.of(LF)]);
      if (!this.body(bytes, 0)) return undefined;
      if (this.pending) return this.give('other'); // a quoted field never closed
    }
    if (this.rows === 0 || !this.dialect) return this.give('other');
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

  private give(failure: Failure): undefined {
    this.fail(failure);
    return undefined;
  }

  private stop(failure: Failure): false {
    this.fail(failure);
    return false;
  }

  private fail(failure: Failure): -1 {
    this.failure = failure;
    this.pending = undefined;
    return -1;
  }

  /**
   * Reads the first record as the header (with csv-parse, on the decoded start of the file,
   * after the delimiter is sniffed from it); returns where the body starts, or -1.
   */
  private readHeader(bytes: Uint8Array, final: boolean): number {
    this.started = true;
    const encoding = this.options.encoding ?? {
      encoding: 'utf-8',
      by: 'valid UTF-8' as const,
      skip: 0,
    };
    let start = 0;
    let by: string = encoding.by;
    if (
      /^utf-?8$/i.test(encoding.encoding) &&
      bytes[0] === 0xef &&
      bytes[1] === 0xbb &&
      bytes[2] === 0xbf
    ) {
      start = 3;
      if (encoding.by !== 'pinned') by = 'byte order mark';
    }
    const cut = final ? bytes.length : bytes.lastIndexOf(LF) + 1;
    if (cut <= start) return this.fail('other');
    const head = bytes.subarray(start, cut);
    if (!isUtf8(head)) return this.fail('encoding');
    const text = utf8.decode(head).replace(/\r\n?/g, '\n');
    if (text.length < 64 * 1024 && !final) return this.fail('other');
    if (text.includes('\0')) return this.fail('other');
    if (this.delimiter === -1) this.delimiter = sniffDelimiter(text).charCodeAt(0);
    const delimiter = String.fromCharCode(this.delimiter);
    let header: string[];
    let lines: number;
    try {
      const records = parse(text, {
        delimiter,
        info: true,
        relax_column_count: true,
        skip_empty_lines: true,
        skip_records_with_empty_values: true,
        max_record_size: MAX_RECORD_BYTES,
        to: 1,
      }) as unknown as { record: string[]; info: { lines: number } }[];
      const first = records[0];
      if (!first) return this.fail('other');
      header = first.record;
      lines = first.info.lines;
    } catch {
      return this.fail('other');
    }
    let map: ColumnMap;
    try {
      // a column with neither header nor values is skipped: its values are checked as they come
      map = mapColumns(header, this.file, lines, this.codebook, () => true);
    } catch (error) {
      if (error instanceof InputError) return this.fail('other');
      throw error;
    }
    this.width = header.length;
    this.idIndex = map.idIndex;
    this.questionAt = new Int32Array(this.width).fill(-1);
    this.optionAt = new Int32Array(this.width).fill(-1);
    header.forEach((name, i) => {
      if (normalizeSpelling(name) === '' && i !== map.idIndex) this.questionAt[i] = -2;
    });
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
      this.counts.push(new Float64Array(categories(q).length));
      this.keyIndex.push(new Map());
      this.keys.push([]);
      this.valueCounts.push([]);
      this.texts.push([]);
    });
    this.perRow = this.kinds.some((k) => k === TEXT || k === DICHOTOMY);
    this.rowText = this.codebook.questions.map(() => null);
    this.chosen = this.codebook.questions.map(() => []);
    this.answeredQ = new Uint8Array(this.codebook.questions.length);
    this.missing = new Float64Array(this.codebook.questions.length);
    this.row = new Int32Array(this.codebook.questions.length);
    this.dialect = {
      encoding: encoding.encoding,
      encodingBy: by,
      delimiter,
      delimiterBy: this.codebook.study.data.csv?.delimiter ? 'pinned' : 'detected',
      rows: 0,
      columns: map.columns,
    };
    // the body starts after the header record's last line
    let offset = start;
    for (let line = 0; line < lines; line++) {
      while (offset < bytes.length && bytes[offset] !== LF && bytes[offset] !== CR) offset++;
      if (offset >= bytes.length) return bytes.length;
      offset += bytes[offset] === CR && bytes[offset + 1] === LF ? 2 : 1;
    }
    return offset;
  }

  /** Counts the complete records from `from` on and keeps the rest for the next chunk. */
  private body(bytes: Uint8Array, from: number): boolean {
    const stop = this.process(bytes, from);
    if (stop < 0) return false;
    if (stop < bytes.length) {
      // a record longer than any answer can be: the reader of record says what is wrong
      if (bytes.length - stop > MAX_RECORD_BYTES) return this.stop('other');
      this.pending = bytes.slice(stop);
    }
    return true;
  }

  /** Checks (no NUL, valid UTF-8) and counts the complete records from `from` on; where they end, or -1. */
  private process(bytes: Uint8Array, from: number): number {
    if (bytes.indexOf(0, from) !== -1) return this.fail('other');
    const lastLf = bytes.lastIndexOf(LF);
    if (lastLf >= from && !isUtf8(bytes.subarray(from, lastLf + 1))) return this.fail('encoding');
    return this.scan(bytes, from);
  }

  /** Counts the complete records in bytes[from…); returns where the first incomplete one starts. */
  private scan(bytes: Uint8Array, from: number): number {
    const n = bytes.length;
    const delimiter = this.delimiter;
    const width = this.width;
    const questionAt = this.questionAt;
    const idIndex = this.idIndex;
    const row = this.row;
    const confirm = this.seen !== undefined;
    const kinds = this.kinds;
    const optionAt = this.optionAt;
    const perRow = this.perRow && !confirm;
    const rowText = this.rowText;
    const chosen = this.chosen;
    const answeredQ = this.answeredQ;
    let i = from;
    while (i < n) {
      const recordStart = i;
      if (perRow) {
        rowText.fill(null);
        for (const list of chosen) list.length = 0;
        answeredQ.fill(0);
      }
      let field = 0;
      let idStart = -1;
      let idEnd = -1;
      let answered = false;
      for (;;) {
        const start = i;
        if (bytes[i] === QUOTE) {
          let q = i + 1;
          for (;;) {
            q = bytes.indexOf(QUOTE, q);
            if (q === -1 || q + 1 >= n) return recordStart;
            if (bytes[q + 1] === QUOTE) q += 2;
            else break;
          }
          i = q + 1;
          const c = bytes[i];
          if (c !== delimiter && c !== LF && c !== CR) return this.fail('other');
        } else {
          while (i < n) {
            const c = bytes[i] as number;
            if (c === delimiter || c === LF || c === CR) break;
            if (c === QUOTE) return this.fail('other');
            i++;
          }
          if (i >= n) return recordStart;
        }
        if (field < width) {
          const q = questionAt[field] as number;
          if (q >= 0) {
            if (!confirm) {
              const kind = kinds[q];
              if (kind === TEXT) {
                const cell = this.text(q, bytes, start, i);
                if (cell === undefined) return -1;
                rowText[q] = cell;
                if (cell !== null) answered = true;
              } else if (kind === DICHOTOMY) {
                const value = this.dichotomy(bytes, start, i);
                if (value === undefined) return -1;
                if (value !== null) {
                  answered = true;
                  answeredQ[q] = 1;
                  if (value) (chosen[q] as number[]).push(optionAt[field] as number);
                }
              } else {
                const option = this.option(q, bytes, start, i);
                if (option === undefined) return -1;
                row[q] = option;
                if (option !== -1) answered = true;
              }
            }
          } else if (field === idIndex) {
            idStart = start;
            idEnd = i;
          } else if (q === -2 && !blankCell(bytes, start, i)) return this.fail('other');
        }
        const c = bytes[i];
        if (c === delimiter) {
          field++;
          i++;
          if (i >= n) return recordStart;
          continue;
        }
        if (c === CR) {
          if (i + 1 >= n) return recordStart;
          i += bytes[i + 1] === LF ? 2 : 1;
        } else i++;
        break;
      }
      // a complete record: skipped when every field is blank, as the reader of record does
      if (
        !answered &&
        (idIndex === -1 || blankCell(bytes, idStart, idEnd)) &&
        blankRecord(bytes, recordStart, i, delimiter)
      )
        continue;
      if (field + 1 !== width) return this.fail('other');
      if (idIndex !== -1 && !this.checkId(bytes, idStart, idEnd)) return -1;
      this.rows++;
      if (confirm) continue;
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
          if (answeredQ[q] === 0) option = -1;
          else {
            const key = choicesKey(this.codebook.questions[q] as Question, chosen[q] as number[]);
            if (isProblem(key)) return this.fail('other');
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
    }
    return i;
  }

  /** The option a cell stands for, -1 for no answer, undefined (and failed) when it is none. */
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
    // a key from the length and five of the bytes; the bytes compared in full
    const mid = start + (length >>> 1);
    let key = Math.imul(FNV_OFFSET ^ length, FNV_PRIME);
    key = Math.imul(key ^ (bytes[start] as number), FNV_PRIME);
    key = Math.imul(key ^ (bytes[start + 1] as number), FNV_PRIME);
    key = Math.imul(key ^ (bytes[mid] as number), FNV_PRIME);
    key = Math.imul(key ^ (bytes[end - 2] as number), FNV_PRIME);
    key = Math.imul(key ^ (bytes[end - 1] as number), FNV_PRIME) & 0x3fffffff;
    const first = (this.known[q] as Map<number, Known>).get(key);
    for (let known = first; known; known = known.next)
      if (same(known.bytes, bytes, start, end)) return known.option;
    const text = cellText(bytes, start, end);
    if (text === undefined) {
      this.fail('encoding');
      return undefined;
    }
    const cell = (this.readers[q] as (raw: string) => Cell | CellProblem)(text);
    if (isProblem(cell)) {
      this.fail('other');
      return undefined;
    }
    // a single or ordinal question's option; any other's index among the distinct answers met
    const option = cell === null ? -1 : typeof cell === 'number' ? cell : this.classOf(q, cell);
    // (an index beyond what the table holds is remembered by its bytes instead)
    if (slot !== -1 && option < 0x7ffd) (this.short[q] as Int16Array)[slot] = option + 2;
    else
      (this.known[q] as Map<number, Known>).set(key, {
        bytes: bytes.slice(start, end),
        option,
        next: first,
      });
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

  /** An open answer (null for none); undefined (and failed) when its bytes are not UTF-8. */
  private text(
    q: number,
    bytes: Uint8Array,
    start: number,
    end: number,
  ): string | null | undefined {
    const text = cellText(bytes, start, end);
    if (text === undefined) {
      this.fail('encoding');
      return undefined;
    }
    const cell = (this.readers[q] as (raw: string) => Cell | CellProblem)(text);
    if (isProblem(cell) || typeof cell === 'number') {
      this.fail('other');
      return undefined;
    }
    return cell;
  }

  /** A 0/1 column's cell: chosen, not chosen, blank; undefined (and failed) when it is neither. */
  private dichotomy(bytes: Uint8Array, start: number, end: number): boolean | null | undefined {
    if (end - start === 1) {
      if (bytes[start] === 49) return true;
      if (bytes[start] === 48) return false;
    }
    const text = cellText(bytes, start, end);
    if (text === undefined) {
      this.fail('encoding');
      return undefined;
    }
    const value = dichotomy(text, '');
    if (isProblem(value)) {
      this.fail('other');
      return undefined;
    }
    return value;
  }

  /** Checks a respondent id: not blank; in a second pass, a suspect met twice is a duplicate. */
  private checkId(bytes: Uint8Array, start: number, end: number): boolean {
    let s = start;
    let e = end;
    let id: Uint8Array = bytes;
    if (bytes[s] === QUOTE) {
      s++;
      e--;
    }
    while (s < e && (bytes[s] === SP || bytes[s] === TAB)) s++;
    while (e > s && (bytes[e - 1] === SP || bytes[e - 1] === TAB)) e--;
    const a = bytes[s] as number;
    const z = bytes[e - 1] as number;
    let plain = s === e || !(a >= 0x80 || a < 0x20 || z >= 0x80 || z < 0x20);
    if (plain && bytes[start] === QUOTE)
      for (let k = s; k < e; k++)
        if (bytes[k] === QUOTE || bytes[k] === CR || bytes[k] === LF) {
          plain = false;
          break;
        }
    if (!plain) {
      // quotes inside, line breaks, or non-ASCII at the edges: read as the reader of record does
      const text = cellText(bytes, start, end);
      if (text === undefined) return this.stop('encoding');
      id = Buffer.from(text.trim());
      s = 0;
      e = id.length;
    }
    if (e === s) return this.stop('other');
    if (!this.seen) {
      this.ids.add(id, s, e);
      return true;
    }
    const key = latin1(id, s, e);
    if (this.options.confirm?.has(key)) {
      if (this.seen.has(key)) return this.stop('duplicate');
      this.seen.add(key);
    }
    return true;
  }
}

function same(known: Uint8Array, bytes: Uint8Array, start: number, end: number): boolean {
  if (known.length !== end - start) return false;
  for (let k = 0; k < known.length; k++) if (known[k] !== bytes[start + k]) return false;
  return true;
}

const space = (b: number) => b === SP || b === TAB || b === LF || b === CR || b === 11 || b === 12;

/** Whether a cell (quoted or not) holds only white space. */
function blankCell(bytes: Uint8Array, start: number, end: number): boolean {
  let s = start;
  let e = end;
  if (bytes[s] === QUOTE) {
    s++;
    e--;
  }
  for (let k = s; k < e; k++) if (!space(bytes[k] as number)) return false;
  return true;
}

/** Whether every cell of a complete record is blank (it is skipped, as the reader of record does). */
function blankRecord(bytes: Uint8Array, start: number, end: number, delimiter: number): boolean {
  let i = start;
  while (i < end) {
    const cell = i;
    if (bytes[i] === QUOTE) {
      i++;
      while (i < end && !(bytes[i] === QUOTE && bytes[i + 1] !== QUOTE))
        i += bytes[i] === QUOTE ? 2 : 1;
      i++;
    } else while (i < end && bytes[i] !== delimiter && bytes[i] !== LF && bytes[i] !== CR) i++;
    if (!blankCell(bytes, cell, Math.min(i, end))) return false;
    if (bytes[i] !== delimiter) break;
    i++;
  }
  return true;
}

/** A cell's text as the reader of record gives it: unquoted, line ends as \n. */
function cellText(bytes: Uint8Array, start: number, end: number): string | undefined {
  let text: string;
  try {
    text = utf8.decode(bytes.subarray(start, end));
  } catch {
    return undefined;
  }
  if (bytes[start] === QUOTE) text = text.slice(1, -1).replaceAll('""', '"');
  return text.includes('\r') ? text.replace(/\r\n?/g, '\n') : text;
}

/** Feeds chunks of a file through `ToUtf8` into a `ByteTally`; reads on to the end for `onChunk`. */
async function fastPass(
  chunks: AsyncIterable<Uint8Array>,
  codebook: Codebook,
  file: string,
  encoding: Encoding,
  options: { confirm?: Set<string>; onChunk?: (chunk: Uint8Array) => void } = {},
): Promise<ByteTally> {
  const tally = new ByteTally(codebook, file, { encoding, confirm: options.confirm });
  const bytes = new ToUtf8(encoding);
  let alive = true;
  for await (const chunk of chunks) {
    options.onChunk?.(chunk);
    if (alive) alive = tally.push(bytes.push(chunk));
    else if (!options.onChunk) break;
  }
  if (alive) {
    const rest = bytes.end();
    if (rest.length > 0) tally.push(rest);
  }
  return tally;
}

/**
 * Counts a responses file as a stream, in memory that does not grow with its rows: first by
 * `ByteTally` (in the encoding the first bytes suggest, then in the one detected if those
 * were not UTF-8; a second pass when ids need confirming), else by the reader of record
 * (`streamResponses`, csv-parse), which reads every dialect and words every error. `onChunk`
 * sees every byte of the file once (for its checksum).
 */
export async function tallyFile(
  root: string,
  shownAs: string,
  codebook: Codebook,
  options: { onChunk?: (chunk: Uint8Array) => void } = {},
): Promise<{ tally: Tally; dialect: CsvDialect }> {
  const chunks = () => fileChunks(root, shownAs);
  const pinned = codebook.study.data.csv?.encoding;
  let head: Uint8Array = new Uint8Array(0);
  for await (const chunk of chunks()) {
    head = chunk.subarray(0, 4);
    break;
  }
  let encoding = firstGuess(head, shownAs, pinned);
  let fast = await fastPass(chunks(), codebook, shownAs, encoding, { onChunk: options.onChunk });
  let tally = fast.end();
  let detected: Encoding | undefined;
  if (!tally && fast.failure === 'encoding' && !pinned && encoding.by === 'valid UTF-8') {
    detected = await detectEncoding(chunks(), shownAs, pinned);
    if (detected.encoding !== 'utf-8') {
      encoding = detected;
      fast = await fastPass(chunks(), codebook, shownAs, encoding);
      tally = fast.end();
    }
  }
  if (tally && fast.dialect) {
    const suspects = fast.ids.suspects;
    if (suspects.size === 0) return { tally, dialect: fast.dialect };
    const second = await fastPass(chunks(), codebook, shownAs, encoding, { confirm: suspects });
    second.end();
    if (second.failure === undefined) return { tally, dialect: fast.dialect };
  }
  detected ??= await detectEncoding(chunks(), shownAs, pinned);
  return streamResponses(chunks, shownAs, codebook, detected);
}

/** The reader of record's counts of a file in memory: every dialect, and the exact error. */
function fullTally(
  bytes: Uint8Array,
  file: string,
  codebook: Codebook,
): { tally: Tally; dialect: CsvDialect } {
  const responses = parseResponses(bytes, file, codebook);
  return { tally: tallyAnswers(codebook, responses), dialect: responses.dialect };
}

/** Counts a UTF-8 responses file already in memory, as `tallyFile` does one on disk. */
export function tallyBytes(
  bytes: Uint8Array,
  file: string,
  codebook: Codebook,
): { tally: Tally; dialect: CsvDialect } {
  const encoding = firstGuess(bytes, file, codebook.study.data.csv?.encoding);
  if (!/^utf-?8$/i.test(encoding.encoding)) return fullTally(bytes, file, codebook);
  const fast = new ByteTally(codebook, file, { encoding });
  let tally = fast.push(bytes.subarray(encoding.skip)) ? fast.end() : undefined;
  if (tally && fast.ids.suspects.size > 0) {
    const second = new ByteTally(codebook, file, { confirm: fast.ids.suspects });
    if (second.push(bytes.subarray(encoding.skip))) second.end();
    if (second.failure) tally = undefined;
  }
  if (tally && fast.dialect) return { tally, dialect: fast.dialect };
  return fullTally(bytes, file, codebook);
}
