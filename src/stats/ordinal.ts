import type { Question } from '../load/codebook.js';
import type { QuestionTally } from '../load/tally.js';
import { summarize } from './numeric.js';
import type { QuestionResult } from './result.js';
import { singleResult } from './single.js';

/**
 * An ordinal question: a single question's counts, plus the cumulative shares in scale order,
 * the median category, and the mean and standard deviation of the scores where it has scores.
 */
export function ordinalResult(q: Question, t: QuestionTally | undefined): QuestionResult {
  const base = singleResult(q, t);
  let running = 0;
  const cumulative = base.options.map((o) => {
    running += o.count;
    return base.n === 0 ? 0 : running / base.n;
  });
  // the first category at which half the answers are reached (2·cumulative count ≥ n, in integers)
  let median: string | null = null;
  running = 0;
  for (const o of base.options) {
    running += o.count;
    if (base.n > 0 && 2 * running >= base.n) {
      median = o.code;
      break;
    }
  }
  const scored = q.options.every((o) => o.score !== undefined) && q.options.length > 0;
  const scores = scored
    ? summarize(base.options.map((o, i) => [q.options[i]?.score as number, o.count] as const))
    : undefined;
  return {
    ...base,
    type: 'ordinal',
    ordinal: { cumulative, median, ...(scores ? { scores } : {}) },
  };
}

/** The options counted as a top box (the last k of the scale) or a bottom box (the first k). */
export function boxCodes(q: Question, side: 'top' | 'bottom', k: number): string[] {
  const codes = q.options.map((o) => o.code);
  return side === 'top' ? codes.slice(-k) : codes.slice(0, k);
}
