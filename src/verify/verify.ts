import { type Claim, decimalsOf, type ShareClaim } from '../load/claims.js';
import type { Codebook, Localized } from '../load/codebook.js';
import type { Rows } from '../stats/crosstab.js';
import { baseCount, countOf, questionResult, type Results } from '../stats/frequencies.js';
import {
  achievable,
  type Convention,
  conventionsOf,
  matchesPercent,
  matchesValue,
} from '../stats/percent.js';
import { checkSubgroupShare, checkTestClaim, isGroupClaim } from './groups.js';

export type Status = 'pass' | 'fail';

export interface Check {
  /** value: the figure itself; achievable: some count out of n gives it (GRIM); agree: its count and percentage agree. */
  name: 'value' | 'count' | 'percent' | 'achievable' | 'agree' | 'statistic' | 'df' | 'p';
  ok: boolean;
  detail: string;
}

export interface ClaimResult {
  id: string;
  kind: Claim['kind'];
  question: string | null;
  options: string[];
  about?: Localized;
  /** The claim as published, e.g. "92.5 %", "30 · 75 %", "40", "all". */
  reported: string;
  /** The same as printed in the source, decimal mark and all ("31,2 %", "30 · 62%"). */
  printed: string;
  /** count/n as a percentage; for a mean or median, `value` (n: the answers it is of). */
  recomputed: { count: number; n: number; percent: number; value?: number };
  /** The percentage base when it is every respondent, blanks included. */
  base?: 'all';
  /** The claim's own base (`n:`), a subgroup the study does not hold row by row, and its label. */
  given?: { n: number; group?: string };
  /** The rounding conventions that give the published percentage from its count and n. */
  conventions?: Convention[];
  /** How the figure was read: an exact half, or a rounding other than the study's. */
  rounding?: string;
  /** The subgroup the figure is of, in words per language ("men"). */
  where?: Localized;
  /** Weighted: the percentage is of weights; GRIM does not apply. */
  weighted?: { count: number; n: number; effectiveN: number };
  status: Status;
  checks: Check[];
}

/** A check across the claims of one question: the published percentages of a full set of options add up. */
export interface SumCheck {
  question: string;
  /** Percentages add up to 100; counts to the question's n (the published n when none is blank). */
  of: 'percent' | 'count';
  claims: string[];
  reportedTotal: number;
  expected: number;
  tolerance: number;
  status: Status;
}

export interface Verification {
  claims: ClaimResult[];
  sums: SumCheck[];
  /** The rounding convention that gives most of the published percentages. */
  convention?: Convention;
  /** Claims whose percentage only another rounding convention gives (a warning; a failure under --strict). */
  inconsistent: string[];
  passed: number;
  failed: number;
  ok: boolean;
}

export function verify(
  codebook: Codebook,
  results: Results,
  claims: readonly Claim[],
  rows?: () => Rows,
): Verification {
  const checked = claims.map((claim) =>
    isGroupClaim(claim, codebook)
      ? claim.kind === 'test'
        ? checkTestClaim(claim, codebook, rows)
        : checkSubgroupShare(claim as Extract<Claim, { kind: 'share' }>, codebook, rows)
      : checkClaim(claim, results),
  );
  const sums = sumChecks(
    codebook,
    claims.filter((c) => !isGroupClaim(c, codebook)),
    results,
  );
  const { convention, inconsistent } = roundingOf(checked);
  const failed =
    checked.filter((c) => c.status === 'fail').length +
    sums.filter((s) => s.status === 'fail').length;
  return {
    claims: checked,
    sums,
    ...(convention ? { convention } : {}),
    inconsistent,
    passed: checked.length + sums.length - failed,
    failed,
    ok: failed === 0,
  };
}

/** GRIM: some count out of n rounds to the printed percentage. */
export const achievableCheck = (printed: string, n: number): Check => ({
  name: 'achievable',
  ok: achievable(printed, n),
  detail: `a count out of ${n} rounds to ${printed} % at ${decimalsOf(printed)} decimal(s)`,
});

/** The published count and percentage agree with each other over n. */
export const agreeCheck = (printed: string, count: number, n: number): Check => ({
  name: 'agree',
  ok: matchesPercent(printed, count, n),
  detail: `${count}/${n} against ${printed} %`,
});

/** The recounted count over n gives the printed percentage. */
export const percentCheck = (printed: string, count: number, n: number): Check => ({
  name: 'percent',
  // rounded (half up or half to even); a study that truncates is told apart in roundingOf
  ok: matchesPercent(printed, count, n),
  detail: `${count}/${n} = ${trim((100 * count) / n)} %, published ${printed} %`,
});

