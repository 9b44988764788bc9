import hypergeometricPmf from '@stdlib/stats-base-dists-hypergeometric-pmf';
import { pValue } from './tests.js';

/** Pearson's χ² test of independence of a table of counts (rows × columns). */
export interface ChiSquare {
  statistic: number;
  df: number;
  p: number;
  /** Expected counts under independence, of the rows and columns with a total above zero. */
  expected: number[][];
  /** Share of the expected counts below 5. */
  belowFive: number;
  /** The smallest expected count. */
  minExpected: number;
  /** Cramér's V: √(χ² / (n·(min(r, c) − 1))). */
  cramersV: number;
  n: number;
}

/** Rows and columns whose total is above zero (a row or column without answers tests nothing). */
function nonEmpty(table: readonly (readonly number[])[]): number[][] {
  const cols = table[0]?.length ?? 0;
  const colTotals = Array.from({ length: cols }, (_, j) =>
    table.reduce((s, row) => s + (row[j] ?? 0), 0),
  );
  return table
    .filter((row) => row.reduce((s, x) => s + x, 0) > 0)
    .map((row) => row.filter((_, j) => (colTotals[j] ?? 0) > 0));
}

/**
 * Pearson's χ² statistic without continuity correction (as R's `chisq.test(correct = FALSE)`,
 * SciPy's `chi2_contingency(correction=False)`), df = (r − 1)(c − 1) over the rows and columns
 * that hold answers, p its upper tail. Undefined when fewer than two rows or two columns hold answers.
 */
export function chiSquare(table: readonly (readonly number[])[]): ChiSquare | undefined {
  const t = nonEmpty(table);
  const r = t.length;
  const c = t[0]?.length ?? 0;
  if (r < 2 || c < 2) return undefined;
  const rowTotals = t.map((row) => row.reduce((s, x) => s + x, 0));
  const colTotals = Array.from({ length: c }, (_, j) => t.reduce((s, row) => s + (row[j] ?? 0), 0));
  const n = rowTotals.reduce((s, x) => s + x, 0);
  let statistic = 0;
  let below = 0;
  let minExpected = Number.POSITIVE_INFINITY;
  const expected = t.map((row, i) =>
    row.map((observed, j) => {
      const e = ((rowTotals[i] as number) * (colTotals[j] as number)) / n;
      statistic += (observed - e) ** 2 / e;
      if (e < 5) below++;
      minExpected = Math.min(minExpected, e);
      return e;
    }),
  );
  const df = (r - 1) * (c - 1);
  return {
    statistic,
    df,
    p: pValue('chi2', statistic, df),
    expected,
    belowFive: below / (r * c),
    minExpected,
    cramersV: Math.sqrt(statistic / (n * (Math.min(r, c) - 1))),
    n,
  };
}

/**
 * The usual rule for the χ² approximation (Cochran 1954): no more than 20 % of the expected
 * counts below 5, none below 1.
 */
export function chiSquareReliable(chi: ChiSquare): boolean {
  return chi.belowFive <= 0.2 && chi.minExpected >= 1;
}

/** Fisher's exact test of a 2×2 table. */
export interface FisherExact {
  /** Two-sided p: the probability of every table with the margins as likely as the one seen, or less. */
  p: number;
  /** The sample odds ratio ad/bc (Infinity when bc = 0 and ad > 0; NaN when both are 0). */
  oddsRatio: number;
}

/**
 * Fisher's exact test of a 2×2 table [[a, b], [c, d]], two-sided as R's `fisher.test` and
 * SciPy's `fisher_exact`: the tables with the same margins whose probability is at most the
 * observed one's (with a relative tolerance of 1e-7, as R) summed.
 */
export function fisherExact(table: readonly (readonly number[])[]): FisherExact {
  const cells = [...(table[0] ?? []), ...(table[1] ?? [])];
  if (
    table.length !== 2 ||
    table.some((row) => row.length !== 2) ||
    cells.some((x) => !Number.isInteger(x) || x < 0)
  )
    throw new RangeError('fisherExact: need a 2×2 table of whole counts');
  const [A, B, C, D] = cells as [number, number, number, number];
  const row1 = A + B;
  const col1 = A + C;
  const n = A + B + C + D;
  // a follows the hypergeometric law: n items, col1 successes, row1 drawn
  const low = Math.max(0, row1 + col1 - n);
  const high = Math.min(row1, col1);
  const observed = hypergeometricPmf(A, n, col1, row1);
  let p = 0;
  for (let x = low; x <= high; x++) {
    const px = hypergeometricPmf(x, n, col1, row1);
    if (px <= observed * (1 + 1e-7)) p += px;
  }
  const ad = A * D;
  const bc = B * C;
  return { p: Math.min(1, p), oddsRatio: bc === 0 ? (ad === 0 ? Number.NaN : Infinity) : ad / bc };
}

/** The Mann-Whitney U test of two groups' ordered values. */
export interface MannWhitney {
  /** U of the first group: the pairs (x, y) with x > y, ties counting one half. */
  u: number;
  /** U of the second group (n1·n2 − u). */
  u2: number;
  n1: number;
  n2: number;
  /** The standardised U with the variance corrected for ties. */
  z: number;
  /** Two-sided p of z under the normal approximation. */
  p: number;
}

/**
 * Mann-Whitney U (Wilcoxon rank-sum) with the normal approximation, its variance corrected for
 * ties: σ² = n1·n2/12 · ((n + 1) − Σ(t³ − t)/(n(n − 1))). Without continuity correction by
 * default (as SPSS prints z); `continuity` subtracts ½ from |U − n1·n2/2| as R's `wilcox.test`
 * and SciPy's `mannwhitneyu(method="asymptotic")` do by default.
 */
export function mannWhitney(
  x: readonly number[],
  y: readonly number[],
  options: { continuity?: boolean } = {},
): MannWhitney | undefined {
  const n1 = x.length;
  const n2 = y.length;
  if (n1 === 0 || n2 === 0) return undefined;
  const all = [...x.map((v) => [v, 0] as const), ...y.map((v) => [v, 1] as const)].sort(
    (p, q) => p[0] - q[0],
  );
  const n = n1 + n2;
  let rankSum1 = 0;
  let tieTerm = 0;
  for (let i = 0; i < n; ) {
    let j = i;
    while (
      j + 1 < n &&
      (all[j + 1] as readonly [number, number])[0] === (all[i] as readonly [number, number])[0]
    )
      j++;
    const t = j - i + 1;
    const rank = (i + 1 + j + 1) / 2;
    for (let k = i; k <= j; k++)
      if ((all[k] as readonly [number, number])[1] === 0) rankSum1 += rank;
    tieTerm += t ** 3 - t;
    i = j + 1;
  }
  const u = rankSum1 - (n1 * (n1 + 1)) / 2;
  const mean = (n1 * n2) / 2;
  const variance = ((n1 * n2) / 12) * (n + 1 - tieTerm / (n * (n - 1)));
  let diff = u - mean;
  if (options.continuity) diff = Math.sign(diff) * Math.max(0, Math.abs(diff) - 0.5);
  const z = variance > 0 ? diff / Math.sqrt(variance) : 0;
  return { u, u2: n1 * n2 - u, n1, n2, z, p: variance > 0 ? pValue('z', z) : 1 };
}
