import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readRows } from '../src/load/rows.js';
import { loadStudy } from '../src/load/study.js';
import { crosstab } from '../src/stats/crosstab.js';
import { resultsOf } from '../src/stats/frequencies.js';
import { verificationTable } from '../src/verify/table.js';
import { verify } from '../src/verify/verify.js';
import { copyStudy, editFile, projectRoot, runCli } from './helpers.js';

const fixture = join(projectRoot, 'test/fixtures/group-survey');

/** Cells of the table of satisfaction by sex as shares of their row: men among the satisfied. */
const rowClaims = (percent: string, extra = '') => `claims:
  - id: satisfied-men
    kind: share
    question: satisfied
    options: ["yes"]
    where: { sex: male }
    of: row
    count: 9
    percent: "${percent}"
    about: { es: "De los satisfechos, el ${percent.replace('.', ',')} % son hombres.", en: "Of the satisfied, ${percent} % are men." }
    source: { position: 1, printed: ["${percent}%"] }
  - id: dissatisfied-women
    kind: share
    question: satisfied
    options: ["no"]
    where: { sex: female }
    of: row
    percent: "63.6"
    about: { es: "De los insatisfechos, el 63,6 % son mujeres.", en: "Of the dissatisfied, 63.6 % are women." }
    source: { position: 2, printed: ["63.6%"] }
${extra}`;

async function check(claims: string, weighted = false) {
  const root = await copyStudy(fixture);
  await editFile(root, 'data/claims.yaml', () => claims);
  if (weighted)
    await editFile(root, 'data/codebook.yaml', (t) =>
      t.replace('ignore_columns: [w]', 'weight: w'),
    );
  const study = await loadStudy(root);
  const rows = readRows(root, 'data/responses.csv', study.codebook);
  return {
    root,
    rows,
    study,
    verification: verify(
      study.codebook,
      resultsOf(study.codebook, study.tally),
      study.claims,
      () => rows,
    ),
  };
}

describe('a crosstab cell as a share of its row (of: row)', () => {
  it('verifies against the row, and says so in the verify table', async () => {
    const { verification, rows, study } = await check(rowClaims('47.4'));
    // the crosstab's row "yes": 9 men of 19; row "no": 7 women of 11
    const q = (id: string) => study.codebook.questions.find((x) => x.id === id) as never;
    const t = crosstab(q('satisfied'), q('sex'), rows);
    expect([t.counts[0]?.[0], t.rowTotals[0]]).toEqual([9, 19]);
    expect([t.counts[1]?.[1], t.rowTotals[1]]).toEqual([7, 11]);
    expect(verification.claims.map((c) => c.status)).toEqual(['pass', 'pass']);
    expect(verificationTable(verification, 'en')).toContain('47.3684 % (9/19 men among Yes)');
    expect(verificationTable(verification, 'es')).toContain('(9/19 hombres entre Sí)');
  });

  it('fails a column percentage published as the row’s', async () => {
    // 69.2 % is the men's share that is satisfied (the column), not the satisfied who are men
    const { verification } = await check(rowClaims('69.2'));
    const claim = verification.claims.find((c) => c.id === 'satisfied-men');
    expect(claim?.status).toBe('fail');
    expect(claim?.checks.find((c) => c.name === 'percent')?.ok).toBe(false);
  });

  it('is weighted in a weighted study', async () => {
    const { verification, rows } = await check(rowClaims('47.4'), true);
    const w = rows.weights as number[];
    const answers = rows.answers as Record<string, (string | null)[]>;
    let men = 0;
    let all = 0;
    answers.satisfied?.forEach((a, i) => {
      if (a !== 'yes' || !answers.sex?.[i]) return;
      all += w[i] as number;
      if (answers.sex[i] === 'male') men += w[i] as number;
    });
    const claim = verification.claims.find((c) => c.id === 'satisfied-men');
    expect(claim?.recomputed.percent).toBeCloseTo((100 * men) / all, 10);
    expect(claim?.weighted?.n).toBeCloseTo(all, 10);
  });

  it('needs a column: of: row without where: is bad input', async () => {
    const root = await copyStudy(fixture);
    await editFile(root, 'data/claims.yaml', () =>
      rowClaims('47.4').replace('    where: { sex: male }\n', ''),
    );
    const result = await runCli(['verify', '--root', root]);
    expect(result.code).toBe(2);
    expect(result.err).toMatch(/data\/claims\.yaml:\d+: .*of: row/);
  });
});
