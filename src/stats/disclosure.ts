import type { Codebook } from '../load/codebook.js';
import type { Crosstab } from './crosstab.js';
import type { QuestionResult, Results } from './frequencies.js';
import type { NumericSummary } from './result.js';

/**
 * Statistical disclosure control for what a report publishes (`study.disclosure.min_cell`).
 *
 * The rule, for every set of cells that adds up to a published total (a question's options
 * against its n, a histogram's classes, how many options each respondent of a multiple question
 * chose, its combinations of options):
 * - a cell with fewer than `min_cell` respondents (but some) is withheld;
 * - so are as many of the next smallest cells of the same set as it takes for the withheld ones
 *   not to be worked out from the total: at least two cells, together at least `min_cell`
 *   (secondary suppression); empty cells are shown (a zero reveals no one).
 * A withheld cell's count, share and interval become NaN, so that no renderer can print them by
 * mistake (JSON writes them as null); `suppressed` marks it. What would give one back is
 * withheld with it:
 * - an ordinal question's cumulative shares from its first withheld option to the one before
 *   its last (the differences of two of them would be a cell), and the summary of its scores
 *   (with the counts shown, the mean and spread solve for the withheld ones);
 * - a multiple question's shares of all the options chosen for its withheld options;
 * - a numeric question's minimum and maximum, always (each is one respondent's answer), and its
 *   whole summary when fewer than `min_cell` answered;
 * - an open question's published answers when fewer than `min_cell` gave one;
 * - a labelled missing category's count, by the same rule among the question's categories (they
 *   add up to the missing answers less the blanks, both published).
 * The count of blanks is published: it is the respondents less the answers given (n), and n
 * must be published, as every percentage's base.
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

/** The indices of the cells to withhold (see `disclose`): small ones and their complements. */
export function withheldCells(counts: readonly number[], min: number): Set<number> {
  const hidden = new Set<number>();
  counts.forEach((c, i) => {
    if (c > 0 && c < min) hidden.add(i);
  });
  if (hidden.size === 0) return hidden;
  const sum = () => [...hidden].reduce((s, i) => s + (counts[i] ?? 0), 0);
  // complementary cells: the smallest shown ones, until the hidden ones cannot be told apart
  const shown = counts
    .map((c, i) => [c, i] as const)
    .filter(([c, i]) => c > 0 && !hidden.has(i))
    .sort((a, b) => a[0] - b[0] || a[1] - b[1]);
  while ((hidden.size < 2 || sum() < min) && shown.length > 0)
    hidden.add((shown.shift() as readonly [number, number])[1]);
  return hidden;
}

const withheldSummary = (s: NumericSummary): NumericSummary => ({
  ...s,
  mean: Number.NaN,
  sd: Number.NaN,
  min: Number.NaN,
  q1: Number.NaN,
  median: Number.NaN,
  q3: Number.NaN,
  max: Number.NaN,
});

