import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Claim } from '../src/load/claims.js';
import { parseResponses } from '../src/load/responses.js';
import { loadStudy } from '../src/load/study.js';
import { tabulate } from '../src/stats/frequencies.js';
import { verify } from '../src/verify/verify.js';
import { projectRoot, runBin } from './helpers.js';

const study = await loadStudy(projectRoot, { templates: false });
// the answers row by row, to move them about
const responses = parseResponses(
  await readFile(join(projectRoot, 'data/responses.csv')),
  'data/responses.csv',
  study.codebook,
);
const verifyWith = (answers: Record<string, (string | null)[]>) =>
  verify(study.codebook, tabulate(study.codebook, { ids: responses.ids, answers }), study.claims);

describe('verify on the shipped data', () => {
  const result = verifyWith(responses.answers);

  it('passes every claim and every sum', () => {
    expect(result.claims.filter((c) => c.status === 'fail').map((c) => c.id)).toEqual([]);
    expect(result.ok).toBe(true);
    expect(result.sums.length).toBeGreaterThanOrEqual(4);
  });

  it('checks all twelve published percentages, the three counts and the three statements', () => {
    const percents = study.claims.filter((c) => c.kind === 'share' && c.percent !== undefined);
    const counts = study.claims.filter(
      (c) => (c.kind === 'share' || c.kind === 'population') && c.count !== undefined,
    );
    expect(percents).toHaveLength(12);
    expect(counts.map((c) => (c as { count: number }).count)).toEqual([40, 30, 40]);
    expect(study.claims.filter((c) => c.kind === 'all')).toHaveLength(3);
    expect(result.claims).toHaveLength(study.claims.length);
  });

  it('checks a count and a percentage given together, separately', () => {
    const money = result.claims.find((c) => c.id === 'incentive-money');
    expect(money?.checks.map((c) => c.name)).toEqual(['count', 'percent', 'achievable', 'agree']);
  });
});

/** A claim is about an answer moved from `from` to `to` when exactly one of the two lies in its options. */
const touches = (claim: Claim, question: string, from: string, to: string) =>
  (claim.kind === 'share' || claim.kind === 'all') &&
  claim.question === question &&
  claim.options.includes(from) !== claim.options.includes(to);

describe('moving a single answer', () => {
  for (const question of study.codebook.questions) {
    const column = responses.answers[question.id] ?? [];
    const codes = question.options.map((o) => o.code);
    const pairs = codes.flatMap((from) =>
      codes.filter((to) => to !== from).map((to) => [from, to] as const),
    );
    const movable = pairs.filter(([from]) => column.includes(from));
    it.runIf(codes.length > 1)(
      `fails exactly the claims on either option, for "${question.id}"`,
      () => {
        expect(movable.length).toBeGreaterThan(0);
        for (const [from, to] of movable) {
          const moved = [...column];
          moved[moved.indexOf(from)] = to;
          const result = verifyWith({ ...responses.answers, [question.id]: moved });
          const failed = result.claims.filter((c) => c.status === 'fail').map((c) => c.id);
          const expected = study.claims
            .filter((c) => touches(c, question.id, from, to))
            .map((c) => c.id);
          expect(failed, `${question.id}: ${from} → ${to}`).toEqual(expected);
        }
      },
    );
  }

  it('makes the question fail its claims when the answer goes missing', () => {
    const column = [...(responses.answers.knowledge ?? [])];
    column[column.indexOf('knows')] = null;
    const result = verifyWith({ ...responses.answers, knowledge: column });
    expect(result.claims.filter((c) => c.status === 'fail').map((c) => c.id)).toEqual([
      'knowledge-does-not-know',
      'knowledge-knows',
    ]);
  });
});

describe('verify fails loudly on wrong claims', () => {
  it('fails a typo as impossible, and a set of percentages that does not add up', async () => {
    const { parseClaims } = await import('../src/load/claims.js');
    const text = await readFile(join(projectRoot, 'data/claims.yaml'), 'utf8');
    const claims = parseClaims(
      text.replace('percent: "92.5"', 'percent: "92.4"'),
      'claims.yaml',
      study.codebook,
    );
    const result = verify(study.codebook, tabulate(study.codebook, responses), claims);
    const typo = result.claims.find((c) => c.id === 'knowledge-does-not-know');
    expect(typo?.status).toBe('fail');
    expect(typo?.checks.find((c) => c.name === 'achievable')?.ok).toBe(false);
    // 92.4 + 7.5 is within the rounding of the two figures: the sum alone would not catch it
    expect(result.sums.find((s) => s.question === 'knowledge')?.status).toBe('pass');
    expect(result.ok).toBe(false);
    const off = parseClaims(
      text.replace('percent: "92.5"', 'percent: "90.0"'),
      'claims.yaml',
      study.codebook,
    );
    const sums = verify(study.codebook, tabulate(study.codebook, responses), off).sums;
    expect(sums.find((s) => s.question === 'knowledge')).toMatchObject({
      status: 'fail',
      reportedTotal: 97.5,
    });
  });
});

