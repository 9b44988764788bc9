import { describe, expect, it } from 'vitest';
import {
  chiSquare,
  chiSquareReliable,
  fisherExact,
  mannWhitney,
} from '../src/stats/association.js';
import { designEffect, effectiveN, wilsonOf } from '../src/stats/weights.js';
import { wilson } from '../src/stats/wilson.js';

describe("Pearson's χ² test of independence", () => {
  // Agresti, An Introduction to Categorical Data Analysis (2nd ed., 2007), table 2.5: party
  // identification by gender; the example of R's ?chisq.test prints "X-squared = 30.07,
  // df = 2, p-value = 2.954e-07" (SciPy's chi2_contingency gives 30.070149095754672, p = 2.9535891832117595e-07).
  const agresti = [
    [762, 327, 468],
    [484, 239, 477],
  ];
  it('matches the example of R documentation (Agresti 2007, table 2.5)', () => {
    const chi = chiSquare(agresti);
    expect(chi?.statistic).toBeCloseTo(30.070149, 5);
    expect(chi?.df).toBe(2);
    expect(chi?.p).toBeCloseTo(2.9535891832e-7, 12);
    expect(chi?.expected[0]?.[0]).toBeCloseTo(703.67138194, 6);
    expect(chi && chiSquareReliable(chi)).toBe(true);
  });

  it('drops rows and columns without answers, and says when expected counts are low', () => {
    const chi = chiSquare([
      [3, 1, 0],
      [1, 3, 0],
      [0, 0, 0],
    ]);
    expect(chi?.df).toBe(1);
    // 4 cells, all expected counts 2 < 5
    expect(chi?.belowFive).toBe(1);
    expect(chi && chiSquareReliable(chi)).toBe(false);
    expect(chiSquare([[1, 2, 3]])).toBeUndefined();
  });

  it("gives Cramér's V as SciPy's documentation example of contingency.association", () => {
    // scipy.stats.contingency.association, example: obs4x2, method="cramer" → 0.18617813077483678
    const chi = chiSquare([
      [100, 150],
      [203, 322],
      [420, 700],
      [320, 210],
    ]);
    expect(chi?.cramersV).toBeCloseTo(0.18617813077483678, 12);
  });
});

describe("Fisher's exact test", () => {
  it('matches the example of SciPy documentation of fisher_exact', () => {
    // scipy.stats.fisher_exact, example table [[8, 2], [1, 5]]: odds ratio 20.0, p = 0.0349650…
    const f = fisherExact([
      [8, 2],
      [1, 5],
    ]);
    expect(f.p).toBeCloseTo(0.034965034965034975, 12);
    expect(f.oddsRatio).toBe(20);
  });

  it("matches R's ?fisher.test examples (TeaTasting two-sided, Convictions)", () => {
    // Agresti (1990) p. 61 tea tasting: two-sided p = 0.4857 (R's fisher.test default alternative)
    expect(
      fisherExact([
        [3, 1],
        [1, 3],
      ]).p,
    ).toBeCloseTo(0.4857142857, 9);
    // Fisher (1962) convictions of like-sex twins: two-sided p = 0.0005367 (R, SciPy)
    expect(
      fisherExact([
        [2, 10],
        [15, 3],
      ]).p,
    ).toBeCloseTo(0.0005367241191434357, 12);
  });

  it('refuses a table that is not 2×2', () => {
    expect(() => fisherExact([[1, 2, 3]])).toThrow(RangeError);
  });
});

describe('Mann-Whitney U', () => {
  // SciPy's documentation of mannwhitneyu: ages of male and female workers, U1 = 17; with
  // method="asymptotic" (continuity correction) p = 0.11134688653314041.
  const males = [19, 22, 16, 29, 24];
  const females = [20, 11, 17, 12];
  it('matches the example of SciPy documentation (continuity corrected)', () => {
    const r = mannWhitney(males, females, { continuity: true });
    expect(r?.u).toBe(17);
    expect(r?.u2).toBe(3);
    expect(r?.p).toBeCloseTo(0.11134688653314041, 12);
  });

  it('without continuity correction: z = (17 − 10)/√(5·4·10/12), worked by hand', () => {
    const r = mannWhitney(males, females);
    expect(r?.z).toBeCloseTo(7 / Math.sqrt(50 / 3), 12);
    // SciPy mannwhitneyu(..., method="asymptotic", use_continuity=False): 0.0864107329737
    expect(r?.p).toBeCloseTo(0.0864107329737, 10);
  });

  it('corrects the variance for ties (worked by hand)', () => {
    // x = 1 2 2 3 3 3, y = 2 3 4 4 5; pooled ranks: 1 → 1; 2 (×3) → 3; 3 (×4) → 6.5;
    // 4 (×2) → 9.5; 5 → 11. R1 = 1 + 3 + 3 + 3·6.5 = 26.5, U = 26.5 − 21 = 5.5.
    // Ties t = 3, 4, 2: Σ(t³ − t) = 24 + 60 + 6 = 90; σ² = 30/12 · (12 − 90/110) = 27.9545…
    // z = (5.5 − 15)/√σ² = −1.79680…; SciPy (use_continuity=False) p = 0.07236892118078302.
    const r = mannWhitney([1, 2, 2, 3, 3, 3], [2, 3, 4, 4, 5]);
    expect(r?.u).toBe(5.5);
    expect(r?.z).toBeCloseTo(-9.5 / Math.sqrt(2.5 * (12 - 90 / 110)), 12);
    expect(r?.p).toBeCloseTo(0.07236892118078302, 12);
    expect(mannWhitney([], [1])).toBeUndefined();
  });
});

describe("Kish's effective sample size", () => {
  it('is (Σw)²/Σw², worked by hand', () => {
    // w = 1, 1, 2, 4: Σw = 8, Σw² = 1 + 1 + 4 + 16 = 22, n_eff = 64/22 = 2.9090…, deff = 4/2.909 = 1.375
    expect(effectiveN([1, 1, 2, 4])).toBeCloseTo(64 / 22, 12);
    expect(designEffect([1, 1, 2, 4])).toBeCloseTo(1.375, 12);
    expect(effectiveN([1, 1, 1])).toBe(3);
    expect(designEffect([2, 2, 2, 2])).toBe(1);
  });

  it('gives the Wilson interval of k/n when n is whole', () => {
    expect(wilsonOf(7 / 20, 20)).toEqual(wilson(7, 20));
    expect(wilsonOf(0, 10)).toEqual(wilson(0, 10));
    expect(wilsonOf(1, 10)).toEqual(wilson(10, 10));
  });
});
