import type { RootContent, Table, TableRow } from 'mdast';
import type { Question } from '../load/codebook.js';
import type { Formatter } from '../locale/format.js';
import { fill } from '../locale/strings.js';
import { mannWhitney } from '../stats/association.js';
import {
  answerOptions,
  type Crosstab,
  type CrosstabTest,
  cellPercent,
  crosstabTest,
  type PercentOf,
  type Rows,
} from '../stats/crosstab.js';
import type { WithheldTable } from '../stats/disclosure.js';
import { designEffect } from '../stats/weights.js';
import type { GroupStrings } from './group-strings.js';
import { markdownOf, text } from './markdown-text.js';

/** A p-value as printed: "p = 0.122", "p < 0.001" (three decimals, the page's locale). */
export function formatP(p: number, format: Formatter): string {
  return p < 0.001 ? `p < ${format.decimal(0.001, 3)}` : `p = ${format.decimal(p, 3)}`;
}

export type TestChoice = 'auto' | 'chi2' | 'fisher' | 'mann-whitney' | 'none';

/** The test line under a crosstab: χ² (Fisher for a 2×2 when asked or when χ² is unreliable), or Mann-Whitney. */
export function testLine(
  t: Crosstab,
  q: Question,
  rows: Rows,
  keep: readonly boolean[] | undefined,
  choice: TestChoice,
  format: Formatter,
  words: GroupStrings,
): { lines: string[]; test?: CrosstabTest } {
  if (choice === 'none' || t.multiple) return { lines: [] };
  if (choice === 'mann-whitney') {
    const groups = t.columns.map(() => [] as number[]);
    const qa = rows.answers[q.id] ?? [];
    const ga = rows.answers[t.by] ?? [];
    rows.ids.forEach((_, i) => {
      if (keep && !keep[i]) return;
      const [k] = answerOptions(q, qa[i] ?? null);
      if (k === undefined) return;
      const g = t.columns.indexOf(ga[i] ?? '');
      if (g >= 0) groups[g]?.push(k);
    });
    const used = groups.filter((g) => g.length > 0);
    const r = used.length === 2 ? mannWhitney(used[0] as number[], used[1] as number[]) : undefined;
    if (!r) return { lines: [] };
    return {
      lines: [
        fill(words.mannWhitney, {
          u: format.decimal(r.u, Number.isInteger(r.u) ? 0 : 1),
          z: format.decimal(r.z, 2),
          p: formatP(r.p, format),
        }),
      ],
    };
  }
  const test = crosstabTest(t);
  if (!test) return { lines: [] };
  const lines: string[] = [];
  if (choice !== 'fisher')
    lines.push(
      fill(words.chiSquare, {
        df: format.count(test.chi.df),
        chi: format.decimal(test.chi.statistic, 2),
        p: formatP(test.chi.p, format),
        v: format.decimal(test.chi.cramersV, 2),
      }),
    );
  if (test.fisher && (choice === 'fisher' || test.lowExpected))
    lines.push(fill(words.fisher, { p: formatP(test.fisher.p, format) }));
  if (test.lowExpected && choice !== 'fisher')
    lines.push(
      fill(words.lowExpected, {
        share: format.percent(test.chi.belowFive, 0),
        min: format.decimal(test.chi.minExpected, 1),
      }),
    );
  return { lines, test };
}

function row(cells: string[], header = false): TableRow {
  return {
    type: 'tableRow',
    children: cells.map((c) => ({
      type: 'tableCell',
      children: header ? [{ type: 'strong', children: [text(c)] }] : [text(c)],
    })),
  };
}

/**
 * The crosstab as a numbered table: one row per option of `q`, one column per group and a total
 * column; each cell its count and its percentage (of the column by default); a total row; the
 * test line and notes as paragraphs under it.
 */