describe('report verify', () => {
  it('prints a table and exits 0 on the shipped study', () => {
    const { code, out } = runBin(['verify']);
    expect(code).toBe(0);
    expect(out).toMatch(/knowledge-does-not-know\s+92\.5 %\s+92\.5 % \(37\/40\)\s+PASS/);
    expect(out).toMatch(/21 passed, 0 failed/);
  });

  it('prints JSON with --json', () => {
    const { code, out } = runBin(['verify', '--json']);
    expect(code).toBe(0);
    const json = JSON.parse(out);
    expect(json.ok).toBe(true);
    expect(json.claims[1]).toMatchObject({
      id: 'knowledge-does-not-know',
      recomputed: { count: 37, n: 40 },
    });
  });
});

describe('sums and totals', () => {
  const results = tabulate(study.codebook, { ids: responses.ids, answers: responses.answers });
  const share = (id: string, options: string[], extra: Partial<Claim>): Claim =>
    ({
      id,
      kind: 'share',
      question: 'knowledge',
      options,
      about: { es: id, en: id },
      source: { position: 1, printed: [] },
      ...extra,
    }) as Claim;
  const knows = share('knows', ['knows'], { percent: '7.5', count: 3 });
  const doesNot = share('does-not', ['does_not_know'], { percent: '92.5', count: 37 });

  it('keeps the sum check when a share is claimed twice or a TOTAL row is a claim', () => {
    const total = share('total', ['knows', 'does_not_know'], { percent: '100.0' });
    const twice = share('knows-again', ['knows'], { percent: '7.5' });
    const wrong = share('does-not-misprint', ['does_not_know'], { percent: '72.5' });
    const v = verify(study.codebook, results, [knows, twice, total, wrong, doesNot]);
    const sum = v.sums.find((s) => s.question === 'knowledge' && s.of === 'percent');
    // the total is not a part; the first claim of each option is
    expect(sum).toMatchObject({ claims: ['knows', 'does-not-misprint'], status: 'fail' });
    expect(v.ok).toBe(false);
  });

  it('checks that printed counts add up to the published n', () => {
    const population: Claim = {
      id: 'n',
      kind: 'population',
      count: 41,
      about: { es: 'n', en: 'n' },
      source: { position: 1, printed: [] },
    } as Claim;
    const v = verify(study.codebook, results, [population, knows, doesNot]);
    expect(v.sums.find((s) => s.of === 'count')).toMatchObject({
      reportedTotal: 40,
      expected: 41,
      status: 'fail',
    });
    const ok = verify(study.codebook, results, [knows, doesNot]);
    expect(ok.sums.find((s) => s.of === 'count')).toMatchObject({ expected: 40, status: 'pass' });
  });
});

describe('claims written as printed', () => {
  it('accepts "7,5 %", "92.5%" and keeps their precision', async () => {
    const { parseClaims } = await import('../src/load/claims.js');
    const claims = parseClaims(
      [
        'claims:',
        '  - { id: a, kind: share, question: knowledge, options: [knows], percent: "7,5 %", about: { es: a, en: a }, source: { position: 1 } }',
        '  - { id: b, kind: share, question: knowledge, options: [does_not_know], percent: "92.5%", about: { es: b, en: b }, source: { position: 2 } }',
        '  - { id: c, kind: share, question: knowledge, options: [knows], percent: "8,0", about: { es: c, en: c }, source: { position: 3 } }',
      ].join('\n'),
      'claims.yaml',
      study.codebook,
    );
    expect(claims.map((c) => (c as { percent?: string }).percent)).toEqual(['7.5', '92.5', '8.0']);
    const results = tabulate(study.codebook, { ids: responses.ids, answers: responses.answers });
    const v = verify(study.codebook, results, claims);
    expect(v.claims.map((c) => c.status)).toEqual(['pass', 'pass', 'fail']);
  });
});
