import type { Codebook, Question } from './codebook.js';
import { binOf, categories, normalizeSpelling, optionBySpelling } from './codebook.js';

/** Why a cell cannot be read, and what would fix it. */
export interface CellProblem {
  problem: string;
  hint?: string;
}

/**
 * What a cell says, per type of question: a single or ordinal question's option index; a
 * multiple question's chosen codes, joined by one space in the codebook's order ("" for none);
 * a number as JavaScript prints it; an open answer's text; null for no answer.
 */
export type Cell = number | string | null;

export const isProblem = (value: unknown): value is CellProblem =>
  typeof value === 'object' && value !== null;

/** Reads one question's cells; the same rules for every reader of responses. */
export function cellReader(
  question: Question,
  codebook: Codebook,
): (raw: string) => Cell | CellProblem {
  const column = question.id;
  switch (question.type) {
    case 'single':
    case 'ordinal': {
      const spellings = optionBySpelling(question);
      // the same few spellings come row after row: each is normalised once (up to a bound)
      const known = new Map<string, number | null>();
      return (raw) => {
        const seen = known.get(raw);
        if (seen !== undefined) return seen;
        const key = normalizeSpelling(raw);
        const found = key === '' ? null : spellings.get(key);
        if (found === undefined) return unknownOption(question, raw, column);
        if (known.size < 4096) known.set(raw, found);
        return found;
      };
    }
    case 'multiple': {
      const choices = choiceReader(question, codebook);
      return (raw) => (normalizeSpelling(raw) === '' ? null : choices(raw));
    }
    case 'numeric': {
      const number = numberReader(question, codebook);
      return (raw) => {
        const text = raw.trim();
        if (text === '') return null;
        const value = number(text, column);
        return typeof value === 'number' ? String(value) : value;
      };
    }
    case 'text':
      return (raw) => {
        const text = raw.trim();
        return text === '' ? null : text;
      };
  }
}

function unknownOption(question: Question, raw: string, column: string): CellProblem {
  return {
    problem: `unknown option "${raw.trim().slice(0, 80)}" in column "${column}"`,
    hint: `its options are ${question.options.map((o) => o.code).join(', ')} (or their labels); add other spellings under accept:, or leave the cell empty for no answer`,
  };
}

/** Separators tried, in order, when the codebook names none. */
const SEPARATORS: (string | RegExp)[] = [';', ',', '|', /\s+/];

/** A multiple question's cell: several codes or labels, split at the separator. */
function choiceReader(
  question: Question,
  codebook: Codebook,
): (raw: string) => string | CellProblem {
  const spellings = optionBySpelling(question);
  const separator = question.multiple?.separator ?? codebook.study.data.multiple?.separator;
  const separators = separator ? [separator] : SEPARATORS;
  return (raw) => {
    const whole = spellings.get(normalizeSpelling(raw));
    if (whole !== undefined) return choicesKey(question, [whole]);
    let firstProblem: CellProblem | undefined;
    for (const sep of separators) {
      const parts = raw
        .split(sep)
        .map(normalizeSpelling)
        .filter((p) => p !== '');
      if (parts.length < 2 && separator === undefined) continue;
      const chosen: number[] = [];
      let unknown: string | undefined;
      for (const part of parts) {
        const index = spellings.get(part);
        if (index === undefined) {
          unknown = part;
          break;
        }
        chosen.push(index);
      }
      if (unknown === undefined) return choicesKey(question, chosen);
      firstProblem ??= unknownOption(question, unknown, question.id);
    }
    return firstProblem ?? unknownOption(question, raw, question.id);
  };
}

/** The canonical answer of a multiple question: its chosen codes in the codebook's order. */
export function choicesKey(question: Question, chosen: readonly number[]): string | CellProblem {
  const set = [...new Set(chosen)].sort((a, b) => a - b);
  if (set.length > 1) {
    const exclusive = set.find((i) => question.options[i]?.exclusive);
    if (exclusive !== undefined)
      return {
        problem: `"${question.options[exclusive]?.code}" of "${question.id}" excludes the other options, and is chosen with ${set
          .filter((i) => i !== exclusive)
          .map((i) => `"${question.options[i]?.code}"`)
          .join(', ')}`,
        hint: 'correct the answer, or drop exclusive: true from the option',
      };
  }
  return set.map((i) => question.options[i]?.code).join(' ');
}

