import type { Codebook, Question } from '../load/codebook.js';
import { answerOptions, crosstab, type Rows } from '../stats/crosstab.js';

/**
 * The figures of a study's cross-tables, for shares printed in one: every cell count with its
 * bases (its column's, its row's, the table's), the margins, and the group sizes, of every
 * question crossed by every group question (single, ordinal, or numeric with bins), then of
 * the same within each subset of one group question's options (a table restricted by `where=`),
 * as far as a budget of rows read allows. Built on first use, kept per study.
 */
export interface CrossFigures {
  /** The bases a count is a figure of (with what it is, and of which table), in the order found. */
  of(count: number): readonly CellFigure[];
  /**
   * The sizes a group (an option of a group question) has among those who answered a question:
   * the bases of that question's shares within the group, unrestricted and restricted.
   */
  groupBases(question: string, group: string, option: string): ReadonlySet<number>;
  /** Whether a number is the size of some group (a column, row or table total). */
  isGroupSize(value: number): boolean;
}

export interface CellFigure {
  /** The base (unweighted: a weighted study prints its counts and bases unweighted). */
  n: number;
  /** A weighted study's: the cell's weighted share of that base (a proportion). */
  share?: number;
  what: string;
  question: string;
  by: string;
}

/** Figures kept at most (the first found: unrestricted tables first). */
const MAX_FIGURES = 200_000;
/** Rows read (respondents × tables) before the subsets restricted by a third question stop. */
const BUDGET = 4_000_000;
/** Options of a question whose subsets are tried as a `where=` restriction. */
const MAX_SUBSET_OPTIONS = 5;

const groupable = (g: Question) =>
  ['single', 'ordinal', 'numeric'].includes(g.type) && g.options.length > 0;

const cache = new WeakMap<object, CrossFigures | undefined>();

/**
 * The cross-table figures of a study (undefined without its rows). In a weighted study the
 * counts and bases are the unweighted ones a table prints, each with its weighted share.
 */
export function crossFigures(
  key: object,
  codebook: Codebook,
  rows: (() => Rows) | undefined,
): CrossFigures | undefined {
  if (cache.has(key)) return cache.get(key);
  let data: Rows | undefined;
  try {
    data = rows?.();
  } catch {
    // rows that cannot be read (a reconstructed or unreadable file): no cross-table figures
    data = undefined;
  }
  const built = data ? build(codebook, data) : undefined;
  cache.set(key, built);
  return built;
}

function build(codebook: Codebook, rows: Rows): CrossFigures {
  const byCount = new Map<number, CellFigure[]>();
  const seen = new Set<string>();
  const bases = new Map<string, Set<number>>();
  const addBase = (key: string, n: number) => {
    const b = bases.get(key) ?? new Set<number>();
    bases.set(key, b);
    b.add(n);
  };
  const sizes = new Set<number>();
  let question = '';
  let by = '';
  const add = (count: number, base: number, what: string, share?: number) => {
    const key = `${count}/${base}/${question}/${by}/${share ?? ''}`;
    if (base <= 0 || seen.size >= MAX_FIGURES || seen.has(key)) return;
    seen.add(key);
    const m = byCount.get(count) ?? [];
    byCount.set(count, m);
    m.push({ n: base, what, question, by, ...(share === undefined ? {} : { share }) });
  };
  const questions = codebook.questions.filter((q) => q.type !== 'text' && q.options.length > 0);
  const groups = codebook.questions.filter(groupable);
  const tabulate = (keep: readonly boolean[] | undefined, within: string) => {
    for (const q of questions)
      for (const g of groups) {
        if (g.id === q.id) continue;
        const t = crosstab(q, g, rows, keep);
        question = q.id;
        by = g.id;
        const label = (i: number) => q.options[i]?.code ?? '';
        const column = (j: number) => `${g.id}=${g.options[j]?.code ?? ''}`;
        const name = `"${q.id}" by "${g.id}"${within}`;
        // printed counts and bases are unweighted; a weighted study's shares are of weights
        const w = t.weighted;
        const counts = w ? t.unweighted : t.counts;
        const columnN = w ? t.columnN : t.columnTotals;
        const rowN = w ? t.unweighted.map((row) => row.reduce((s, x) => s + x, 0)) : t.rowTotals;
        const tableN = w ? t.n : t.total;
        const share = (part: number, whole: number) =>
          w ? (whole > 0 ? part / whole : 0) : undefined;
        sizes.add(tableN);
        counts.forEach((row, i) => {
          row.forEach((count, j) => {
            const cell = t.counts[i]?.[j] as number;
            const c = columnN[j] as number;
            const r = rowN[i] as number;
            add(
              count,
              c,
              `${name}: ${label(i)}, ${column(j)} (of the column)`,
              share(cell, t.columnTotals[j] as number),
            );
            if (!t.multiple)
              add(
                count,
                r,
                `${name}: ${label(i)}, ${column(j)} (of the row)`,
                share(cell, t.rowTotals[i] as number),
              );
            add(
              count,
              tableN,
              `${name}: ${label(i)}, ${column(j)} (of the table)`,
              share(cell, t.total),
            );
          });
        });
        columnN.forEach((c, j) => {
          const weight = t.columnTotals[j] as number;
          sizes.add(c);
          if (c > 0) addBase(`${q.id}\u0000${g.id}\u0000${g.options[j]?.code}`, c);
          add(c, tableN, `${name}: the ${column(j)} column`, share(weight, t.total));
          add(c, c, `${name}: the ${column(j)} column`, share(weight, weight));
        });
        rowN.forEach((r, i) => {
          const weight = t.rowTotals[i] as number;
          sizes.add(r);
          add(r, tableN, `${name}: the ${label(i)} row`, share(weight, t.total));
          add(r, r, `${name}: the ${label(i)} row`, share(weight, weight));
          if (t.multiple)
            columnN.forEach((c, j) => {
              add(r, c, `${name}: the ${label(i)} row`, share(weight, t.columnTotals[j] as number));
            });
        });
        add(tableN, tableN, `${name}: the table`, share(t.total, t.total));
      }
  };
  tabulate(undefined, '');
  const perTable = Math.max(1, rows.ids.length) * questions.length * groups.length;
  let spent = perTable;
  // tables restricted to some options of one group question (`where="region=north,centre"`)
  for (const h of groups) {
    if (h.options.length > MAX_SUBSET_OPTIONS || h.options.length < 2) continue;
    const chosen = (rows.answers[h.id] ?? []).map((a) => answerOptions(h, a)[0]);
    for (let mask = 1; mask < (1 << h.options.length) - 1; mask++) {
      if (spent + perTable > BUDGET) break;
      spent += perTable;
      const codes = h.options.filter((_, k) => mask & (1 << k)).map((o) => o.code);
      const keep = chosen.map((i) => i !== undefined && (mask & (1 << i)) !== 0);
      tabulate(keep, ` (${h.id}=${codes.join(',')})`);
    }
  }
  return {
    of: (count) => byCount.get(count) ?? [],
    groupBases: (question, group, option) =>
      bases.get(`${question}\u0000${group}\u0000${option}`) ?? new Set(),
    isGroupSize: (value) => sizes.has(value),
  };
}
