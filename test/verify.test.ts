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