function checkClaim(claim: Claim, results: Results): ClaimResult {
  const checks: Check[] = [];
  if (claim.kind === 'population') {
    const n = results.respondents;
    checks.push({
      name: 'count',
      ok: n === claim.count,
      detail: `${n} respondents, ${claim.count} published`,
    });
    return result(claim, null, [], String(claim.count), { count: n, n, percent: 100 }, checks);
  }
  if (claim.kind === 'test')
    throw new Error('a test claim is checked row by row (verify/groups.ts)');
  const question = questionResult(results, claim.question);
  if (claim.kind === 'mean' || claim.kind === 'median') {
    const summary = question?.numeric ?? question?.ordinal?.scores;
    const value = summary ? summary[claim.kind] : Number.NaN;
    const published = String(claim.value);
    checks.push({
      name: 'value',
      ok: matchesValue(published, value),
      detail: `${claim.kind} of ${summary?.n ?? 0} answers = ${trim(value)}, published ${published}`,
    });
    const n = summary?.n ?? 0;
    return result(claim, claim.question, [], published, { count: n, n, percent: 0, value }, checks);
  }
  const given = claim.kind === 'share' && claim.n !== undefined ? claim.n : undefined;
  if (claim.kind === 'share' && given !== undefined) return checkGivenBase(claim, given);
  const n = question ? baseCount(question, claim.kind === 'share' ? claim.base : 'valid') : 0;
  const count = question ? countOf(question, claim.options) : 0;
  const percent = n === 0 ? 0 : (100 * count) / n;
  const recomputed = { count, n, percent };
  if (claim.kind === 'all') {
    checks.push({
      name: 'value',
      ok: n > 0 && count === n,
      detail: `${count} of ${n} answers in ${claim.options.join(', ')}`,
    });
    return result(claim, claim.question, claim.options, 'all', recomputed, checks);
  }
  const reported: string[] = [];
  if (claim.count !== undefined) {
    reported.push(String(claim.count));
    checks.push({
      name: 'count',
      ok: count === claim.count,
      detail: `${count} counted, ${claim.count} published`,
    });
  }
  let conventions: Convention[] | undefined;
  if (typeof claim.percent === 'string') {
    reported.push(`${claim.percent} %`);
    conventions = conventionsOf(claim.percent, count, n);
    checks.push(percentCheck(claim.percent, count, n), achievableCheck(claim.percent, n));
    if (claim.count !== undefined) checks.push(agreeCheck(claim.percent, claim.count, n));
  }
  const r = result(claim, claim.question, claim.options, reported.join(' · '), recomputed, checks);
  if (question && (claim.base ?? question.base) === 'all') r.base = 'all';
  if (conventions) r.conventions = conventions;
  return r;
}

/**
 * A share of a base the study does not hold row by row (`n:`): its count cannot be recounted,
 * so what is checked is what the published figures say of themselves: some count out of n gives
 * the percentage (GRIM), and the published count and percentage agree.
 */
function checkGivenBase(claim: ShareClaim, n: number): ClaimResult {
  const checks: Check[] = [];
  const reported: string[] = [];
  let count = claim.count;
  if (claim.count !== undefined) reported.push(String(claim.count));
  let conventions: Convention[] | undefined;
  if (typeof claim.percent === 'string') {
    const p = claim.percent;
    reported.push(`${p} %`);
    checks.push(achievableCheck(p, n));
    if (claim.count !== undefined) {
      conventions = conventionsOf(p, claim.count, n);
      checks.push(agreeCheck(p, claim.count, n));
    } else {
      // the count the percentage stands for, where one does
      const centre = Math.round((Number(p) * n) / 100);
      count = [centre, centre - 1, centre + 1].find(
        (k) => k >= 0 && k <= n && matchesPercent(p, k, n),
      );
      if (count !== undefined) conventions = conventionsOf(p, count, n);
    }
  }
  const k = count ?? Math.round((Number(claim.percent) * n) / 100);
  const r = result(
    claim,
    claim.question,
    claim.options,
    reported.join(' · '),
    { count: k, n, percent: (100 * k) / n },
    checks,
  );
  r.given = { n, ...(claim.group ? { group: claim.group } : {}) };
  if (conventions) r.conventions = conventions;
  return r;
}

/**
 * The study's rounding convention (the one that gives most published percentages), and the
 * claims only another convention gives: each is told how it was read, and the exact halves say
 * which rounding they assumed.
 */
function roundingOf(claims: ClaimResult[]): {
  convention?: Convention;
  inconsistent: string[];
} {
  const tally = new Map<Convention, number>();
  for (const c of claims)
    for (const k of c.conventions ?? []) tally.set(k, (tally.get(k) ?? 0) + 1);
  const order: Convention[] = ['half-up', 'half-even', 'truncation'];
  const convention = [...tally].sort(
    (a, b) => b[1] - a[1] || order.indexOf(a[0]) - order.indexOf(b[0]),
  )[0]?.[0];
  const inconsistent: string[] = [];
  if (!convention) return { inconsistent };
  for (const c of claims) {
    const k = c.conventions;
    if (!k || k.length === 0) continue;
    const rounding = ['percent', 'agree'] as const;
    // a study that truncates: its truncated figures pass (their other checks still count)
    if (convention === 'truncation' && k.includes('truncation') && c.status === 'fail') {
      for (const check of c.checks)
        if ((rounding as readonly string[]).includes(check.name) && !check.ok) {
          check.ok = true;
          check.detail += ', truncated as the study truncates';
        }
      c.status = c.checks.every((x) => x.ok) ? 'pass' : 'fail';
    }
    if (!k.includes(convention)) {
      // a figure only truncation gives, in a study that rounds, stays a failure (one answer
      // moved gives as much); one only rounding gives, in a study that truncates, is a warning
      c.rounding = `inconsistent rounding: only ${k.join(' or ')} gives it, the study rounds ${convention}`;
      inconsistent.push(c.id);
    } else if (k.includes('half-up') !== k.includes('half-even')) {
      // an exact half: half up and half to even part ways
      c.rounding = k.includes('half-up')
        ? 'an exact half, rounded half up (half-even would give another figure)'
        : 'an exact half, rounded half to even (half up would give another figure)';
    }
  }
  return { convention, inconsistent };
}

