import { createHash } from 'node:crypto';
import type { HelperOptions } from 'handlebars';
import type { Base, Codebook, Question } from '../load/codebook.js';
import {
  describeWhere,
  isWhereProblem,
  parseWhere,
  RECONSTRUCTION_REASON,
  type Where,
} from '../load/where.js';
import type { Formatter } from '../locale/format.js';
import { fill } from '../locale/strings.js';
import {
  crosstab,
  type GroupShare,
  groupShare,
  type PercentOf,
  type Rows,
  selectRows,
} from '../stats/crosstab.js';
import { tableWithheld, withheldCells } from '../stats/disclosure.js';
import { crosstabMarkdown, type TestChoice, testLine } from './crosstab.js';
import { groupStrings } from './group-strings.js';

type Fail = (options: HelperOptions, problem: string, hint?: string) => never;

/** What the group helpers need of a page's context. */
export interface GroupContext {
  lang: string;
  codebook: Codebook;
  format: Formatter;
  totalWord: string;
  /** The answers row by row (read on first use). */
  rows?: () => Rows;
  /** Asks for a grouped chart; its path, relative to the page. */
  groupedPath?: (request: GroupedRequest) => string;
  /** The note under a table with withheld cells (study.disclosure), {min} filled in. */
  suppressedNote?: (min: number) => string;
}

/** What a helper says when the answers row by row are not at hand (a site without its responses). */
export const NO_ROWS = 'the answers are not available row by row here';

/** The subgroup of a helper's `where=`, checked against the codebook. */
export function whereOf(ctx: GroupContext, options: HelperOptions, fail: Fail): Where | undefined {
  const given = options.hash?.where as string | undefined;
  if (given === undefined) return undefined;
  refuseReconstruction(ctx, options, fail);
  const where = parseWhere(ctx.codebook, given);
  if (isWhereProblem(where)) return fail(options, where.problem, where.hint);
  return where;
}

function refuseReconstruction(ctx: GroupContext, options: HelperOptions, fail: Fail) {
  if (ctx.codebook.study.data.status === 'reconstruction')
    fail(options, `not on this study: ${RECONSTRUCTION_REASON}`);
}

function rowsOf(ctx: GroupContext, options: HelperOptions, fail: Fail): Rows {
  return ctx.rows?.() ?? fail(options, NO_ROWS);
}

/**
 * A share counted row by row: of a subgroup (`where=`), or of a weighted study. Undefined when
 * neither applies (the counted results serve).
 */
export function rowShare(
  ctx: GroupContext,
  q: Question,
  codes: readonly string[],
  options: HelperOptions,
  fail: Fail,
): (GroupShare & { withheld?: SubgroupWithheld }) | undefined {
  const where = whereOf(ctx, options, fail);
  if (!where && !ctx.codebook.study.data.weight) return undefined;
  const rows = rowsOf(ctx, options, fail);
  const keep = where ? selectRows(rows, where) : undefined;
  const base = (options.hash?.base as Base | undefined) ?? q.base;
  const share = groupShare(q, codes, rows, keep, base === 'all' ? 'all' : 'valid');
  const min = ctx.codebook.study.disclosure?.min_cell;
  if (!min || !keep) return share;
  return {
    ...share,
    withheld: subgroupWithheld(q, codes, rows, keep, share.n, min, options, fail),
  };
}

/** What a subgroup's figure withholds (study.disclosure): see `rowShare`. */
export interface SubgroupWithheld {
  min: number;
  /** The count (and so its share and interval) is withheld. */
  count: boolean;
  /** The subgroup (its base) has fewer than min respondents: nothing of it is shown. */
  n: boolean;
}

/**
 * A subgroup's figure is withheld as the same figure of the whole sample would be: its options'
 * counts in the subgroup are one set of cells adding up to its n, withheld by the rule of
 * `withheldCells` (small ones and their complements); and all of it when the subgroup itself
 * has fewer than min respondents (but some). A sum of options that holds some withheld ones but
 * not all is refused, as in the whole sample.
 */
