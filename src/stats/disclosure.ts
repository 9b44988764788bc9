import type { Codebook } from '../load/codebook.js';
import type { QuestionResult, Results } from './frequencies.js';

/**
 * Statistical disclosure control for what a report publishes: an option chosen by fewer than
 * `min_cell` respondents (but by some) is suppressed, and so are as many of the next smallest
 * cells of the same question as it takes for the suppressed ones not to be worked out from the
 * total: at least two cells, together at least `min_cell`. Empty cells are shown (a zero
 * reveals no one). A suppressed cell's count, proportion and interval become NaN, so that no
 * renderer can print them by mistake (JSON writes them as null); `suppressed` marks it.
 *
 * Verification never sees this: claims are checked against the full results.
 */
export function disclose(codebook: Codebook, results: Results): Results {
  const min = codebook.study.disclosure?.min_cell;
  if (!min) return results;
  return {
    ...results,
    disclosure: { min_cell: min },
    questions: results.questions.map((q) => discloseQuestion(q, min)),
  };
}

function discloseQuestion(q: QuestionResult, min: number): QuestionResult {
  const hidden = new Set(q.options.filter((o) => o.count > 0 && o.count < min).map((o) => o.code));
  if (hidden.size === 0) return q;
  const sum = () => q.options.filter((o) => hidden.has(o.code)).reduce((s, o) => s + o.count, 0);
  // complementary cells: the smallest shown ones, until the hidden ones cannot be told apart
  const shown = q.options
    .filter((o) => o.count > 0 && !hidden.has(o.code))
    .sort((a, b) => a.count - b.count);
  while ((hidden.size < 2 || sum() < min) && shown.length > 0)
    hidden.add((shown.shift() as (typeof shown)[number]).code);
  return {
    ...q,
    min_cell: min,
    options: q.options.map((o) =>
      hidden.has(o.code)
        ? {
            code: o.code,
            count: Number.NaN,
            proportion: Number.NaN,
            ci: [Number.NaN, Number.NaN],
            suppressed: true,
          }
        : o,
    ),
  };
}
