import { InputError } from '../errors.js';
import { parseCodebook } from '../load/codebook.js';
import { ColumnSummary, summarize } from './summary.js';

/** The question types `report init` tells apart. */
export type QuestionType = 'single' | 'ordinal' | 'multiple' | 'numeric' | 'text';

/** What a column's values say about its question. */
export interface ColumnEvidence {
  /** The non-blank values, as text: themselves, or their summary as the file was read. */
  values: readonly string[] | ColumnSummary;
  /** Whether the file labels the values (SPSS value labels). */
  labelled: boolean;
  /** The separator when cells hold several choice codes. */
  separator?: string;
  /** An SPSS variable's measurement level, when the file records it. */
  level?: 'nominal' | 'ordinal' | 'scale';
}

/**
 * Guesses a question's type from its values: numeric when every value is a number, with more than
 * 15 distinct values and no value labels; multiple when cells hold several choice codes; text when
 * at least 90 % of values are distinct and their median length is 20 characters or more; else single.
 * An SPSS measurement level comes first: scale is numeric (when every value is a number),
 * ordinal is ordinal. (Whether a single question's options form a scale is `likertLike`'s.)
 * A column with more distinct values than a summary counts (thousands) is numeric when every
 * value is a number, multiple when its cells hold several choice codes, else text: too many
 * answers to be options.
 */
export function guessType(evidence: ColumnEvidence): QuestionType {
  const { labelled, level } = evidence;
  const values =
    evidence.values instanceof ColumnSummary ? evidence.values : summarize(evidence.values);
  if (values.count === 0) return 'single';
  if (level === 'scale' && values.allNumbers) return 'numeric';
  const several = evidence.separator !== undefined || values.separator !== undefined;
  if (values.overflowed) return values.allNumbers ? 'numeric' : several ? 'multiple' : 'text';
  if (level === 'ordinal') return 'ordinal';
  const distinct = values.distinct;
  if (!labelled && distinct > 15 && values.allNumbers) return 'numeric';
  if (several) return 'multiple';
  if (!labelled && distinct >= 0.9 * values.count && values.medianLength >= 20) return 'text';
  return 'single';
}

/**
 * The separator of cells that hold several choice codes (KoboToolbox and ODK write them
 * space-separated): some cell holds two or more codes, every code is an identifier that also
 * stands alone or recurs, and there are fewer codes than distinct cells.
 */
export function multipleSeparator(values: readonly string[] | ColumnSummary): string | undefined {
  return (values instanceof ColumnSummary ? values : summarize(values)).separator;
}

/** Words that mark the ends of a rating scale (Likert-like), in Spanish and English. */
const INTENSIFIER =
  /^(muy|totalmente|completamente|extremadamente|very|strongly|completely|totally|extremely)\b/i;
const ENDS: [RegExp, RegExp][] = [
  [/^nunca\b/i, /^siempre\b/i],
  [/^never\b/i, /^always\b/i],
  [/^nada\b/i, /^(mucho|muchísimo|totalmente)\b/i],
  [/^not at all\b/i, /^(very|extremely|completely)\b/i],
  [/^(p[ée]sim|muy mal)/i, /^(excelente|muy bien)/i],
  [/^(poor|very poor|very bad)\b/i, /^(excellent|very good)\b/i],
];

/**
 * Whether option labels, in their order, form a rating scale: three to eleven options whose
 * first and last both start with an intensifier ("Muy insatisfecho" … "Muy satisfecho",
 * "Strongly disagree" … "Strongly agree") or are a known pair of ends ("Nunca" … "Siempre").
 */
export function likertLike(labels: readonly string[]): boolean {
  if (labels.length < 3 || labels.length > 11) return false;
  const first = (labels[0] ?? '').trim();
  const last = (labels[labels.length - 1] ?? '').trim();
  if (
    INTENSIFIER.test(first) &&
    INTENSIFIER.test(last) &&
    first.toLowerCase() !== last.toLowerCase()
  )
    return true;
  return ENDS.some(([a, b]) => (a.test(first) && b.test(last)) || (b.test(first) && a.test(last)));
}

/**
 * Whether the codebook takes a question as drafted. The question is tried in a codebook of its
 * own through the codebook's own parser (schema and cross-checks). A question the codebook does
 * not take is left out of the draft and its column listed in ignore_columns.
 */
export function codebookTakes(question: Record<string, unknown>): boolean {
  const languages = Object.keys((question.text as Record<string, string> | undefined) ?? {});
  const text = Object.fromEntries(languages.map((l) => [l, 'x']));
  const codebook = {
    study: {
      id: 'draft',
      title: text,
      institution: 'x',
      year: 2000,
      repository: 'x',
      handle: 'x',
      population: text,
      languages: languages.map((code) => ({ code, locale: code, name: code })),
      data: { status: 'original', note: text, respondent_id: null },
    },
    sections: [{ id: 'any', title: text }],
    questions: [{ ...question, section: 'any' }],
  };
  try {
    parseCodebook(JSON.stringify(codebook), 'draft');
    return true;
  } catch (error) {
    if (error instanceof InputError) return false;
    throw error;
  }
}
