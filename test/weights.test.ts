import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { readRows } from '../src/load/rows.js';
import { loadStudy } from '../src/load/study.js';
import { formatter } from '../src/locale/format.js';
import { crosstab, crosstabTest, groupShare, type Rows } from '../src/stats/crosstab.js';
import { resultsOf } from '../src/stats/frequencies.js';
import { wilsonOf } from '../src/stats/weights.js';
import { wilson } from '../src/stats/wilson.js';
import { verificationTable } from '../src/verify/table.js';
import { verify } from '../src/verify/verify.js';
import { copyStudy, editFile, projectRoot, runCli } from './helpers.js';

const fixture = join(projectRoot, 'test/fixtures/group-survey');

/** The group survey weighted by its column w, with claims of weighted shares. */
async function weighted(claims?: string): Promise<string> {
  const root = await copyStudy(fixture);
  await editFile(root, 'data/codebook.yaml', (t) => t.replace('ignore_columns: [w]', 'weight: w'));
  if (claims !== undefined) await editFile(root, 'data/claims.yaml', () => claims);
  return root;
}

const shareClaims = `claims:
  - id: satisfied
    kind: share
    question: satisfied
    options: ["yes"]
    percent: "62.0"
    about: { es: "El 62,0 % está satisfecho.", en: "62.0 % are satisfied." }
    source: { position: 1, printed: ["62.0%"] }
  - id: men-satisfied
    kind: share
    question: satisfied
    options: ["yes"]
    where: { sex: male }
    count: 9
    percent: "69.6"
    about: { es: "El 69,6 % de los hombres.", en: "69.6 % of the men." }
    source: { position: 2, printed: ["69.6%"] }
  - id: men-satisfied-unweighted
    kind: share
    question: satisfied
    options: ["yes"]
    where: { sex: male }
    percent: "69.2"
    about: { es: "El 69,2 % de los hombres.", en: "69.2 % of the men." }
    source: { position: 3, printed: ["69.2%"] }
`;

describe('a weighted study', () => {
  it('verifies weighted shares, GRIM not applicable, the unweighted base and effective n shown', async () => {
    const root = await weighted(shareClaims);
    const study = await loadStudy(root);
    const rows = readRows(root, 'data/responses.csv', study.codebook);
    expect(rows.weights).toHaveLength(30);
    const v = verify(
      study.codebook,
      resultsOf(study.codebook, study.tally),
      study.claims,
      () => rows,
    );
    const byId = new Map(v.claims.map((c) => [c.id, c]));
    // Σw of the satisfied over Σw: 0.61976… (the unweighted share is 19/30 = 63.3 %)
    expect(byId.get('satisfied')?.status).toBe('pass');
    expect(byId.get('satisfied')?.checks.find((c) => c.name === 'achievable')?.detail).toBe(
      'not applicable (weighted)',
    );
    expect(byId.get('men-satisfied')?.status).toBe('pass');
    // the unweighted share of the men no longer holds once weighted
    expect(byId.get('men-satisfied-unweighted')?.status).toBe('fail');
    const table = verificationTable(v, 'en');
    expect(table).toMatch(
      /69\.6429 % weighted \(9\/13 men unweighted, effective n 12\.9; GRIM not applicable\)/,
    );
  });

  it('prints weighted percentages, unweighted counts unless weighted=true, and the effective n', async () => {
    const root = await weighted('claims: []\n');
    const out = join(root, 'out');
    await editFile(root, 'templates/report.en.md.hbs', () =>
      [
        '{{pct "satisfied" "yes"}} {{count "satisfied" "yes"}} {{count "satisfied" "yes" weighted=true}} {{ci "satisfied" "yes"}}',
        '',
        '{{crosstab "satisfied" by="sex"}}',
        '',
      ].join('\n'),
    );
    const result = await runCli(['build', '--root', root, '--out', out, '--format', 'html']);
    expect(result.code).toBe(0);
    const { readFile } = await import('node:fs/promises');
    const md = await readFile(join(out, 'en/report.md'), 'utf8');
    const study = await loadStudy(root);
    const rows = readRows(root, 'data/responses.csv', study.codebook);
    const q = study.codebook.questions.find((x) => x.id === 'satisfied');
    const share = groupShare(q as never, ['yes'], rows);
    const [lo, hi] = wilsonOf(share.weightedCount / share.weightedN, share.effectiveN);
    // the weighted share 0.6198 and its interval on the effective n 28.53 (not on n = 30)
    expect(md.split('\n')[0]).toBe(
      `62% 19 20.7 :nowrap[${formatter('en-US').percentRange(lo, hi)}]`,
    );
    expect(formatter('en-US').percentRange(lo, hi)).toBe('43.8–77.3%');
    expect(wilson(19, 30)).not.toEqual([lo, hi]);
    expect(md).toMatch(
      /Weighted percentages; unweighted counts\. Effective n \(Kish\) 28\.5, design effect 1\.05\./,
    );
  });

  it.each([
    ['', 'missing weight in column "w"'],
    ['0', 'weight 0 is zero'],
    ['-1.5', 'weight -1.5 is negative'],
    ['abc', 'weight "abc" is not a number'],
  ])('refuses a weight %j as bad input, at its line', async (weight, problem) => {
    const root = await weighted();
    // r03's row is line 4 of the file
    await editFile(root, 'data/responses.csv', (t) =>
      t.replace(/^(r03,[^\n]*,)1\.00$/m, `$1${weight}`),
    );
    const result = await runCli(['verify', '--root', root]);
    expect(result.code).toBe(2);
    expect(result.err).toContain(`data/responses.csv:4: ${problem}`);
  });
});

describe('weights of 1', () => {
  it('give exactly the unweighted results (property)', () => {
    const codes = ['a', 'b', 'c'];
    const question = (id: string, type: 'single' | 'multiple' = 'single') =>
      ({
        id,
        type,
        options: codes.map((code) => ({ code, label: { en: code } })),
      }) as never;
    const answer = fc.option(fc.constantFrom(...codes), { nil: null });
    fc.assert(
      fc.property(fc.array(fc.tuple(answer, answer), { minLength: 1, maxLength: 60 }), (pairs) => {
        const plain: Rows = {
          ids: pairs.map((_, i) => String(i)),
          answers: { q: pairs.map((p) => p[0]), g: pairs.map((p) => p[1]) },
        };
        const ones: Rows = { ...plain, weights: pairs.map(() => 1) };
        const [q, g] = [question('q'), question('g')];
        const a = crosstab(q, g, plain);
        const b = crosstab(q, g, ones);
        expect(b.counts).toEqual(a.counts);
        expect(b.columnTotals).toEqual(a.columnTotals);
        expect(b.effectiveN).toBe(a.n);
        expect(crosstabTest(b)).toEqual(
          crosstabTest(a) && { ...crosstabTest(a), fisher: undefined },
        );
        const s = groupShare(q, ['a'], ones);
        const u = groupShare(q, ['a'], plain);
        expect([s.weightedCount, s.weightedN, s.effectiveN]).toEqual([u.count, u.n, u.n]);
        if (u.n > 0)
          expect(wilsonOf(s.weightedCount / s.weightedN, s.effectiveN)).toEqual(
            wilson(u.count, u.n),
          );
      }),
      { seed: 14, numRuns: 200 },
    );
  });
});
