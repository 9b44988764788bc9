import { createHash } from 'node:crypto';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { beforeAll, describe, expect, it } from 'vitest';
import { auditSite } from '../src/audit/audit.js';
import { build } from '../src/build.js';
import { readRows } from '../src/load/rows.js';
import { loadStudy } from '../src/load/study.js';
import { groupShare } from '../src/stats/crosstab.js';
import { wilsonOf } from '../src/stats/weights.js';
import { copyStudy, editFile, projectRoot, runCli } from './helpers.js';

const fixture = join(projectRoot, 'test/fixtures/group-survey');

/** Frequency tables and charts of a single, an ordinal and a multiple question. */
const figures = [
  '',
  '## Tables and charts',
  '',
  '{{pct "satisfied" "yes"}} are satisfied.',
  '',
  '{{table "satisfied"}}',
  '',
  '{{table "rating"}}',
  '',
  '{{table "channels"}}',
  '',
  '{{chart "satisfied"}}',
  '',
  '{{chart "rating"}}',
  '',
  '{{chart "channels"}}',
  '',
  '{{summary "age"}}',
  '',
].join('\n');

/** The group survey with charts and tables, weighted by its column w when `weighted`. */
async function study(weighted: boolean): Promise<string> {
  const root = await copyStudy(fixture);
  if (weighted)
    await editFile(root, 'data/codebook.yaml', (t) =>
      t.replace('ignore_columns: [w]', 'weight: w'),
    );
  for (const lang of ['es', 'en'])
    await editFile(root, `templates/report.${lang}.md.hbs`, (t) => t + figures);
  return root;
}

async function rehash(dir: string, path: string) {
  const manifest = JSON.parse(await readFile(join(dir, 'manifest.json'), 'utf8'));
  const bytes = await readFile(join(dir, path));
  const entry = manifest.outputs.find((o: { path: string }) => o.path === path);
  entry.sha256 = createHash('sha256').update(bytes).digest('hex');
  entry.bytes = bytes.length;
  await writeFile(join(dir, 'manifest.json'), JSON.stringify(manifest, null, 2));
}

let weighted: string;
let plain: string;

beforeAll(async () => {
  weighted = await study(true);
  plain = await study(false);
  await build({ root: weighted, formats: ['html'] });
  await build({ root: plain, formats: ['html'] });
}, 120_000);

describe('a weighted site', () => {
  it('weights the frequency tables, charts and results.json, with the unweighted counts', async () => {
    const out = join(weighted, 'out');
    const results = JSON.parse(await readFile(join(out, 'data/results.json'), 'utf8'));
    expect(results.weighted.column).toBe('w');
    expect(results.weighted.effective_n).toBeCloseTo(28.53, 2);
    expect(results.weighted.design_effect).toBeCloseTo(1.05, 2);
    const loaded = await loadStudy(weighted);
    const rows = readRows(weighted, 'data/responses.csv', loaded.codebook);
    const q = loaded.codebook.questions.find((x) => x.id === 'satisfied');
    const share = groupShare(q as never, ['yes'], rows);
    const satisfied = results.questions.find((x: { id: string }) => x.id === 'satisfied');
    const yes = satisfied.options[0];
    // the share is weighted, the count is not, and both are given
    expect(yes.count).toBe(19);
    expect(yes.weighted_count).toBeCloseTo(share.weightedCount, 12);
    expect(yes.proportion).toBeCloseTo(share.weightedCount / share.weightedN, 12);
    expect(yes.ci).toEqual(wilsonOf(yes.proportion, share.effectiveN));
    expect(satisfied.weighted.effective_n).toBeCloseTo(share.effectiveN, 12);
    const schema = JSON.parse(
      await readFile(join(projectRoot, 'docs/schemas/results.schema.json'), 'utf8'),
    );
    const validate = new Ajv2020({ strict: true }).compile(schema);
    expect(validate(results), JSON.stringify(validate.errors)).toBe(true);

    const md = await readFile(join(out, 'en/report.md'), 'utf8');
    // 62.0 % weighted, 19 respondents unweighted (19/30 would be 63.3 %)
    expect(md).toMatch(/\| Yes +\| 19 \| +62\.0% \| :nowrap\[43\.8–77\.3%\] \|/);
    expect(md).toMatch(
      /Weighted percentages; unweighted counts\. Wilson intervals on the effective n \(Kish\) of 28\.5; design effect 1\.05\./,
    );
    const es = await readFile(join(out, 'es/report.md'), 'utf8');
    expect(es).toContain('Porcentajes ponderados; recuentos sin ponderar.');
    const chart = JSON.parse(await readFile(join(out, 'en/charts/satisfied.vl.json'), 'utf8'));
    expect(chart.data.values[0].proportion).toBe(yes.proportion);
    expect(chart.description).toContain('19/30 unweighted');
    // what is not weighted says so: a numeric question's summary, the options chosen per respondent
    expect(md).toMatch(/\| Statistic +\| Value \(unweighted\) \|/);
    expect(es).toMatch(/\| Estadístico +\| Valor \(sin ponderar\) \|/);
    expect(md).toMatch(
      /Options chosen per respondent: mean [\d.]+, median [\d.]+ \(unweighted\)\./,
    );
  });

  it('publishes the weight column, and audit recomputes the weighted figures from it', async () => {
    const out = join(weighted, 'out');
    const csv = await readFile(join(out, 'data/responses.csv'), 'utf8');
    expect(csv.split('\n')[0]).toBe('id,sex,region,age,satisfied,rating,channels,w');
    expect(csv.split('\n')[1]).toMatch(/^r01,.*,0\.80$/);
    const audit = await auditSite(out);
    expect(audit.problems).toEqual([]);
    expect(audit.ok).toBe(true);
    expect(audit.checked.recomputed).toBe(true);
    // a chart per question, drawn beside the pages
    expect(audit.checked.charts).toBe(12);
  });

  it('fails the audit, naming the figure, when one weight is altered', async () => {
    const dir = join(weighted, 'out');
    const path = 'data/responses.csv';
    const before = await readFile(join(dir, path), 'utf8');
    try {
      await writeFile(join(dir, path), before.replace(/^(r01,.*,)0\.80$/m, '$13.00'));
      await rehash(dir, path);
      const { code, out } = await runCli(['audit', dir]);
      expect(code).toBe(1);
      expect(out).toMatch(/data\/results\.json/);
      expect(out).toMatch(/data\/results\.json: questions\[sex\]\.options\[male\]\.proportion is /);
      expect(out).toMatch(
        /en\/index\.html: \{\{pct "satisfied" "yes" where="sex=male"\}\} \(template line 3\) printed "69\.6%", the published data give "/,
      );
    } finally {
      await writeFile(join(dir, path), before);
      await rehash(dir, path);
    }
  });
});

describe('audit of a chart sorted by share', () => {
  it('matches each bar to its option, not to the codebook order', async () => {
    const audit = await auditSite(join(plain, 'out'));
    expect(audit.problems).toEqual([]);
    const chart = JSON.parse(await readFile(join(plain, 'out/en/charts/channels.vl.json'), 'utf8'));
    // the bars are not in the codebook's order (radio, tv, social)
    expect(chart.data.values.map((v: { option: string }) => v.option)).not.toEqual([
      'Radio',
      'Television',
      'Social media',
    ]);
  });
});
