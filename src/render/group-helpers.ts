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
import {
  crosstab,
  type GroupShare,
  groupShare,
  type PercentOf,
  type Rows,
  selectRows,
} from '../stats/crosstab.js';
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
}

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
  return ctx.rows?.() ?? fail(options, 'the answers are not available row by row here');
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
): GroupShare | undefined {
  const where = whereOf(ctx, options, fail);
  if (!where && !ctx.codebook.study.data.weight) return undefined;
  const rows = rowsOf(ctx, options, fail);
  const keep = where ? selectRows(rows, where) : undefined;
  const base = (options.hash?.base as Base | undefined) ?? q.base;
  return groupShare(q, codes, rows, keep, base === 'all' ? 'all' : 'valid');
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

/** `{{crosstab "q" by="g"}}`: the table, its test and notes. */
export function crosstabHelper(
  ctx: GroupContext,
  q: Question,
  options: HelperOptions,
  fail: Fail,
): string {
  const { codebook, lang, format } = ctx;
  const words =
    groupStrings[lang] ??
    fail(options, `cross-tabulations have no words for language "${lang}"`, 'they speak es and en');
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
  const { lines } = testLine(table, q, rows, keep, test, format, words);
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
  );
}
