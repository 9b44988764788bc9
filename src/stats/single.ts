import type { Question } from '../load/codebook.js';
import type { QuestionTally } from '../load/tally.js';
import type { OptionResult, QuestionResult } from './result.js';
import { wilson } from './wilson.js';

/** Counts, shares of the answers given and their 95 % Wilson intervals, per option. */
export function optionResults(q: Question, counts: readonly number[], n: number): OptionResult[] {
  return q.options.map((o, i) => {
    const count = counts[i] ?? 0;
    return { code: o.code, count, proportion: n === 0 ? 0 : count / n, ci: wilson(count, n) };
  });
}

/**
 * A single-choice question: one option per answer. Answers in a labelled missing category
 * (`missing:`, SPSS's user-missing values) are counted per category and, with the blanks, as
 * missing: outside n, so outside the valid percentages.
 */
export function singleResult(q: Question, t: QuestionTally | undefined): QuestionResult {
  const all = t?.counts ?? [];
  const counts = all.slice(0, q.options.length);
  const coded = (q.missing ?? []).map((o, j) => ({
    code: o.code,
    count: all[q.options.length + j] ?? 0,
  }));
  const missing = (t?.missing ?? 0) + coded.reduce((sum, c) => sum + c.count, 0);
  const n = counts.reduce((sum, c) => sum + c, 0);
  const result: QuestionResult = { id: q.id, n, missing, options: optionResults(q, counts, n) };
  if (q.missing) result.missing_categories = coded;
  if (q.base === 'all') result.base = 'all';
  return result;
}
