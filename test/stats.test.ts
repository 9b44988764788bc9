import { describe, expect, it } from 'vitest';
import { parseCodebook } from '../src/load/codebook.js';
import { parseResponses } from '../src/load/responses.js';
import { countOf, tabulate } from '../src/stats/frequencies.js';
import { achievable, matchesPercent } from '../src/stats/percent.js';
import { codebookYaml } from './helpers.js';

const tinyCodebook = codebookYaml(
  'tiny',
  `  - id: colour
    section: main
    text: { es: ¿Color?, en: Colour? }
    short: { es: Color, en: Colour }
    options:
      - { code: red, label: { es: Rojo, en: Red } }
      - { code: blue, label: { es: Azul, en: Blue } }
      - { code: green, label: { es: Verde, en: Green } }
`,
);

describe('tabulate', () => {
  const codebook = parseCodebook(tinyCodebook, 'codebook.yaml');
  const csv = 'id,colour\na,red\nb,red\nc,blue\nd,\ne,red\n';
  const results = tabulate(codebook, parseResponses(csv, 'r.csv', codebook));

  it('counts answers per option in codebook order, missing apart', () => {
    const q = results.questions[0];
    expect(results.respondents).toBe(5);
    expect(q?.n).toBe(4);
    expect(q?.missing).toBe(1);
    expect(q?.options.map((o) => [o.code, o.count])).toEqual([
      ['red', 3],
      ['blue', 1],
      ['green', 0],
    ]);
    expect(q?.options[0]?.proportion).toBe(0.75);
    expect(q && countOf(q, ['red', 'blue'])).toBe(4);
  });

  it('is JSON-serialisable without loss', () => {
    expect(JSON.parse(JSON.stringify(results))).toEqual(results);
  });
});

describe('published percentages against counts', () => {
  it('accepts the count that rounds to the published precision', () => {
    expect(matchesPercent('92.5', 37, 40)).toBe(true);
    expect(matchesPercent('75', 30, 40)).toBe(true);
    expect(matchesPercent('33.3', 1, 3)).toBe(true);
    expect(matchesPercent('33', 1, 3)).toBe(true);
  });

  it('rejects a neighbouring count', () => {
    expect(matchesPercent('92.5', 36, 40)).toBe(false);
    expect(matchesPercent('33.4', 1, 3)).toBe(false);
  });

  it('accepts either rounding of an exact half', () => {
    // 1/8 = 12.5 %: published as 12 (half to even) or 13 (half up)
    expect(matchesPercent('12', 1, 8)).toBe(true);
    expect(matchesPercent('13', 1, 8)).toBe(true);
    expect(matchesPercent('14', 1, 8)).toBe(false);
  });

  it('flags percentages no count out of n can give (GRIM)', () => {
    expect(achievable('92.5', 40)).toBe(true);
    expect(achievable('92.4', 40)).toBe(false);
    expect(achievable('50', 40)).toBe(true);
    expect(achievable('51', 40)).toBe(false);
  });
});