function subgroupWithheld(
  q: Question,
  codes: readonly string[],
  rows: Rows,
  keep: readonly boolean[],
  n: number,
  min: number,
  options: HelperOptions,
  fail: Fail,
): SubgroupWithheld {
  const small = n > 0 && n < min;
  const counts = q.options.map((o) => groupShare(q, [o.code], rows, keep).count);
  const cells = withheldCells(counts, min);
  const hidden = q.options.flatMap((o, i) => (cells.has(i) && codes.includes(o.code) ? [o] : []));
  const whole =
    hidden.length > 0 &&
    q.type !== 'multiple' &&
    q.options.every((o, i) => !cells.has(i) || codes.includes(o.code));
  if (!small && hidden.length > 0 && codes.length > 1 && !whole)
    fail(
      options,
      `option "${hidden[0]?.code}" of "${q.id}" is withheld in this subgroup (study.disclosure), and a sum with it could reveal it`,
      'name the options one by one',
    );
  return { min, count: small || (hidden.length > 0 && !whole), n: small };
}

/** The respondents of a subgroup (`where=`), or those of them who answered `q`. */
export function subgroupN(
  ctx: GroupContext,
  q: Question | undefined,
  options: HelperOptions,
  fail: Fail,
): number {
  const where = whereOf(ctx, options, fail) as Where;
  const rows = rowsOf(ctx, options, fail);
  const keep = selectRows(rows, where);
  if (!q) return keep.filter(Boolean).length;
  return groupShare(q, [], rows, keep).n;
}

/** `{{n where=…}}` as printed: "< min" for a subgroup of fewer than min respondents (study.disclosure). */
export function subgroupNText(ctx: GroupContext, n: number): string {
  const min = ctx.codebook.study.disclosure?.min_cell;
  return min && n > 0 && n < min ? `< ${ctx.format.count(min)}` : ctx.format.count(n);
}

/** `{{crosstab "q" by="g"}}`: the table, its test and notes. */
export function crosstabHelper(
  ctx: GroupContext,
  q: Question,
  options: HelperOptions,
  fail: Fail,
): string {
  const { lang, format } = ctx;
  const words =
    groupStrings[lang] ??
    fail(options, `cross-tabulations have no words for language "${lang}"`, 'they speak es and en');
  const g = groupOf(ctx, q, options, fail);
  const test = (options.hash?.test as TestChoice | undefined) ?? 'auto';
  if (test === 'mann-whitney') {
    if (q.type !== 'ordinal')
      fail(options, `test="mann-whitney" compares an ordinal question; "${q.id}" is ${q.type}`);
  }
  if (test !== 'auto' && test !== 'none' && q.type === 'multiple')
    fail(
      options,
      `a multiple question's crosstab has no test of independence (a respondent is in several rows)`,
    );
  const where = whereOf(ctx, options, fail);
  const rows = rowsOf(ctx, options, fail);
  const keep = where ? selectRows(rows, where) : undefined;
  const table = crosstab(q, g, rows, keep);
  if (test === 'mann-whitney' && table.columnN.filter((n) => n > 0).length !== 2)
    fail(
      options,
      `test="mann-whitney" compares two groups; "${g.id}" has ${table.columnN.filter((n) => n > 0).length} with answers`,
    );
  if (test === 'fisher' && (table.rows.length !== 2 || table.columns.length !== 2))
    fail(
      options,
      `test="fisher" is for a 2×2 table; this one is ${table.rows.length}×${table.columns.length}`,
    );
  if (test === 'fisher' && table.weighted)
    fail(options, 'test="fisher" takes counts, not weighted figures', 'use test="chi2"');
  const min = ctx.codebook.study.disclosure?.min_cell;
  const hidden = min ? tableWithheld(table, min) : undefined;
  // with the table's totals, a test's statistic or p-value pins down its withheld cells (in a
  // 2×2 table one cell fixes all four; Fisher's p is a function of it): not printed
  const tested = testLine(table, q, rows, keep, test, format, words).lines;
  const lines = hidden?.any && tested.length > 0 ? [words.testWithheld] : tested;
  const of = (options.hash?.percent as PercentOf | undefined) ?? 'column';
  const caption = `${q.short[lang] ?? q.id} × ${g.short[lang] ?? g.id}`;
  return crosstabMarkdown(
    table,
    q,
    g,
    lang,
    of,
    options.hash?.weighted === true,
    lines,
    format,
    words,
    ctx.totalWord,
    caption,
    where ? describeWhere(where, lang, words.or, true) : undefined,
    hidden?.any && min
      ? {
          table: hidden,
          note:
            ctx.suppressedNote?.(min) ??
            fail(
              options,
              `no "suppressed" note for language "${lang}"`,
              'add suppressed: … under it in templates/strings.yaml',
            ),
        }
      : undefined,
  );
}

