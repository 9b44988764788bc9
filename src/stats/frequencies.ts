import type { Base, Codebook } from '../load/codebook.js';
import type { Responses } from '../load/responses.js';
import { type Tally, tallyAnswers } from '../load/tally.js';
import { statsByType } from './by-type.js';
import type { QuestionResult } from './result.js';

export type { OptionResult, QuestionResult } from './result.js';

/** Everything computed from the responses: plain data, JSON-serialisable. */
export interface Results {
  respondents: number;
  /** Set when small cells are suppressed (see stats/disclosure.ts). */
  disclosure?: { min_cell: number };
  /**
   * A weighted study (study.data.weight): its weight column, the sum of the weights, Kish's
   * effective sample size and design effect. Shares and intervals are weighted; counts are not.
   */
  weighted?: { column: string; respondents: number; effective_n: number; design_effect: number };
  questions: QuestionResult[];
}

/** Counts per-row answers and computes their results. */
export function tabulate(
  codebook: Codebook,
  responses: Pick<Responses, 'ids' | 'answers'>,
): Results {
  return resultsOf(codebook, tallyAnswers(codebook, responses));
}

/** Every question's statistics from the counts, by its type (see `statsByType`). */
export function resultsOf(codebook: Codebook, tally: Tally): Results {
  return {
    respondents: tally.respondents,
    questions: codebook.questions.map((q) =>
      statsByType[q.type](
        q,
        tally.questions.find((x) => x.id === q.id),
      ),
    ),
  };
}

export function questionResult(results: Results, id: string): QuestionResult | undefined {
  return results.questions.find((q) => q.id === id);
}

/**
 * Number of answers falling in a set of options; for a multiple question, the respondents who
 * chose any of them.
 */
export function countOf(question: QuestionResult, codes: readonly string[]): number {
  if (question.multiple && codes.length > 1)
    return question.multiple.combinations
      .filter(([key]) => key.split(' ').some((code) => codes.includes(code)))
      .reduce((sum, [, count]) => sum + count, 0);
  return question.options
    .filter((o) => codes.includes(o.code))
    .reduce((sum, o) => sum + o.count, 0);
}

/** The number percentages are taken of: the answers given (valid) or every respondent (all). */
export function baseCount(question: QuestionResult, base: Base | undefined): number {
  return (base ?? question.base ?? 'valid') === 'all' ? question.n + question.missing : question.n;
}
