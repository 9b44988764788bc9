import { choicesOf } from '../load/answers.js';
import type { Question } from '../load/codebook.js';
import type { QuestionTally } from '../load/tally.js';
import type { QuestionResult } from './result.js';
import { optionResults } from './single.js';

/**
 * A multiple question ("check all that apply"): per option, the share of the respondents who
 * answered that chose it (these add past 100 %) and its share of all the options chosen; how
 * many options each respondent chose (an exclusive one counting as none); every combination chosen, for counts of "any of".
 */
export function multipleResult(q: Question, t: QuestionTally | undefined): QuestionResult {
  const combinations = t?.values ?? [];
  const counts = t?.counts ?? q.options.map(() => 0);
  const n = combinations.reduce((sum, [, c]) => sum + c, 0);
  const responses = counts.reduce((sum, c) => sum + c, 0);
  const perRespondent = Array.from({ length: q.options.length + 1 }, () => 0);
  for (const [key, count] of combinations) {
    // an exclusive option ("none of these") is no option chosen
    const k = choicesOf(q, key).filter((i) => !q.options[i]?.exclusive).length;
    perRespondent[k] = (perRespondent[k] ?? 0) + count;
  }
  while (perRespondent.length > 1 && perRespondent[perRespondent.length - 1] === 0)
    perRespondent.pop();
  const result: QuestionResult = {
    id: q.id,
    type: 'multiple',
    n,
    missing: t?.missing ?? 0,
    options: optionResults(q, counts, n),
    multiple: {
      responses,
      ofResponses: counts.map((c) => (responses === 0 ? 0 : c / responses)),
      perRespondent,
      combinations: combinations.map(([k, c]) => [k, c]),
    },
  };
  if (q.base === 'all') result.base = 'all';
  return result;
}