/** The group question of `by=`, checked: it exists, makes groups, and is not `q` itself. */
function groupOf(ctx: GroupContext, q: Question, options: HelperOptions, fail: Fail): Question {
  const { codebook } = ctx;
  refuseReconstruction(ctx, options, fail);
  const byId = options.hash?.by as string | undefined;
  if (byId === undefined) fail(options, 'give the question to group by: by="question"');
  const g =
    codebook.questions.find((x) => x.id === byId) ??
    fail(
      options,
      `unknown question "${byId}" in by=`,
      `questions: ${codebook.questions.map((x) => x.id).join(', ')}`,
    );
  if (g.id === q.id) fail(options, `"${q.id}" by itself is no cross-tabulation`);
  if (!['single', 'ordinal', 'numeric'].includes(g.type) || g.options.length === 0)
    fail(
      options,
      `by="${g.id}": a ${g.type} question${g.type === 'numeric' ? ' without bins' : ''} does not make groups`,
      'group by a single or ordinal question, or a numeric one with bins',
    );
  if (q.type === 'text' || q.options.length === 0)
    fail(
      options,
      `"${q.id}" is ${q.type === 'text' ? 'an open question' : 'numeric without bins'}: it has no options to cross-tabulate`,
    );
  return g;
}

/** A grouped chart a template asks for: drawn once the page is written. */
export interface GroupedRequest {
  question: string;
  by: string;
  /** The subgroup, as written in where=. */
  where?: string;
}

/**
 * `{{chart "q" by="g"}}`: a grouped bar chart of `q` by the groups of `g` (each group's
 * percentages, as the crosstab's columns), in a subgroup with `where=`. The figure: its caption
 * names the question, the groups and the subgroup; the chart is drawn by the build.
 */
export function groupedChartHelper(
  ctx: GroupContext,
  q: Question,
  options: HelperOptions,
  fail: Fail,
  figure: (id: string, caption: string, url: string, alt: string) => string,
): string {
  const { lang } = ctx;
  const words =
    groupStrings[lang] ??
    fail(options, `grouped charts have no words for language "${lang}"`, 'they speak es and en');
  const g = groupOf(ctx, q, options, fail);
  const where = whereOf(ctx, options, fail);
  rowsOf(ctx, options, fail);
  if (!ctx.groupedPath) fail(options, 'grouped charts are not drawn here');
  const given = options.hash?.where as string | undefined;
  const path = (ctx.groupedPath as (r: GroupedRequest) => string)({
    question: q.id,
    by: g.id,
    ...(given !== undefined ? { where: given } : {}),
  });
  const id = path.replace(/^.*\//, '').replace(/\.svg$/, '');
  const caption = fill(words.chartCaption, {
    question: q.short[lang] ?? q.id,
    group: g.short[lang] ?? g.id,
  });
  const subgroup = where ? describeWhere(where, lang, words.or, true) : undefined;
  return figure(
    `fig-${id}`,
    subgroup ? `${caption} (${subgroup})` : caption,
    path,
    `${q.short[lang] ?? q.id} × ${g.short[lang] ?? g.id}`,
  );
}

/** The file name (without .svg) of a grouped chart: `q-by-g`, and a digest of its subgroup. */
export function groupedChartId(request: GroupedRequest): string {
  const name = `${request.question}-by-${request.by}`;
  return request.where === undefined
    ? name
    : `${name}-${createHash('sha256').update(request.where).digest('hex').slice(0, 8)}`;
}
