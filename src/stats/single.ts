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

/** A single-choice question: one option per answer. */
export function singleResult(q: Question, t: QuestionTally | undefined): QuestionResult {
  const counts = t?.counts ?? [];
  const missing = t?.missing ?? 0;
  const n = counts.reduce((sum, c) => sum + c, 0);
  const result: QuestionResult = { id: q.id, n, missing, options: optionResults(q, counts, n) };
  if (q.base === 'all') result.base = 'all';
  return result;
}
