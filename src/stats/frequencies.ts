import type { Codebook } from '../load/codebook.js';
import type { Responses } from '../load/responses.js';
import { wilson } from './wilson.js';

export interface OptionResult {
  code: string;
  count: number;
  /** count / n, where n counts the answers given (missing answers excluded). */
  proportion: number;
  /** 95 % Wilson score interval of the proportion. */
  ci: [number, number];
}

export interface QuestionResult {
  id: string;
  /** Answers given. */
  n: number;
  /** Respondents who left the question unanswered (counted apart, outside n). */
  missing: number;
  options: OptionResult[];
}

/** Everything computed from the responses: plain data, JSON-serialisable. */
export interface Results {
  respondents: number;
  questions: QuestionResult[];
}

export function tabulate(
  codebook: Codebook,
  responses: Pick<Responses, 'ids' | 'answers'>,
): Results {
  return {
    respondents: responses.ids.length,
    questions: codebook.questions.map((q) => {
      const column = responses.answers[q.id] ?? [];
      const counts = new Map<string, number>(q.options.map((o) => [o.code, 0]));
      let missing = 0;
      for (const answer of column) {
        if (answer === null) missing++;
        else counts.set(answer, (counts.get(answer) ?? 0) + 1);
      }
      const n = column.length - missing;
      return {
        id: q.id,
        n,
        missing,
        options: q.options.map((o) => {
          const count = counts.get(o.code) ?? 0;
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