function discloseQuestion(q: QuestionResult, min: number): QuestionResult {
  const out: QuestionResult = { ...q };
  let touched = false;
  const hidden = withheldCells(
    q.options.map((o) => o.count),
    min,
  );
  if (hidden.size > 0) {
    touched = true;
    out.options = q.options.map((o, i) =>
      hidden.has(i)
        ? {
            code: o.code,
            count: Number.NaN,
            proportion: Number.NaN,
            ci: [Number.NaN, Number.NaN],
            suppressed: true,
          }
        : o,
    );
  }
  if (q.ordinal && hidden.size > 0) {
    const first = Math.min(...hidden);
    const last = Math.max(...hidden);
    const { scores, ...ordinal } = q.ordinal;
    out.ordinal = {
      ...ordinal,
      cumulative: ordinal.cumulative.map((c, i) => (i >= first && i < last ? Number.NaN : c)),
      ...(scores ? { scores: withheldSummary(scores) } : {}),
    };
  }
  if (q.numeric) {
    if (q.n > 0 && q.n < min) out.numeric = withheldSummary(q.numeric);
    else out.numeric = { ...q.numeric, min: Number.NaN, max: Number.NaN };
    touched = true;
  }
  if (q.histogram) {
    const classes = withheldCells(
      q.histogram.map((b) => b.count),
      min,
    );
    if (classes.size > 0) {
      touched = true;
      out.histogram = q.histogram.map((b, i) =>
        classes.has(i) ? { ...b, count: Number.NaN, suppressed: true } : b,
      );
    }
  }
  if (q.multiple) {
    const m = q.multiple;
    const per = withheldCells(m.perRespondent, min);
    const combos = withheldCells(
      m.combinations.map(([, c]) => c),
      min,
    );
    if (hidden.size > 0 || per.size > 0 || combos.size > 0) {
      touched = true;
      out.multiple = {
        ...m,
        ofResponses: m.ofResponses.map((p, i) => (hidden.has(i) ? Number.NaN : p)),
        perRespondent: m.perRespondent.map((c, i) => (per.has(i) ? Number.NaN : c)),
        combinations: m.combinations.filter((_, i) => !combos.has(i)),
        ...(combos.size > 0 ? { withheld: true as const } : {}),
      };
    }
  }
  if (q.missing_categories) {
    // labelled missing categories add up to the missing less the blanks, both published
    const coded = withheldCells(
      q.missing_categories.map((c) => c.count),
      min,
    );
    if (coded.size > 0) {
      touched = true;
      const blanks = q.missing - q.missing_categories.reduce((sum, c) => sum + c.count, 0);
      const sum = [...coded].reduce((s, i) => s + (q.missing_categories?.[i]?.count ?? 0), 0);
      // the blanks are published apart only where the withheld categories are safe together;
      // else they would give them back (missing less blanks less the shown categories)
      out.blanks = coded.size >= 2 && sum >= min ? blanks : Number.NaN;
      out.missing_categories = q.missing_categories.map((c, i) =>
        coded.has(i) ? { code: c.code, count: Number.NaN, suppressed: true } : c,
      );
    }
  }
  if (q.text?.answers && q.n > 0 && q.n < min) {
    touched = true;
    out.text = { withheld: true };
  }
  return touched ? { ...out, min_cell: min } : q;
}

/**
 * The running counts of a question's options in their order, as far as its published cells
 * give them: NaN from its first withheld option to the one before its last (see `disclose`),
 * whole again from there on (n less the shown cells after it).
 */
export function cumulativeCounts(r: QuestionResult): number[] {
  const counts = r.options.map((o) => o.count);
  const hidden = r.options.flatMap((o, i) => (o.suppressed ? [i] : []));
  const first = hidden.length > 0 ? Math.min(...hidden) : counts.length;
  const last = hidden.length > 0 ? Math.max(...hidden) : counts.length;
  let running = 0;
  return counts.map((c, i) => {
    if (i < first) {
      running += c;
      return running;
    }
    if (i < last) return Number.NaN;
    return r.n - counts.slice(i + 1).reduce((s, x) => s + x, 0);
  });
}

/** What a cross-tabulation withholds (see `withheldTable`). */
export interface WithheldTable {
  min: number;
  /** Per cell (rows: the question's options; columns: the groups). */
  cells: boolean[][];
  rowTotals: boolean[];
  columnTotals: boolean[];
  total: boolean;
  /** Whether anything is withheld. */
  any: boolean;
}

/**
 * Adds to `hidden` the smallest shown cells of a line (cells adding up to a published total)
 * until its hidden ones are at least two and together at least `min` (none hidden: nothing to
 * do). False when the line has no cell left to add and is still not safe.
 */
function protectLine(values: readonly number[], hidden: Set<number>, min: number): boolean {
  if (hidden.size === 0) return true;
  const sum = () => [...hidden].reduce((s, i) => s + (values[i] ?? 0), 0);
  const shown = values
    .map((c, i) => [c, i] as const)
    .filter(([c, i]) => c > 0 && !hidden.has(i))
    .sort((a, b) => a[0] - b[0] || a[1] - b[1]);
  while ((hidden.size < 2 || sum() < min) && shown.length > 0)
    hidden.add((shown.shift() as readonly [number, number])[1]);
  return hidden.size >= 2 && sum() >= min;
}

