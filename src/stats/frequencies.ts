import type { Codebook } from '../load/codebook.js';
import type { Responses } from '../load/responses.js';
import { type Tally, tallyAnswers } from '../load/tally.js';
import { wilson } from './wilson.js';

export interface OptionResult {
  code: string;
  count: number;
  /** count / n, where n counts the answers given (missing answers excluded). */
  proportion: number;
  /** 95 % Wilson score interval of the proportion. */
  ci: [number, number];
  /** Withheld from publication (study.disclosure): count, proportion and interval are NaN. */
  suppressed?: true;
}

export interface QuestionResult {
  id: string;
  /** Answers given. */
  n: number;
  /** Respondents who left the question unanswered (counted apart, outside n). */
  missing: number;
  /** Where some of its cells are withheld (study.disclosure): the threshold, min_cell. */
  min_cell?: number;
  options: OptionResult[];
}

/** Everything computed from the responses: plain data, JSON-serialisable. */
export interface Results {
  respondents: number;
  /** Set when small cells are suppressed (see stats/disclosure.ts). */
  disclosure?: { min_cell: number };
  questions: QuestionResult[];
}

/** Counts per-row answers and computes their results. */
export function tabulate(
  codebook: Codebook,
  responses: Pick<Responses, 'ids' | 'answers'>,
): Results {
  return resultsOf(codebook, tallyAnswers(codebook, responses));
}

/** Proportions and 95 % Wilson intervals from counts. */
export function resultsOf(codebook: Codebook, tally: Tally): Results {
  return {
    respondents: tally.respondents,
    questions: codebook.questions.map((q) => {
      const t = tally.questions.find((x) => x.id === q.id);
      const counts = t?.counts ?? [];
      const missing = t?.missing ?? 0;
      const n = counts.reduce((sum, c) => sum + c, 0);
      return {
        id: q.id,
        n,
        missing,
        options: q.options.map((o, i) => {
          const count = counts[i] ?? 0;
          return { code: o.code, count, proportion: n === 0 ? 0 : count / n, ci: wilson(count, n) };
        }),
      };
    }),
  };
}

export function questionResult(results: Results, id: string): QuestionResult | undefined {
  return results.questions.find((q) => q.id === id);
}

/** Number of answers falling in a set of options. */
export function countOf(question: QuestionResult, codes: readonly string[]): number {
  return question.options
    .filter((o) => codes.includes(o.code))
    .reduce((sum, o) => sum + o.count, 0);
}
