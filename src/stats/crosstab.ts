import { choicesOf } from '../load/answers.js';
import { binOf, type Question } from '../load/codebook.js';
import type { Where } from '../load/where.js';
import { type ChiSquare, chiSquare, type FisherExact, fisherExact } from './association.js';
import { effectiveN } from './weights.js';

/** The answers row by row: per question, one answer per respondent (null: none). */
export interface Rows {
  ids: readonly string[];
  answers: Record<string, readonly (string | null)[]>;
  /** One weight per respondent, when the study is weighted. */
  weights?: readonly number[];
}

/** The option indices a respondent's answer falls in (none when it is blank or outside the bins). */
export function answerOptions(q: Question, answer: string | null): number[] {
  if (answer === null) return [];
  if (q.type === 'multiple') return choicesOf(q, answer).filter((i) => i !== undefined);
  if (q.type === 'numeric') {
    const i = binOf(q, Number(answer));
    return i < 0 ? [] : [i];
  }
  const i = q.options.findIndex((o) => o.code === answer);
  return i < 0 ? [] : [i];
}

/** The rows a subgroup condition keeps (every condition holds; within one, any of its options). */
export function selectRows(rows: Rows, where: Where): boolean[] {
  return rows.ids.map((_, r) =>
    where.every(({ question, codes }) => {
      const chosen = answerOptions(question, rows.answers[question.id]?.[r] ?? null);
      return chosen.some((i) => codes.includes(question.options[i]?.code as string));
    }),
  );
}

/** The rows of a subgroup, as `tabulate` reads them. */
export function subsetRows(rows: Rows, keep: readonly boolean[]): Rows {
  const pick = <T>(column: readonly T[]) => column.filter((_, r) => keep[r]);
  const out: Rows = {
    ids: pick(rows.ids),
    answers: Object.fromEntries(Object.entries(rows.answers).map(([id, c]) => [id, pick(c)])),
  };
  if (rows.weights) out.weights = pick(rows.weights);
  return out;
}

/** A cross-tabulation of a question (rows: its options) by a group question (columns: its options). */
export interface Crosstab {
  question: string;
  by: string;
  /** The question's option codes (rows) and the group's (columns). */
  rows: string[];
  columns: string[];
  /** Respondents (weighted: the sum of their weights) per cell. */
  counts: number[][];
  /** Respondents per cell, unweighted (the same as counts without weights). */
  unweighted: number[][];
  /**
   * Per group: respondents who answered both (weighted when weighted). For a single question the
   * sum of its column; for a multiple one the group's respondents who answered, the base of its
   * percentages (an option is a row of its own, the rows add past the total).
   */
  columnTotals: number[];
  /** Per option: respondents who chose it, all groups together. */
  rowTotals: number[];
  total: number;
  /** Unweighted: per group and in all. */
  columnN: number[];
  n: number;
  /** Kish's effective sample size per group and in all, when weighted. */
  effectiveColumnN?: number[];
  effectiveN?: number;
  multiple: boolean;
  weighted: boolean;
}

/**
 * Cross-tabulates `q` by `g`: single, ordinal, binned numeric and multiple questions by a
 * single, ordinal or binned numeric group. Respondents who left either blank are left out.
 */
export function crosstab(
  q: Question,
  g: Question,
  rows: Rows,
  keep?: readonly boolean[],
): Crosstab {
  const r = q.options.length;
  const c = g.options.length;
  const grid = () => Array.from({ length: r }, () => Array.from({ length: c }, () => 0));
  const counts = grid();
  const unweighted = grid();
  const columnTotals = Array.from({ length: c }, () => 0);
  const columnN = Array.from({ length: c }, () => 0);
  const columnWeights: number[][] = Array.from({ length: c }, () => []);
  const qa = rows.answers[q.id] ?? [];
  const ga = rows.answers[g.id] ?? [];
  rows.ids.forEach((_, i) => {
    if (keep && !keep[i]) return;
    const [j] = answerOptions(g, ga[i] ?? null);
    if (j === undefined) return;
    const chosen = answerOptions(q, qa[i] ?? null);
    if (chosen.length === 0 && !(q.type === 'multiple' && qa[i] === '')) return;
    const w = rows.weights?.[i] ?? 1;
    for (const k of chosen) {
      (counts[k] as number[])[j] = ((counts[k] as number[])[j] as number) + w;
      (unweighted[k] as number[])[j] = ((unweighted[k] as number[])[j] as number) + 1;
    }
    columnTotals[j] = (columnTotals[j] as number) + w;
    columnN[j] = (columnN[j] as number) + 1;
    (columnWeights[j] as number[]).push(w);
  });
  const result: Crosstab = {
    question: q.id,
    by: g.id,
    rows: q.options.map((o) => o.code),
    columns: g.options.map((o) => o.code),
    counts,
    unweighted,
    columnTotals,
    rowTotals: counts.map((row) => row.reduce((s, x) => s + x, 0)),
    total: columnTotals.reduce((s, x) => s + x, 0),
    columnN,
    n: columnN.reduce((s, x) => s + x, 0),
    multiple: q.type === 'multiple',
    weighted: rows.weights !== undefined,
  };
  if (rows.weights) {
    result.effectiveColumnN = columnWeights.map((w) => effectiveN(w));
    result.effectiveN = effectiveN(columnWeights.flat());
  }
  return result;
}