export function result(
  claim: Claim,
  question: string | null,
  options: string[],
  reported: string,
  recomputed: ClaimResult['recomputed'],
  checks: Check[],
): ClaimResult {
  return {
    id: claim.id,
    kind: claim.kind,
    question,
    options,
    ...(claim.about ? { about: claim.about } : {}),
    reported,
    printed: printedOf(claim, reported),
    recomputed,
    status: checks.every((c) => c.ok) ? 'pass' : 'fail',
    checks,
  };
}

/**
 * Where the published figures cover every option of a question, they must add up: the
 * percentages to 100 within rounding, the counts to the question's n (or to the published
 * number of respondents, when the question has no blank answers). A claim that covers every
 * option at once is a total (its own check is that it is all), never a part; a claim whose
 * options another claim already covers (the same share printed twice, with and without its
 * count) is counted once, so duplicates never remove the check. Not for a multiple question (a
 * respondent may choose several options), nor for shares of all respondents (the blanks are
 * part of their whole).
 */
function sumChecks(codebook: Codebook, claims: readonly Claim[], results: Results): SumCheck[] {
  const sums: SumCheck[] = [];
  const population = claims.find((c) => c.kind === 'population');
  for (const question of codebook.questions) {
    if (question.type === 'multiple') continue;
    const all = question.options.map((o) => o.code);
    const ofQuestion = claims.filter(
      (c): c is Extract<Claim, { kind: 'share' }> =>
        c.kind === 'share' &&
        c.question === question.id &&
        c.options.length < all.length &&
        (c.base ?? question.base) === 'valid',
    );
    // the study's own base, and each base a claim names (n:, group:), add up on their own
    const bases = new Map<string, Extract<Claim, { kind: 'share' }>[]>();
    for (const c of ofQuestion) {
      const key = c.n === undefined ? '' : `${c.n}\n${c.group ?? ''}`;
      bases.set(key, [...(bases.get(key) ?? []), c]);
    }
    for (const shares of bases.values()) {
      const given = shares[0]?.n;
      // a partition of the options, in the claims' order, each option once
      const pick = (has: (c: Extract<Claim, { kind: 'share' }>) => boolean) => {
        const covered = new Set<string>();
        const parts: Extract<Claim, { kind: 'share' }>[] = [];
        for (const c of shares) {
          if (!has(c) || c.options.some((o) => covered.has(o))) continue;
          parts.push(c);
          for (const o of c.options) covered.add(o);
        }
        return covered.size === all.length && parts.length >= 2 ? parts : undefined;
      };
      const percents = pick((c) => typeof c.percent === 'string');
      if (percents) {
        const reportedTotal = percents.reduce((sum, c) => sum + Number(c.percent), 0);
        const tolerance = percents.reduce(
          (sum, c) => sum + 0.5 * 10 ** -decimalsOf(c.percent as string),
          0,
        );
        sums.push({
          question: question.id,
          of: 'percent',
          claims: percents.map((c) => c.id),
          reportedTotal: Number(reportedTotal.toFixed(6)),
          expected: 100,
          tolerance: Number(tolerance.toFixed(6)),
          status: Math.abs(reportedTotal - 100) <= tolerance + 1e-9 ? 'pass' : 'fail',
        });
      }
      const counts = pick((c) => c.count !== undefined);
      if (counts) {
        const reportedTotal = counts.reduce((sum, c) => sum + (c.count ?? 0), 0);
        const q = questionResult(results, question.id);
        const expected =
          given !== undefined
            ? given
            : population && population.kind === 'population' && (q?.missing ?? 0) === 0
              ? population.count
              : (q?.n ?? 0);
        sums.push({
          question: question.id,
          of: 'count',
          claims: counts.map((c) => c.id),
          reportedTotal,
          expected,
          tolerance: 0,
          status: reportedTotal === expected ? 'pass' : 'fail',
        });
      }
    }
  }
  return sums;
}

/** The claim's figures as the source printed them: its percentage with its own decimal mark and sign. */
function printedOf(claim: Claim, reported: string): string {
  if (claim.kind !== 'share' || claim.printed === undefined) return reported;
  const printed = /%$/.test(claim.printed) ? claim.printed : `${claim.printed} %`;
  return claim.count === undefined ? printed : `${claim.count} · ${printed}`;
}

function trim(value: number): string {
  return Number(value.toFixed(4)).toString();
}
