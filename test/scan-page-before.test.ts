import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { PAGE_BEFORE, pageBefore } from '../src/scan/numbers.js';

// the words before a number that make it a page, figure, table or section number, cut and
// glued with spaces, letters and marks: the end-only test decides as the whole-window pattern
const pieces = [
  'pág.',
  'páginas ',
  'p. ',
  'pp.',
  'Fig.',
  'figura  ',
  'Tabla',
  'tables\n',
  'capítulos',
  'No.',
  'nº',
  'ítem ',
  'Hypothesis ',
  'D.S.',
  '#',
  'ISO ',
  'xpages',
  'álgebra',
  'ſection ',
  'KISO',
  ' ',
  '\t',
  '\u00a0',
  'é',
  '9',
  'a',
];

describe('pageBefore', () => {
  it('decides as PAGE_BEFORE over the whole 64-character window', () => {
    fc.assert(
      fc.property(
        fc.array(fc.constantFrom(...pieces), { maxLength: 30 }),
        fc.nat(64),
        (parts, cut) => {
          const before = parts.join('').slice(-cut || undefined);
          expect(pageBefore(before)).toBe(PAGE_BEFORE.test(before));
        },
      ),
      { numRuns: 5000 },
    );
  });
});