export function crosstabMarkdown(
  t: Crosstab,
  q: Question,
  g: Question,
  lang: string,
  of: PercentOf,
  showWeighted: boolean,
  lines: string[],
  format: Formatter,
  words: GroupStrings,
  totalWord: string,
  caption: string,
  subgroup?: string,
  withheld?: { table: WithheldTable; note: string },
): string {
  const label = (question: Question, code: string) =>
    question.options.find((o) => o.code === code)?.label[lang] ?? code;
  const hide = withheld?.table;
  const below = hide ? `< ${format.count(hide.min)}` : '';
  // a withheld figure prints "< min"; a percentage of a withheld count or base, a dash
  const count = (weighted: number, unweighted: number, hidden = false) =>
    hidden ? below : showWeighted ? format.decimal(weighted, 1) : format.count(unweighted);
  const pct = (value: number, hidden = false) =>
    hidden || Number.isNaN(value) ? '—' : format.percent(value / 100, 1);
  /** Whether the base of a cell's percentage is withheld. */
  const baseHidden = (i: number, j: number) =>
    Boolean(
      hide &&
        (of === 'column' ? hide.columnTotals[j] : of === 'row' ? hide.rowTotals[i] : hide.total),
    );
  const header = row(
    [q.short[lang] ?? q.id, ...t.columns.map((c) => label(g, c)), totalWord],
    true,
  );
  const body = t.rows.map((code, i) => {
    const cells = t.columns.map((_, j) => {
      const hidden = Boolean(hide?.cells[i]?.[j]);
      return `${count(t.counts[i]?.[j] ?? 0, t.unweighted[i]?.[j] ?? 0, hidden)} (${pct(cellPercent(t, i, j, of), hidden || baseHidden(i, j))})`;
    });
    const rowTotal = t.rowTotals[i] ?? 0;
    const rowUnweighted = (t.unweighted[i] ?? []).reduce((s, x) => s + x, 0);
    const rowHidden = Boolean(hide?.rowTotals[i]);
    const totalShare =
      of === 'row'
        ? rowTotal === 0
          ? Number.NaN
          : 100
        : t.total === 0
          ? Number.NaN
          : (100 * rowTotal) / t.total;
    return row([
      label(q, code),
      ...cells,
      `${count(rowTotal, rowUnweighted, rowHidden)} (${pct(totalShare, rowHidden || (of !== 'row' && Boolean(hide?.total)))})`,
    ]);
  });
  const totals = row([
    totalWord,
    ...t.columnTotals.map((total, j) => {
      const share =
        of === 'column'
          ? total === 0
            ? Number.NaN
            : 100
          : t.total === 0
            ? Number.NaN
            : (100 * total) / t.total;
      const hidden = Boolean(hide?.columnTotals[j]);
      const n = count(total, t.columnN[j] ?? 0, hidden);
      return t.multiple
        ? n
        : `${n} (${pct(share, hidden || (of !== 'column' && Boolean(hide?.total)))})`;
    }),
    t.multiple
      ? count(t.total, t.n, hide?.total)
      : `${count(t.total, t.n, hide?.total)} (${pct(100, hide?.total)})`,
  ]);
  const table: Table = {
    type: 'table',
    align: [null, ...t.columns.map(() => 'right' as const), 'right'],
    children: [header, ...body, totals],
  };
  const notes: string[] = [];
  if (subgroup) notes.push(`${subgroup}.`);
  notes.push(
    of === 'column' ? words.columnPercent : of === 'row' ? words.rowPercent : words.totalPercent,
  );
  if (t.multiple) notes.push(words.multipleNote);
  if (t.weighted)
    notes.push(
      // (with a withheld total, its effective n and design effect are withheld too)
      fill(words.weightedNote, {
        neff: hide?.total ? '—' : format.decimal(t.effectiveN ?? 0, 1),
        deff: hide?.total
          ? '—'
          : format.decimal(t.n === 0 ? Number.NaN : t.n / (t.effectiveN ?? t.n), 2),
      }),
    );
  if (hide?.any) notes.push(withheld?.note ?? '');
  const nodes: RootContent[] = [
    {
      type: 'containerDirective',
      name: 'table',
      attributes: { id: `tab-${q.id}-by-${g.id}`, caption },
      children: [table],
    },
    // one paragraph: the test, then the notes
    {
      type: 'paragraph',
      children: [text([...lines.map((l) => (/[.:]$/.test(l) ? l : `${l}.`)), ...notes].join(' '))],
    },
  ];
  return markdownOf(nodes);
}

export { designEffect };
