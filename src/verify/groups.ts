import { type Claim, decimalsOf } from '../load/claims.js';
import type { Codebook, Localized, Question } from '../load/codebook.js';
import { describeWhere, isWhereProblem, parseWhere, type Where } from '../load/where.js';
import { mannWhitney } from '../stats/association.js';
import {
  answerOptions,
  crosstab,
  crosstabTest,
  groupShare,
  type Rows,
  rowShareOf,
  selectRows,
} from '../stats/crosstab.js';
import { matchesValue } from '../stats/percent.js';
import { checkTest } from '../stats/tests.js';
import {
  achievableCheck,
  agreeCheck,
  type Check,
  type ClaimResult,
  percentCheck,
  result,
} from './verify.js';

type ShareClaim = Extract<Claim, { kind: 'share' }>;
type TestClaim = Extract<Claim, { kind: 'test' }>;

/** A claim checked on the answers row by row: a subgroup's share, a test, any share of a weighted study. */
export function isGroupClaim(claim: Claim, codebook: Codebook): boolean {
  if (claim.kind === 'test') return true;
  return (
    claim.kind === 'share' &&
    (claim.where !== undefined || codebook.study.data.weight !== undefined)
  );
}

const question = (codebook: Codebook, id: string) =>
  codebook.questions.find((q) => q.id === id) as Question;

function whereOf(codebook: Codebook, given: ShareClaim['where']): Where | undefined {
  if (given === undefined) return undefined;
  const where = parseWhere(codebook, given);
  // checked when the claims were read
  return isWhereProblem(where) ? undefined : where;
}

function described(codebook: Codebook, where: Where | undefined): Localized | undefined {
  if (!where) return undefined;
  return Object.fromEntries(
    codebook.study.languages.map(({ code }) => [
      code,
      describeWhere(where, code, code === 'es' ? 'o' : 'or'),
    ]),
  );
}

/** A row share's base in words: the column among the row ("men among Yes"). */
function ofRowWords(
  codebook: Codebook,
  q: Question,
  codes: readonly string[],
  where: Where,
): Localized {
  return Object.fromEntries(
    codebook.study.languages.map(({ code }) => {
      const or = code === 'es' ? 'o' : 'or';
      const row = describeWhere([{ question: q, codes: [...codes] }], code, or);
      return [
        code,
        `${describeWhere(where, code, or)} ${code === 'es' ? 'entre' : 'among'} ${row}`,
      ];
    }),
  );
}

const noRows = (claim: Claim, reported: string, q: string | null, options: string[]) =>
  result(claim, q, options, reported, { count: 0, n: 0, percent: 0 }, [
    { name: 'value', ok: false, detail: 'the answers are not available row by row' },
  ]);

const trim = (value: number) => Number(value.toFixed(4)).toString();

/**
 * A share of a subgroup (`where:`), or any share of a weighted study: counted row by row. A
 * weighted percentage is checked against the weighted share; the GRIM test and the agreement
 * of count and percentage do not apply to it (the count published beside it is unweighted).
 */
export function checkSubgroupShare(
  claim: ShareClaim,
  codebook: Codebook,
  rows: (() => Rows) | undefined,
): ClaimResult {
  const reported: string[] = [];
  if (claim.count !== undefined) reported.push(String(claim.count));
  if (typeof claim.percent === 'string') reported.push(`${claim.percent} %`);
  if (!rows) return noRows(claim, reported.join(' · '), claim.question, claim.options);
  const q = question(codebook, claim.question);
  const where = whereOf(codebook, claim.where);
  const data = rows();
  const keep = where ? selectRows(data, where) : undefined;
  const base = (claim.base ?? q.base) === 'all' ? 'all' : 'valid';
  const ofRow = claim.of === 'row' && where !== undefined;
  const share = ofRow
    ? rowShareOf(q, claim.options, where, data)
    : groupShare(q, claim.options, data, keep, base);
  const { count, n } = share;
  const weighted = share.weighted;
  const percent = weighted
    ? share.weightedN === 0
      ? 0
      : (100 * share.weightedCount) / share.weightedN
    : n === 0
      ? 0
      : (100 * count) / n;
  const checks: Check[] = [];
  if (claim.count !== undefined)
    checks.push({
      name: 'count',
      ok: count === claim.count,
      detail: `${count} counted, ${claim.count} published`,
    });
  if (typeof claim.percent === 'string') {
    if (weighted) {
      checks.push({
        name: 'percent',
        ok: matchesValue(claim.percent, percent),
        detail: `weighted ${trim(share.weightedCount)}/${trim(share.weightedN)} = ${trim(percent)} %, published ${claim.percent} %`,
      });
      checks.push({
        name: 'achievable',
        ok: true,
        detail: 'not applicable (weighted)',
      });
    } else {
      checks.push(percentCheck(claim.percent, count, n), achievableCheck(claim.percent, n));
      if (claim.count !== undefined) checks.push(agreeCheck(claim.percent, claim.count, n));
    }
  }
  const r = result(
    claim,
    claim.question,
    claim.options,
    reported.join(' · '),
    { count, n, percent },
    checks,
  );
  if (base === 'all' && !ofRow) r.base = 'all';
  const words = ofRow ? ofRowWords(codebook, q, claim.options, where) : described(codebook, where);
  if (words) r.where = words;
  if (weighted)
    r.weighted = {
      count: share.weightedCount,
      n: share.weightedN,
      effectiveN: share.effectiveN,
    };
  return r;
}

