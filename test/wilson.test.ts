import { describe, expect, it } from 'vitest';
import { wilson } from '../src/stats/wilson.js';

describe('Wilson score interval', () => {
  // Newcombe (1998), Statistics in Medicine 17:857–872, table I, method 3 (score, no continuity correction).
  it.each([
    [81, 263, 0.2553, 0.3662],
    [15, 148, 0.0624, 0.1605],
    [0, 20, 0.0, 0.1611],
    [1, 29, 0.0061, 0.1718],
  ])('%i/%i matches Newcombe (1998)', (k, n, lower, upper) => {
    const [lo, hi] = wilson(k, n);
    expect(lo).toBeCloseTo(lower, 4);
    expect(hi).toBeCloseTo(upper, 4);
  });

  it('computes a hand-worked case: 1 of 2', () => {
    // p = 0.5, z² = 3.8415: centre 0.5, half = (z / (1 + z²/2)) · √(0.125 + z²/16) = 0.4031
    const [lo, hi] = wilson(1, 2);
    expect(lo).toBeCloseTo(0.0945, 4);
    expect(hi).toBeCloseTo(0.9055, 4);
  });

  it('is symmetric: the interval of k/n mirrors that of (n−k)/n', () => {
    const [lo, hi] = wilson(3, 40);
    const [lo2, hi2] = wilson(37, 40);
    expect(lo).toBeCloseTo(1 - hi2, 12);
    expect(hi).toBeCloseTo(1 - lo2, 12);
  });

  it('stays inside [0, 1] and is exact at the ends', () => {
    expect(wilson(0, 40)[0]).toBe(0);
    expect(wilson(40, 40)[1]).toBe(1);
    expect(wilson(0, 0)).toEqual([0, 1]);
  });

  it('rejects impossible counts', () => {
    expect(() => wilson(5, 4)).toThrow(RangeError);
    expect(() => wilson(1.5, 4)).toThrow(RangeError);
  });
});
