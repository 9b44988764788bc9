import { Z95 } from './wilson.js';

/** Kish's effective sample size of a set of weights: (Σw)² / Σw² (Kish 1965, §11.7). */
export function effectiveN(weights: readonly number[]): number {
  let sum = 0;
  let squares = 0;
  for (const w of weights) {
    sum += w;
    squares += w * w;
  }
  return squares === 0 ? 0 : (sum * sum) / squares;
}

/** Kish's design effect of unequal weights: n / n_eff = n·Σw² / (Σw)² = 1 + CV² of the weights. */
export function designEffect(weights: readonly number[]): number {
  const neff = effectiveN(weights);
  return neff === 0 ? Number.NaN : weights.length / neff;
}

/**
 * The Wilson score interval of a proportion p on a (possibly fractional) sample size n: a
 * weighted share on Kish's effective n. The same formula as `wilson(k, n)` with p = k/n.
 */
export function wilsonOf(p: number, n: number, z = Z95): [number, number] {
  if (!(n > 0) || !(p >= 0 && p <= 1)) return [0, 1];
  const z2 = z * z;
  const denominator = 1 + z2 / n;
  const centre = (p + z2 / (2 * n)) / denominator;
  const half = (z / denominator) * Math.sqrt((p * (1 - p)) / n + z2 / (4 * n * n));
  return [p === 0 ? 0 : Math.max(0, centre - half), p === 1 ? 1 : Math.min(1, centre + half)];
}
