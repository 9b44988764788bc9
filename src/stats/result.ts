import type { Base, QuestionType } from '../load/codebook.js';

export interface OptionResult {
  code: string;
  count: number;
  /**
   * count / n, where n counts the answers given (missing answers excluded); for a multiple
   * question, the share of the respondents who answered that chose the option.
   */
  proportion: number;
  /** 95 % Wilson score interval of the proportion. */
  ci: [number, number];
  /** A weighted study's: the sum of the weights of the respondents who chose it (count stays unweighted). */
  weighted_count?: number;
  /** Withheld from publication (study.disclosure): count, proportion and interval are NaN. */
  suppressed?: true;
}

/** Mean, spread and quartiles of numbers (a numeric question's answers, an ordinal one's scores). */
export interface NumericSummary {
  n: number;
  mean: number;
  /** Sample standard deviation (n − 1 in the denominator); 0 for a single value. */
  sd: number;
  min: number;
  /** Quartiles as SPSS's HAVERAGE computes them (Hyndman and Fan's definition 6). */
  q1: number;
  median: number;
  q3: number;
  max: number;
}

export interface OrdinalSummary {
  /** Per option (scale order): the cumulative share of the answers given. */
  cumulative: number[];
  /** The option at which the cumulative share first reaches one half. */
  median: string | null;
  /** The scores' summary, when the scale has scores. */
  scores?: NumericSummary;
}

export interface MultipleSummary {
  /** Options chosen, all respondents together. */
  responses: number;
  /** Per option: its share of all the options chosen. */
  ofResponses: number[];
  /** How many respondents chose 0, 1, 2… options (index: the number chosen; an exclusive option is none). */
  perRespondent: number[];
  /** Every distinct set of options chosen (codes joined by a space) and its respondents. */
  combinations: [string, number][];
  /** Some combinations are withheld (study.disclosure): those listed do not add up to n. */
  withheld?: true;
}

export interface TextSummary {
  /** The open answers in data order: only for a question whose answers are published. */
  answers?: string[];
  /** Fewer than min_cell answered (study.disclosure): the answers are not published. */
  withheld?: true;
}

export interface QuestionResult {
  id: string;
  /** single when absent. */
  type?: Exclude<QuestionType, 'single'>;
  /** The percentage base when it is not the answers given (valid). */
  base?: Exclude<Base, 'valid'>;
  /** Answers given (respondents who answered). */
  n: number;
  /**
   * Respondents who left the question unanswered or answered in a labelled missing category
   * (counted apart, outside n).
   */
  missing: number;
  /** Per labelled missing category (codebook `missing:`): its answers, part of `missing`. */
  missing_categories?: { code: string; count: number; suppressed?: true }[];
  /** The blanks alone, where some missing categories are withheld (study.disclosure). */
  blanks?: number;
  /**
   * A weighted study's: the sums of weights of those who answered (n) and of those who did not,
   * and Kish's effective sample size of the answers given and of every respondent. The options'
   * proportions and intervals are then weighted; n, missing and the counts stay unweighted.
   */
  weighted?: { n: number; missing: number; effective_n: number; effective_n_all: number };
  /** Where some of its figures are withheld (study.disclosure): the threshold, min_cell. */
  min_cell?: number;
  /** Per option (a numeric question's bins): counts, shares of n, intervals. */
  options: OptionResult[];
  ordinal?: OrdinalSummary;
  multiple?: MultipleSummary;
  numeric?: NumericSummary;
  /** A numeric question without bins: classes of equal width [start, end) and their counts. */
  histogram?: { start: number; end: number; count: number; suppressed?: true }[];
  text?: TextSummary;
}
