import type { QuestionType } from '../load/codebook.js';

/** One hash option a helper may take (`digits=1`): what values it takes, which questions it fits. */
export interface OptionRule {
  /** The values it takes, in words, for the error message. */
  takes: string;
  valid: (value: unknown) => boolean;
  /** The types of question it applies to; any when absent. */
  types?: readonly QuestionType[];
}

const whole =
  (min: number, max: number) =>
  (value: unknown): boolean =>
    Number.isInteger(value) && (value as number) >= min && (value as number) <= max;
const oneOf =
  (...values: string[]) =>
  (value: unknown): boolean =>
    typeof value === 'string' && values.includes(value);
const name = (value: unknown): boolean =>
  typeof value === 'string' && /^[a-z][a-z0-9_-]*$/.test(value);

/**
 * Every hash option of every helper. A later option (a subgroup `where=`, a `by=`) is one rule
 * here and its name in the lists of the helpers that take it.
 */
export const OPTION_RULES: Record<string, OptionRule> = {
  digits: { takes: 'a whole number from 0 to 4', valid: whole(0, 4) },
  top: {
    takes: 'a whole number of options, from 1',
    valid: whole(1, 100),
    types: ['ordinal'],
  },
  bottom: {
    takes: 'a whole number of options, from 1',
    valid: whole(1, 100),
    types: ['ordinal'],
  },
  base: {
    takes: '"valid" (of those who answered) or "all" (of every respondent)',
    valid: oneOf('valid', 'all'),
    types: ['single', 'ordinal', 'multiple', 'numeric'],
  },
  max: { takes: 'a whole number of answers, from 1', valid: whole(1, 1_000_000), types: ['text'] },
  sort: {
    takes: '"agree" (most agreement first), "disagree", or "questionnaire"',
    valid: oneOf('agree', 'disagree', 'questionnaire'),
  },
  section: { takes: 'a section id', valid: name },
  by: {
    takes: 'the id of a question to group by (single, ordinal, or numeric with bins)',
    valid: name,
  },
  where: {
    takes: 'a subgroup, e.g. "sex=female;region=north,south" (";" is and, "," is or)',
    valid: (value: unknown) => typeof value === 'string' && value.includes('='),
  },
  percent: {
    takes: '"column" (the default), "row" or "total"',
    valid: oneOf('column', 'row', 'total'),
  },
  test: {
    takes:
      '"auto" (χ², with Fisher for a 2×2 with low expected counts), "chi2", "fisher", "mann-whitney" or "none"',
    valid: oneOf('auto', 'chi2', 'fisher', 'mann-whitney', 'none'),
  },
  weighted: {
    takes: 'true (print weighted counts) or false (unweighted, the default)',
    valid: (value: unknown) => typeof value === 'boolean',
  },
};

/** The hash options each helper takes; a helper not listed takes none. */
export const HELPER_OPTIONS: Record<string, readonly string[]> = {
  pct: ['digits', 'top', 'bottom', 'base', 'where'],
  count: ['top', 'bottom', 'where', 'weighted'],
  ci: ['digits', 'top', 'bottom', 'where'],
  mean: ['digits'],
  median: ['digits'],
  sd: ['digits'],
  min: ['digits'],
  max: ['digits'],
  q1: ['digits'],
  q3: ['digits'],
  table: ['base'],
  frequencies: [],
  summary: ['digits'],
  answers: ['max'],
  likert: ['sort', 'section'],
  reported: [],
  crosstab: ['by', 'where', 'percent', 'test', 'weighted'],
  chart: ['by', 'where'],
  n: ['where'],
};

/** The closest known name to a misspelt one (at most two edits away), for "did you mean". */
export function closest(word: string, known: readonly string[]): string | undefined {
  let best: string | undefined;
  let bestDistance = 3;
  for (const candidate of known) {
    const d = distance(word, candidate);
    if (d < bestDistance) {
      best = candidate;
      bestDistance = d;
    }
  }
  return best;
}

function distance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    let previous = row[0] as number;
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const current = row[j] as number;
      row[j] = Math.min(
        (row[j] as number) + 1,
        (row[j - 1] as number) + 1,
        previous + (a[i - 1] === b[j - 1] ? 0 : 1),
      );
      previous = current;
    }
  }
  return row[b.length] as number;
}