export type PercentOf = 'column' | 'row' | 'total';

/** A cell's percentage: of its column's respondents, of its row's, or of all. */
export function cellPercent(t: Crosstab, i: number, j: number, of: PercentOf): number {
  const count = t.counts[i]?.[j] ?? 0;
  const base =
    of === 'column' ? (t.columnTotals[j] ?? 0) : of === 'row' ? (t.rowTotals[i] ?? 0) : t.total;
  return base === 0 ? Number.NaN : (100 * count) / base;
}

/** The test a crosstab gets: Pearson's χ² (with Cramér's V), and Fisher's exact test for a 2×2. */
export interface CrosstabTest {
  chi: ChiSquare;
  /** Only for a 2×2 table (of counts that are whole: an unweighted table). */
  fisher?: FisherExact;
  /** More than 20 % of the expected counts are below 5, or one is below 1. */
  lowExpected: boolean;
}

/**
 * The test of independence of a crosstab of a single (not multiple) question. On a weighted
 * table the counts are scaled to the effective sample size first (the χ² of weighted counts
 * taken as counts would be too large by the design effect; Kish 1965's first-order correction).
 */
export function crosstabTest(t: Crosstab): CrosstabTest | undefined {
  if (t.multiple) return undefined;
  const scale = t.weighted && t.total > 0 ? (t.effectiveN ?? t.total) / t.total : 1;
  const table = t.counts.map((row) => row.map((x) => x * scale));
  const chi = chiSquare(table);
  if (!chi) return undefined;
  const out: CrosstabTest = { chi, lowExpected: chi.belowFive > 0.2 || chi.minExpected < 1 };
  const nonEmptyRows = t.unweighted.filter((row) => row.some((x) => x > 0));
  const usedCols = t.columns
    .map((_, j) => j)
    .filter((j) => t.unweighted.some((row) => (row[j] ?? 0) > 0));
  if (!t.weighted && nonEmptyRows.length === 2 && usedCols.length === 2)
    out.fisher = fisherExact(nonEmptyRows.map((row) => usedCols.map((j) => row[j] as number)));
  return out;
}

/** A share of a (sub)group: counted row by row, weighted when the study is. */
export interface GroupShare {
  /** Respondents in the options (unweighted) and the base they are counted of. */
  count: number;
  n: number;
  /** The same, as sums of weights (equal to count and n without weights). */
  weightedCount: number;
  weightedN: number;
  /** Kish's effective size of the base (n without weights). */
  effectiveN: number;
  weighted: boolean;
}

/**
 * A share counted respondent by respondent: of those `inBase` keeps, those `hit` keeps, with
 * their weights when the study is weighted.
 */
function shareOf(
  rows: Rows,
  inBase: (i: number) => boolean,
  hit: (i: number) => boolean,
): GroupShare {
  let count = 0;
  let n = 0;
  let weightedCount = 0;
  let weightedN = 0;
  const baseWeights: number[] = [];
  rows.ids.forEach((_, i) => {
    if (!inBase(i)) return;
    const w = rows.weights?.[i] ?? 1;
    n++;
    weightedN += w;
    baseWeights.push(w);
    if (hit(i)) {
      count++;
      weightedCount += w;
    }
  });
  return {
    count,
    n,
    weightedCount,
    weightedN,
    effectiveN: rows.weights ? effectiveN(baseWeights) : n,
    weighted: rows.weights !== undefined,
  };
}

/**
 * The share of the respondents kept (`keep`; all when absent) whose answer to `q` falls in one
 * of `codes`: of those who answered (valid) or of every respondent kept (all).
 */
export function groupShare(
  q: Question,
  codes: readonly string[],
  rows: Rows,
  keep?: readonly boolean[],
  base: 'valid' | 'all' = 'valid',
): GroupShare {
  const wanted = new Set(codes.map((c) => q.options.findIndex((o) => o.code === c)));
  const column = rows.answers[q.id] ?? [];
  const chosen = (i: number) => answerOptions(q, column[i] ?? null);
  return shareOf(
    rows,
    (i) => {
      if (keep && !keep[i]) return false;
      if (base === 'all') return true;
      return chosen(i).length > 0 || (q.type === 'multiple' && column[i] === '');
    },
    (i) => chosen(i).some((k) => wanted.has(k)),
  );
}

/**
 * A crosstab cell as a share of its row: among the respondents kept whose answer to `q` falls in
 * one of `codes` and who answered every question of `where`, those `where` selects (weighted when
 * the study is). The count is the cell; the base, its row.
 */
export function rowShareOf(
  q: Question,
  codes: readonly string[],
  where: Where,
  rows: Rows,
): GroupShare {
  const wanted = new Set(codes.map((c) => q.options.findIndex((o) => o.code === c)));
  const column = rows.answers[q.id] ?? [];
  const inColumn = selectRows(rows, where);
  return shareOf(
    rows,
    (i) =>
      answerOptions(q, column[i] ?? null).some((k) => wanted.has(k)) &&
      // a respondent who left a question of the column blank is in no column of the table
      where.every(
        ({ question }) =>
          answerOptions(question, rows.answers[question.id]?.[i] ?? null).length > 0,
      ),
    (i) => inColumn[i] === true,
  );
}
