import { describe, expect, it } from 'vitest';
import { chartText } from '../src/charts/spec.js';
import { InputError } from '../src/errors.js';
import type { Question } from '../src/load/codebook.js';
import { formatter } from '../src/locale/format.js';
import { builtInStrings } from '../src/locale/strings.js';
import type { QuestionResult } from '../src/stats/result.js';

const q = {
  id: 'q',
  type: 'single',
  text: { fr: 'Q' },
  short: { fr: 'Q' },
  options: [
    { code: 'a', label: { fr: 'Oui' } },
    { code: 'b', label: { fr: 'Non' } },
  ],
} as unknown as Question;
const option = (code: string, count: number, proportion: number) => ({
  code,
  count,
  proportion,
  ci: [0.1, 0.9] as [number, number],
});
const r = {
  id: 'q',
  n: 10,
  missing: 0,
  options: [option('a', 4, 0.55), option('b', 6, 0.45)],
  weighted: { n: 10, missing: 0, effective_n: 8.2, effective_n_all: 8.2 },
} as unknown as QuestionResult;

describe('the words of a weighted chart', () => {
  it('says the counts are unweighted in the page language', () => {
    const es = builtInStrings.es;
    if (!es) throw new Error('no es strings');
    const { description } = chartText(q, r, 'fr', formatter('es-PE'), es);
    expect(description).toContain('4/10 sin ponderar');
  });

  it('refuses a language without the word rather than print another language', () => {
    const { unweighted: _, ...withoutIt } = builtInStrings.en as NonNullable<
      typeof builtInStrings.en
    >;
    expect(() => chartText(q, r, 'fr', formatter('fr-FR'), withoutIt)).toThrow(InputError);
    expect(() => chartText(q, r, 'fr', formatter('fr-FR'), withoutIt)).toThrow(/"unweighted"/);
  });
});
