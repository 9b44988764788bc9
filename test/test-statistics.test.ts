import { describe, expect, it } from 'vitest';
import { segments } from '../src/scan/extract.js';
import { findNumbers } from '../src/scan/numbers.js';
import { scanText } from '../src/scan/scan.js';
import { checkTest, pValue, type ReportedTest } from '../src/stats/tests.js';

describe('p-values of test statistics', () => {
  // Upper critical values at alpha = 0.05 from NIST/SEMATECH e-Handbook of Statistical Methods,
  // tables 1.3.6.7.1 (normal), 1.3.6.7.2 (t, 0.975 quantile), 1.3.6.7.3 (F), 1.3.6.7.4 (chi-square):
  // at each one the p-value is 0.05 (two-tailed for z and t).
  it.each([
    ['z', 1.96, undefined, undefined],
    ['t', 2.228, undefined, 10],
    ['t', 2.042, undefined, 30],
    ['chi2', 3.841, 1, undefined],
    ['chi2', 18.307, 10, undefined],
    ['F', 3.493, 2, 20],
    ['F', 2.534, 5, 30],
  ] as const)('%s = %s (df %s, %s) gives p = 0.05', (test, stat, df1, df2) => {
    expect(pValue(test, stat, df1, df2)).toBeCloseTo(0.05, 3);
  });

  it('reads r through t = r·√(df/(1−r²)): r = .576 with 10 df is the 5 % critical value', () => {
    // critical values of Pearson's r, two-tailed alpha = 0.05, df = 10 (e.g. Fisher & Yates, Table VII)
    expect(pValue('r', 0.576, undefined, 10)).toBeCloseTo(0.05, 2);
  });

  it('needs the degrees of freedom of every test but z', () => {
    expect(pValue('t', 2.2)).toBeNaN();
    expect(pValue('chi2', 2.2)).toBeNaN();
  });
});

// The verdicts of statcheck's own test suite (R package statcheck, tests/testthat/test-error.R
// and test-decisionerror.R), as that reference implementation gives them.
const parse = (text: string) => findNumbers(segments(text, 'text')).find((f) => f.test)?.test;
const check = (text: string) => {
  const t = parse(text);
  if (!t) throw new Error(`no test found in ${text}`);
  const num = (x?: string) => (x === undefined ? undefined : Number(x.replace(',', '.')));
  const decimals = (x: string) => x.replace(/^-/, '').split(/[.,]/)[1]?.length ?? 0;
  const reported: ReportedTest = {
    test: t.test,
    stat: Number(t.stat.replace(',', '.')),
    statDecimals: decimals(t.stat),
    statComparison: t.statComparison,
    p: Number(t.p.replace(',', '.').replace(/^\./, '0.')),
    pDecimals: decimals(t.p),
    pComparison: t.pComparison,
    ...(num(t.df1) === undefined ? {} : { df1: num(t.df1) }),
    ...(num(t.df2) === undefined ? {} : { df2: num(t.df2) }),
  };
  return checkTest(reported);
};

describe("statcheck's rule", () => {
  it.each([
    't(28) = 2.20, p = .03',
    'F(2, 28) = 2.20, p = .15',
    'r(28) = .22, p = .26',
    'chi2(28) = 22.20, p = .79',
    ' z = 2.20, p = .04',
    't(28) = -2.20, p = .03',
    't(28) = 2.20, p > .05',
    't(28) = 1.20, p = .03',
    't(28) = 2.20, p = .30',
  ])('flags %s as inconsistent', (text) => {
    expect(check(text)?.consistent).toBe(false);
  });

  it.each([
    ' Z = -2.42, p = 0.016',
    't(28) = 2.0, p < .05',
    't(28) = 2, p = .02',
    't(28) = 2, p = .14',
    't(28) = 2.2, p = .03',
    't(28) = 2.2, p = .04',
    't(28) = 2.20, p = .036',
    't(28) = 2.20, p = .037',
  ])('accepts %s (a rounded statistic stands for all values that round to it)', (text) => {
    expect(check(text)?.consistent).toBe(true);
  });

  it.each([
    't(28) = 2.20, p = .06',
    't(28) = 1.20, p = .03',
    'F(2, 28) = 22.20, p = .06',
    'F(2, 28) = 2.20, p = .03',
    'r(28) = .22, p = .03',
    'r(28) = .52, p = .06',
    'chi2(28) = 2.20, p = .03',
    'chi2(28) = 52.20, p = .06',
    ' z = 1.20, p = .03',
    ' z = 2.20, p = .06',
  ])('calls %s a decision error', (text) => {
    expect(check(text)?.decisionError).toBe(true);
  });

  it('treats p = alpha as significant, as statcheck does by default', () => {
    expect(check('t(28) = 2.20, p = .05')?.decisionError).toBe(false);
  });
});

describe('test statistics in a text, in Spanish and English', () => {
  const scan = (text: string) => scanText('t.txt', segments(text, 'text'), undefined, { n: 40 });

  it('reads decimal commas, gl, p< without a leading zero, and checks each test', () => {
    const found = scan(
      'La asociación fue significativa, χ²(3) = 12,4; p = 0,006. También t(28) = 2,20; p < 0,05 y F(2, 28) = 22,20, p<,001.\n' +
        'The correlation was r(38) = .45, p = .004; a second test gave t(28) = 2.20, p = .30.',
    );
    const tests = found.numbers.filter((n) => n.kind === 'test-statistic');
    expect(tests.map((n) => [n.printed, n.verdict])).toEqual([
      ['12,4', 'verified'],
      ['2,20', 'verified'],
      ['22,20', 'verified'],
      ['.45', 'verified'],
      ['2.20', 'fails'],
    ]);
    // the p-values and degrees of freedom are parts of their tests, never shares
    expect(found.numbers.filter((n) => n.kind === 'p-value')).toHaveLength(5);
    expect(found.numbers.find((n) => n.printed === '3')?.kind).toBe('df');
    expect(found.ok).toBe(false);
  });

  it('reports a missing df as missing, not as an error', () => {
    const s = scan('Se halló t = 2,20; p = 0,03 entre grupos.');
    const t = s.numbers.find((n) => n.kind === 'test-statistic');
    expect(t).toMatchObject({ verdict: 'note' });
    expect(t?.note).toContain('degrees of freedom missing');
    expect(s.ok).toBe(true);
  });

  it('reads χ² with gl after it, and a Cronbach alpha as a coefficient', () => {
    const s = scan('χ² = 12,4; gl = 3; p = 0,006. El alfa de Cronbach fue 0,934.');
    expect(s.numbers.map((n) => [n.printed, n.kind])).toEqual([
      ['12,4', 'test-statistic'],
      ['3', 'df'],
      ['0,006', 'p-value'],
      ['0,934', 'coefficient'],
    ]);
    expect(s.numbers[0]?.verdict).toBe('verified');
  });
});
