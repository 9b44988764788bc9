import { decimalsOf } from '../load/claims.js';

/** Does k out of n, as a percentage rounded to the published precision, equal the published value? */
export function matchesPercent(percent: string, k: number, n: number): boolean {
  if (n === 0) return false;
  const d = decimalsOf(percent);
  const scaled = Math.round(Number(percent) * 10 ** d);
  // |100·k/n − V/10^d| ≤ ½·10^−d, in integers: either rounding convention at an exact half is accepted.
  return 2 * Math.abs(100 * k * 10 ** d - scaled * n) <= n;
}

/** Does a value, rounded to the precision it was published with, equal the published value? */
export function matchesValue(published: string, value: number): boolean {
  if (!Number.isFinite(value)) return false;
  const d = decimalsOf(published);
  // either rounding convention at an exact half is accepted; a little slack for binary fractions
  return (
    Math.abs(value - Number(published)) <= 0.5 * 10 ** -d + 1e-9 * Math.max(1, Math.abs(value))
  );
}

/** GRIM-style test: can any count out of n produce this percentage at its precision? */
export function achievable(percent: string, n: number): boolean {
  if (n === 0) return false;
  const centre = Math.round((Number(percent) * n) / 100);
  for (let k = Math.max(0, centre - 1); k <= Math.min(n, centre + 1); k++) {
    if (matchesPercent(percent, k, n)) return true;
  }
  return false;
}

/** Ways of rounding a share to its printed precision. */
export type Convention = 'half-up' | 'half-even' | 'truncation';

/**
 * The rounding conventions under which k out of n prints as the published percentage: half up
 * (an exact half goes up), half to even (an exact half goes to the even digit), truncation.
 */
export function conventionsOf(percent: string, k: number, n: number): Convention[] {
  if (n === 0) return [];
  const d = decimalsOf(percent);
  const v = Math.round(Math.abs(Number(percent)) * 10 ** d);
  // exact = 100·k·10^d / n, compared in integers: 2·100·k·10^d against (2v ± 1)·n
  const x2 = 2 * 100 * k * 10 ** d;
  const out: Convention[] = [];
  const lowTie = x2 === (2 * v - 1) * n;
  const highTie = x2 === (2 * v + 1) * n;
  const inside = x2 > (2 * v - 1) * n && x2 < (2 * v + 1) * n;
  if (inside || lowTie) out.push('half-up');
  if (inside || (lowTie && v % 2 === 0) || (highTie && v % 2 === 0)) out.push('half-even');
  if (100 * k * 10 ** d >= v * n && 100 * k * 10 ** d < (v + 1) * n) out.push('truncation');
  return out;
}