/**
 * The cells and totals of a cross-tabulation to withhold (study.disclosure), on its unweighted
 * counts. A table publishes its cells, its row and column totals and its total, so each row of
 * cells adds up to its row total, each column to its column total (not for a multiple question,
 * whose respondents are in several rows), and the totals of each side to the total:
 * - a cell or a total with fewer than `min` respondents (but some) is withheld;
 * - in every such line (a row, a column, the row totals, the column totals) that holds a
 *   withheld figure and whose total is shown, the next smallest figures are withheld too, until
 *   at least two are and together at least `min` (as `withheldCells`, in both directions at
 *   once: a cell withheld for its row may call for another in its column, until none does);
 * - a withheld total withholds every cell of its line (they would add up to it), and a line
 *   that cannot be made safe by its cells withholds its total.
 * Empty cells are shown: a zero reveals no one.
 */
export function withheldTable(
  cells: readonly (readonly number[])[],
  columnN: readonly number[],
  min: number,
  additiveColumns: boolean,
): WithheldTable {
  const r = cells.length;
  const c = columnN.length;
  const cell = (i: number, j: number) => cells[i]?.[j] ?? 0;
  const rowTotals = cells.map((row) => row.reduce((s, x) => s + x, 0));
  const n = columnN.reduce((s, x) => s + x, 0);
  const small = (x: number) => x > 0 && x < min;
  const hidden = cells.map((row) => row.map(small));
  const rows = new Set(rowTotals.flatMap((x, i) => (small(x) ? [i] : [])));
  const columns = new Set(columnN.flatMap((x, j) => (small(x) ? [j] : [])));
  let total = small(n);
  for (let changed = true; changed; ) {
    changed = false;
    const grow = (before: number, after: number) => {
      if (after !== before) changed = true;
    };
    // the totals of each side add up to the total (a multiple question's rows do not)
    if (!total) {
      for (const [values, set, additive] of [
        [rowTotals, rows, additiveColumns],
        [columnN, columns, true],
      ] as const) {
        if (!additive) continue;
        const before = set.size;
        if (!protectLine(values, set, min)) {
          total = true;
          changed = true;
        }
        grow(before, set.size);
      }
    }
    // a withheld total withholds its line
    for (let i = 0; i < r; i++)
      for (let j = 0; j < c; j++)
        if ((rows.has(i) || columns.has(j)) && cell(i, j) > 0 && !hidden[i]?.[j]) {
          (hidden[i] as boolean[])[j] = true;
          changed = true;
        }
    // each line whose total is shown: its withheld cells safe together
    const lines: [number[], (k: number) => [number, number], () => void][] = [];
    for (let i = 0; i < r; i++)
      if (!rows.has(i))
        lines.push([(cells[i] ?? []).map((_, j) => cell(i, j)), (j) => [i, j], () => rows.add(i)]);
    if (additiveColumns)
      for (let j = 0; j < c; j++)
        if (!columns.has(j))
          lines.push([cells.map((_, i) => cell(i, j)), (i) => [i, j], () => columns.add(j)]);
    for (const [values, at, withholdTotal] of lines) {
      const set = new Set(
        values.flatMap((_, k) => {
          const [i, j] = at(k);
          return hidden[i]?.[j] ? [k] : [];
        }),
      );
      const before = set.size;
      if (!protectLine(values, set, min)) {
        withholdTotal();
        changed = true;
      }
      for (const k of set) {
        const [i, j] = at(k);
        (hidden[i] as boolean[])[j] = true;
      }
      grow(before, set.size);
    }
  }
  const any = total || rows.size > 0 || columns.size > 0 || hidden.some((row) => row.some(Boolean));
  return {
    min,
    cells: hidden,
    rowTotals: rowTotals.map((_, i) => rows.has(i)),
    columnTotals: columnN.map((_, j) => columns.has(j)),
    total,
    any,
  };
}

/** What a crosstab withholds (study.disclosure), on its unweighted counts: see `withheldTable`. */
export function tableWithheld(t: Crosstab, min: number): WithheldTable {
  return withheldTable(t.unweighted, t.columnN, min, !t.multiple);
}
