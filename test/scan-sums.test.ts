import { describe, expect, it } from 'vitest';
import { segments } from '../src/scan/extract.js';
import { scanText } from '../src/scan/scan.js';

const scan = (text: string, n?: number) =>
  scanText('text.txt', segments(text, 'text'), undefined, n === undefined ? {} : { n });

describe('sums with no study: counts printed with percentages that add up to 100', () => {
  it('fails counts that do not add up to the n the text states', () => {
    const s = scan(
      'Se encuestó a 21 trabajadores. Por sexo, 5 (25 %) son hombres y 15 (75 %) son mujeres.',
    );
    expect(s.base?.n).toBe(21);
    expect(s.sums).toHaveLength(1);
    expect(s.sums[0]).toMatchObject({ total: 20, expected: 21, ok: false });
    expect(s.sums[0]?.note).toMatch(/add up to 20, not n = 21/);
    expect(s.ok).toBe(false);
  });

  it('takes the n of --n', () => {
    const text = 'Por sexo, 5 (25 %) son hombres y 15 (75 %) son mujeres.';
    expect(scan(text, 20).ok).toBe(true);
    expect(scan(text, 20).sums[0]).toMatchObject({ total: 20, expected: 20, ok: true });
    expect(scan(text, 21).sums[0]).toMatchObject({ expected: 21, ok: false });
  });

  it('adds the counts of a subgroup the sentence names up to that subgroup', () => {
    const s = scan(
      'Se encuestó a 30 trabajadores. De los 13 hombres, 9 (69,2 %) están satisfechos y 4 (30,8 %) no.',
    );
    expect(s.sums[0]).toMatchObject({ total: 13, expected: 13, ok: true });
    expect(s.ok).toBe(true);
  });

  it('checks nothing when the percentages do not cover every answer', () => {
    const s = scan('Of 40 farmers, 10 (25%) sell at the market and 6 (15%) sell to traders.');
    expect(s.sums).toEqual([]);
    expect(s.ok).toBe(true);
  });
});

describe('a mean word earlier in the sentence', () => {
  it('does not make a later count a mean ("social media", a number in between)', () => {
    const s = scan(
      'The median age is 44. Of those who answered, 59.9% hear about the council on social media, 112 residents.\nThe median household has 4 members and 112 residents answered.',
      187,
    );
    expect(s.numbers.map((n) => `${n.printed}:${n.kind}`)).toEqual([
      '44:mean',
      '59.9%:share',
      '112:count',
      '4:mean',
      '112:count',
    ]);
  });

  it('still reads a mean past a scale named by its points', () => {
    const s = scan('The mean score on the 5-point scale was 3.2.', 40);
    expect(s.numbers.find((n) => n.printed === '3.2')?.kind).toBe('mean');
  });
});
