import chisquareCdf from '@stdlib/stats-base-dists-chisquare-cdf';
import fCdf from '@stdlib/stats-base-dists-f-cdf';
import normalCdf from '@stdlib/stats-base-dists-normal-cdf';
import tCdf from '@stdlib/stats-base-dists-t-cdf';

/** The test statistics whose p-value can be recomputed from the statistic and its degrees of freedom. */
export type TestType = 'chi2' | 't' | 'F' | 'r' | 'z';

/**
 * The p-value of a test statistic: χ² (df1) and F (df1, df2) upper tail; t (df2), r (df2, through
 * t = r·√(df/(1−r²))) and z two-tailed unless `twoTailed` is false. NaN when the degrees of freedom
 * the test needs are missing or out of range.
 */
export function pValue(
  test: TestType,
  stat: number,
  df1?: number,
  df2?: number,
  twoTailed = true,
): number {
  const tails = twoTailed ? 2 : 1;
  switch (test) {
    case 'chi2':
      return df1 === undefined || df1 <= 0 ? Number.NaN : 1 - chisquareCdf(stat, df1);
    case 'F':
      return df1 === undefined || df2 === undefined || df1 <= 0 || df2 <= 0
        ? Number.NaN
        : 1 - fCdf(stat, df1, df2);
    case 't':
      return df2 === undefined || df2 <= 0 ? Number.NaN : tails * tCdf(-Math.abs(stat), df2);
    case 'r': {
      if (df2 === undefined || df2 <= 0 || Math.abs(stat) > 1) return Number.NaN;
      if (Math.abs(stat) === 1) return 0;
      const t = stat / Math.sqrt((1 - stat * stat) / df2);
      return tails * tCdf(-Math.abs(t), df2);
    }
    case 'z':
      return tails * normalCdf(-Math.abs(stat), 0, 1);
  }
}

/** A test as a text reports it: the statistic (and its decimals), its degrees of freedom, the p-value. */
export interface ReportedTest {
  test: TestType;
  stat: number;
  /** Decimals the statistic was printed with. */
  statDecimals: number;
  /** "=" unless the statistic is given as a bound ("t < 1"). */
  statComparison: '=' | '<' | '>';
  df1?: number;
  df2?: number;
  p: number;
  /** Decimals the p-value was printed with. */
  pDecimals: number;
  pComparison: '=' | '<' | '>';
  twoTailed?: boolean;
}

export interface TestCheck {
  /** The p-values the printed statistic allows (it may have been rounded): [lowest, highest]. */
  range: [number, number];
  /** The p-value of the statistic as printed. */
  computed: number;
  /** Some value that rounds to the printed statistic gives the printed p-value. */
  consistent: boolean;
  /** Inconsistent, and the printed p and the recomputed one lie on different sides of alpha. */
  decisionError: boolean;
}

const round = (x: number, decimals: number) => {
  const f = 10 ** decimals;
  return Math.round(x * f) / f;
};

/**
 * statcheck's rule (Nuijten et al. 2016; Epskamp & Nuijten, R package statcheck, error_test and
 * decision_error_test): the printed statistic stands for every value that rounds to it; the
 * report is consistent when the printed p-value is reachable from one of them at the p-value's
 * own precision. A decision error is an inconsistency that crosses alpha (p = alpha counts as
 * significant, as statcheck's default).
 */
export function checkTest(r: ReportedTest, alpha = 0.05): TestCheck | undefined {
  const half = 0.5 / 10 ** r.statDecimals;
  const sign = r.stat < 0 ? -1 : 1;
  const lowStat = r.stat - sign * half;
  const upStat = r.stat + sign * half;
  const p = (s: number) => pValue(r.test, s, r.df1, r.df2, r.twoTailed ?? true);
  const upP = p(lowStat);
  const lowP = p(upStat);
  const computed = p(r.stat);
  if ([upP, lowP, computed].some(Number.isNaN)) return undefined;
  let error = false;
  const rp = r.p;
  if (rp <= 0) error = true;
  else if (r.statComparison === '=') {
    if (r.pComparison === '=')
      error = rp > round(upP, r.pDecimals) || rp < round(lowP, r.pDecimals);
    else if (r.pComparison === '<') error = rp < lowP;
    else error = rp > upP;
  } else if (r.statComparison === '<') {
    if (r.pComparison === '=') error = rp < round(upP, r.pDecimals);
    else if (r.pComparison === '<') error = rp < upP;
  } else if (r.pComparison === '=') error = rp > round(lowP, r.pDecimals);
  else if (r.pComparison === '>') error = rp > lowP;
  let decision = false;
  if (error) {
    // p = alpha reads as significant (statcheck's default)
    if (r.pComparison === '=') decision = rp <= alpha !== computed <= alpha;
    else if (r.pComparison === '<') decision = rp <= alpha && computed > alpha;
    else decision = rp >= alpha && computed <= alpha;
  }
  return { range: [lowP, upP], computed, consistent: !error, decisionError: decision };
}