/** The option indices of a canonical multiple answer. */
export function choicesOf(question: Question, key: string): number[] {
  if (key === '') return [];
  const index = new Map(question.options.map((o, i) => [o.code, i]));
  return key.split(' ').map((code) => index.get(code) as number);
}

/** A 0/1 cell of a multiple question's option column: chosen, not chosen, or blank. */
export function dichotomy(raw: string, column: string): boolean | null | CellProblem {
  const key = normalizeSpelling(raw);
  if (key === '') return null;
  if (key === '1' || key === '1.0' || key === 'true') return true;
  if (key === '0' || key === '0.0' || key === 'false') return false;
  return {
    problem: `"${raw.trim().slice(0, 80)}" in column "${column}" is not 0 or 1`,
    hint: 'an option column holds 1 when the option was chosen, 0 when not, empty for no answer',
  };
}

function numberReader(
  question: Question,
  codebook: Codebook,
): (text: string, column: string) => number | CellProblem {
  const comma = codebook.study.data.decimal === ',';
  const pattern = comma ? /^[-+]?\d+(,\d+)?$/ : /^[-+]?(\d+(\.\d*)?|\.\d+)$/;
  return (text, column) => {
    const compact = text.replace(/\s+/g, '');
    if (!pattern.test(compact))
      return {
        problem: `"${text.slice(0, 80)}" in column "${column}" is not a number`,
        hint: comma
          ? 'write numbers with a decimal comma and no thousands separator, e.g. 1234,5 (study.data.decimal is ",")'
          : /^[-+]?\d+,\d+$/.test(compact)
            ? 'the decimal mark is "."; set study.data.decimal: "," to read a decimal comma'
            : 'write numbers with a decimal point and no thousands separator, e.g. 1234.5',
      };
    const value = Number(comma ? compact.replace(',', '.') : compact);
    if (question.min !== undefined && value < question.min)
      return {
        problem: `${text} in column "${column}" is below the minimum ${question.min}`,
        hint: 'correct the value, or change min: in the codebook',
      };
    if (question.max !== undefined && value > question.max)
      return {
        problem: `${text} in column "${column}" is above the maximum ${question.max}`,
        hint: 'correct the value, or change max: in the codebook',
      };
    if (question.options.length > 0 && binOf(question, value) === -1)
      return { problem: `${text} in column "${column}" falls in no bin` };
    return value === 0 ? 0 : value; // no negative zero
  };
}

/** One question's answers counted (the shape of `Tally`'s questions). */
export interface CountedAnswers {
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

/** A multiple or numeric question's tally from the count of each distinct answer. */
export function valueTally(
  q: Question,
  values: Map<string, number>,
  missing: number,
): CountedAnswers {
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

/**
 * Counts the cells of rows read one at a time (as `cellReader` gives them): memory that grows
 * with the distinct answers and the open answers, not with the rows.
 */
export class AnswerCounter {
  private readonly counts: number[][];
  private readonly missing: number[];
  private readonly values: Map<string, number>[];
  private readonly texts: string[][];

  constructor(private readonly codebook: Codebook) {
    this.counts = codebook.questions.map((q) => categories(q).map(() => 0));
    this.missing = codebook.questions.map(() => 0);
    this.values = codebook.questions.map(() => new Map());
    this.texts = codebook.questions.map(() => []);
  }

  /** Adds one row's cells, one per question in codebook order. */
  add(cells: readonly Cell[]): void {
    this.codebook.questions.forEach((q, i) => {
      const cell = cells[i] ?? null;
      if (cell === null) this.missing[i] = (this.missing[i] as number) + 1;
      else if (typeof cell === 'number') {
        const counts = this.counts[i] as number[];
        counts[cell] = (counts[cell] as number) + 1;
      } else if (q.type === 'text') (this.texts[i] as string[]).push(cell);
      else {
        const values = this.values[i] as Map<string, number>;
        values.set(cell, (values.get(cell) ?? 0) + 1);
      }
    });
  }

  result(): CountedAnswers[] {
    return this.codebook.questions.map((q, i) => {
      const missing = this.missing[i] as number;
      if (q.type === 'text') return { id: q.id, counts: [], missing, texts: this.texts[i] ?? [] };
      if (q.type === 'multiple' || q.type === 'numeric')
        return valueTally(q, this.values[i] as Map<string, number>, missing);
      return { id: q.id, counts: this.counts[i] as number[], missing };
    });
  }
}