/** Does a p-value match its published form ("0.040" at three decimals, "<0.001" a bound)? */
export function matchesP(published: string, p: number): boolean {
  const text = published.replace(/\s/g, '');
  if (text.startsWith('<')) return p < Number(text.slice(1));
  if (text.startsWith('>')) return p > Number(text.slice(1));
  return matchesValue(text, p);
}

const testName = { chi2: 'χ²', fisher: 'Fisher', 'mann-whitney': 'U' } as const;

/**
 * A published test of `question` by `by`: the statistic recomputed from the data and compared at
 * its published precision, the degrees of freedom, and the p-value — for χ² recomputed from the
 * published statistic and df (statcheck's rule: some value that rounds to the statistic gives
 * the published p), for Fisher's exact test and Mann-Whitney from the data.
 */
export function checkTestClaim(
  claim: TestClaim,
  codebook: Codebook,
  rows: (() => Rows) | undefined,
): ClaimResult {
  const reported = `${testName[claim.test]}${claim.df !== undefined ? `(${claim.df})` : ''}${
    claim.statistic !== undefined ? ` = ${claim.statistic}` : ''
  }, p ${/^[<>]/.test(claim.p) ? claim.p.replace(/^([<>])\s*/, '$1 ') : `= ${claim.p}`}`;
  if (!rows) return noRows(claim, reported, claim.question, []);
  const q = question(codebook, claim.question);
  const g = question(codebook, claim.by);
  const where = whereOf(codebook, claim.where);
  const data = rows();
  const keep = where ? selectRows(data, where) : undefined;
  const table = crosstab(q, g, data, keep);
  const checks: Check[] = [];
  let value = Number.NaN;
  const pText = claim.p.replace(/\s/g, '');
  const pComparison = pText.startsWith('<') ? '<' : pText.startsWith('>') ? '>' : '=';
  const pNumber = Number(pText.replace(/^[<>]/, ''));
  if (claim.test === 'chi2') {
    const test = crosstabTest(table);
    value = test?.chi.statistic ?? Number.NaN;
    const published = claim.statistic as string;
    checks.push({
      name: 'statistic',
      ok: matchesValue(published, value),
      detail: `χ² = ${trim(value)} from ${table.n} answers, published ${published}`,
    });
    checks.push({
      name: 'df',
      ok: test?.chi.df === claim.df,
      detail: `df = ${test?.chi.df ?? '—'}, published ${claim.df}`,
    });
    const consistent = checkTest({
      test: 'chi2',
      stat: Number(published),
      statDecimals: decimalsOf(published),
      statComparison: '=',
      df1: claim.df,
      p: pNumber,
      pDecimals: decimalsOf(pText.replace(/^[<>]/, '')),
      pComparison,
    });
    checks.push({
      name: 'p',
      ok: consistent?.consistent === true && test !== undefined && matchesP(claim.p, test.chi.p),
      detail: `p of χ²(${claim.df}) = ${published} is ${trim(consistent?.computed ?? Number.NaN)}; of the data ${trim(test?.chi.p ?? Number.NaN)}; published ${claim.p}`,
    });
  } else if (claim.test === 'fisher') {
    const test = crosstabTest(table);
    const p = test?.fisher?.p ?? Number.NaN;
    value = p;
    checks.push({
      name: 'p',
      ok: test?.fisher !== undefined && matchesP(claim.p, p),
      detail: test?.fisher
        ? `Fisher's exact p = ${trim(p)}, published ${claim.p}`
        : table.weighted
          ? "Fisher's exact test takes counts: not computed on a weighted study's figures"
          : 'not a 2×2 table of counts',
    });
  } else {
    const groups = table.columns.map(() => [] as number[]);
    const qa = data.answers[q.id] ?? [];
    const ga = data.answers[g.id] ?? [];
    data.ids.forEach((_, i) => {
      if (keep && !keep[i]) return;
      const [k] = answerOptions(q, qa[i] ?? null);
      const [j] = answerOptions(g, ga[i] ?? null);
      if (k !== undefined && j !== undefined) groups[j]?.push(k);
    });
    const used = groups.filter((x) => x.length > 0);
    const plain =
      used.length === 2 ? mannWhitney(used[0] as number[], used[1] as number[]) : undefined;
    const corrected =
      used.length === 2
        ? mannWhitney(used[0] as number[], used[1] as number[], { continuity: true })
        : undefined;
    const published = claim.statistic as string;
    value = !plain
      ? Number.NaN
      : matchesValue(published, plain.u2) && !matchesValue(published, plain.u)
        ? plain.u2
        : plain.u;
    checks.push({
      name: 'statistic',
      ok:
        plain !== undefined &&
        (matchesValue(published, plain.u) || matchesValue(published, plain.u2)),
      detail: plain
        ? `U = ${trim(plain.u)} (or ${trim(plain.u2)}) from ${plain.n1} and ${plain.n2} answers, published ${published}`
        : `"${g.id}" does not hold two groups with answers`,
    });
    checks.push({
      name: 'p',
      ok:
        plain !== undefined &&
        (matchesP(claim.p, plain.p) || matchesP(claim.p, corrected?.p ?? Number.NaN)),
      detail: plain
        ? `p = ${trim(plain.p)} (with continuity correction ${trim(corrected?.p ?? Number.NaN)}), published ${claim.p}`
        : 'no test',
    });
  }
  const r = result(
    claim,
    claim.question,
    [],
    reported,
    { count: table.n, n: table.n, percent: 0, value },
    checks,
  );
  const words = described(codebook, where);
  if (words) r.where = words;
  return r;
}
