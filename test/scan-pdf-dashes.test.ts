import { describe, expect, it } from 'vitest';
import { restoreDashes } from '../src/scan/extract.js';
import { findNumbers } from '../src/scan/numbers.js';

const kinds = (line: string) =>
  findNumbers([{ text: restoreDashes(line), line: 1, column: 1 }]).map((f) => [f.printed, f.kind]);

describe("a PDF's dashes, as text extractors give them", () => {
  it('restores an interval whose dash came out as a stray letter, spaced or glued', () => {
    expect(restoreDashes('Conoce 3 7.5% 2.6% B 19.9%')).toBe('Conoce 3 7.5% 2.6% – 19.9%');
    expect(restoreDashes('(IC 95 %: 80,1 % Ã 97,4 %)')).toBe('(IC 95 %: 80,1 % – 97,4 %)');
    expect(restoreDashes('7.5% (2.6%B19.9%)')).toBe('7.5% (2.6%–19.9%)');
    expect(kinds('Conoce 3 7.5% 2.6% B 19.9%')).toEqual([
      ['3', 'count'],
      ['7.5%', 'share'],
      ['2.6%', 'interval-bound'],
      ['19.9%', 'interval-bound'],
    ]);
  });

  it('restores a dash or hyphen that came out as a control, private-use or replacement character', () => {
    expect(restoreDashes('7,5 % (2,6\u000319,9 %)')).toBe('7,5 % (2,6–19,9 %)');
    expect(restoreDashes('2.6% \ue00a 19.9%')).toBe('2.6% – 19.9%');
    expect(restoreDashes('2.6\ufffd19.9 %')).toBe('2.6–19.9 %');
    expect(restoreDashes('micro\u0003clúster, bien\u00adestar')).toBe('micro-clúster, bienestar');
    expect(restoreDashes('59.8\u201085.8%')).toBe('59.8–85.8%');
    expect(kinds('(IC 95 %: 2,6 %\u000319,9 %)').map(([, k]) => k)).toEqual([
      'confidence-level',
      'interval-bound',
      'interval-bound',
    ]);
  });

  it('leaves words between figures alone', () => {
    for (const line of [
      'de 3 a 5 años',
      'entre 18 y 25',
      '3 o 4 veces',
      'una mesa de 2 x 3',
      'Tabla 3 Figura 2',
      'de 10% a 20%',
      '12 de 40 (30%)',
      'p = 0.04 − 0.01',
      'Conoce\t3\t7.5%',
    ])
      expect(restoreDashes(line), line).toBe(line);
  });

  it('reads a test whose head ends one line of a page and whose value and p start the next', () => {
    const found = findNumbers([
      { text: 'Satisfaction and sex were not associated, χ²(2) =', line: 4, column: 1, page: 2 },
      { text: '4.21, p = 0.122 (Table 3).', line: 5, column: 1, page: 2 },
    ]);
    expect(found.map((f) => [f.printed, f.kind])).toEqual([
      ['2', 'df'],
      ['4.21', 'test-statistic'],
      ['0.122', 'p-value'],
      ['3', 'reference'],
    ]);
    expect(found[1]?.test).toMatchObject({ test: 'chi2', df1: '2', stat: '4.21', p: '0.122' });
  });
});
