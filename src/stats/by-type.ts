import type { Question, QuestionType } from '../load/codebook.js';
import type { QuestionTally } from '../load/tally.js';
import { multipleResult } from './multiple.js';
import { numericResult } from './numeric.js';
import { ordinalResult } from './ordinal.js';
import type { QuestionResult } from './result.js';
import { singleResult } from './single.js';
import { textResult } from './text.js';

/** The statistics of each type of question, one module each. */
export const statsByType: Record<
  QuestionType,
  (q: Question, t: QuestionTally | undefined) => QuestionResult
> = {
  single: singleResult,
  ordinal: ordinalResult,
  multiple: multipleResult,
  numeric: numericResult,
  text: textResult,
};
