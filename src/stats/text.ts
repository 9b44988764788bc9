import type { Question } from '../load/codebook.js';
import type { QuestionTally } from '../load/tally.js';
import type { QuestionResult } from './result.js';

/** An open question: answered and blank counts; its answers only where the codebook publishes them. */
export function textResult(q: Question, t: QuestionTally | undefined): QuestionResult {
  const texts = t?.texts ?? [];
  return {
    id: q.id,
    type: 'text',
    n: texts.length,
    missing: t?.missing ?? 0,
    options: [],
    text: q.publish === true ? { answers: [...texts] } : {},
  };
}
