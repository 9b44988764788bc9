import type { Codebook, Question } from './codebook.js';
import { binOf, normalizeSpelling, optionBySpelling } from './codebook.js';

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
      return (raw) => {
        const key = normalizeSpelling(raw);
        if (key === '') return null;
        return spellings.get(key) ?? unknownOption(question, raw, column);
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
