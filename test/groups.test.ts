import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseCodebook } from '../src/load/codebook.js';
import { readRows } from '../src/load/rows.js';
import { loadStudy, type Study } from '../src/load/study.js';
import { isWhereProblem, parseWhere } from '../src/load/where.js';
import { formatter } from '../src/locale/format.js';
import { renderTemplate } from '../src/render/template.js';
import { crosstab, crosstabTest, groupShare, type Rows } from '../src/stats/crosstab.js';
import { resultsOf } from '../src/stats/frequencies.js';
import { verify } from '../src/verify/verify.js';
import { copyStudy, editFile, projectRoot } from './helpers.js';

const fixture = join(projectRoot, 'test/fixtures/group-survey');

async function load(root: string) {
  const study = await loadStudy(root);
  const rows = readRows(root, 'data/responses.csv', study.codebook);
  const results = resultsOf(study.codebook, study.tally);
  const verification = verify(study.codebook, results, study.claims, () => rows);
  return { study, rows, results, verification };
}

const { study, rows, verification } = await load(fixture);
const q = (id: string) =>
  study.codebook.questions.find((x) => x.id === id) as Study['codebook']['questions'][number];

/** Fills a template of the group survey; the error message when it fails. */
function fill(text: string, lang = 'en', data: Rows = rows, locale?: string): string {
  try {
    return renderTemplate(
      { path: `templates/report.${lang}.md.hbs`, text },
      {
        lang,
        template: `templates/report.${lang}.md.hbs`,
        codebook: study.codebook,
        results: resultsOf(study.codebook, study.tally),
        verification,
        format: formatter(locale ?? (lang === 'es' ? 'es-PE' : 'en-US')),
        strings: study.strings[lang] as never,
        chartPath: (id) => `charts/${id}.svg`,
        rows: () => data,
      },
    );
  } catch (error) {
    return `ERROR ${(error as Error).message}`;
  }
}

describe('cross-tabulation', () => {
  it('counts a single question by a group, with totals', () => {
    const t = crosstab(q('satisfied'), q('sex'), rows);
    expect(t.rows).toEqual(['yes', 'no']);
    expect(t.columns).toEqual(['male', 'female']);
    expect(t.counts).toEqual([
      [9, 10],
      [4, 7],
    ]);
    expect(t.columnTotals).toEqual([13, 17]);
    expect(t.rowTotals).toEqual([19, 11]);
    expect(t.total).toBe(30);
  });

  it('puts each option of a multiple question in a row of its own, of the group’s respondents', () => {
    const t = crosstab(q('channels'), q('region'), rows);
    // each region holds 10 respondents; the rows add past them
    expect(t.columnTotals).toEqual([10, 10, 10]);
    expect(t.rowTotals.reduce((a, b) => a + b, 0)).toBeGreaterThan(30);
    expect(t.multiple).toBe(true);
    expect(crosstabTest(t)).toBeUndefined();
  });

  it('bins a numeric question, and keeps a subgroup', () => {
    const where = parseWhere(study.codebook, 'region=north,centre');
    if (isWhereProblem(where)) throw new Error(where.problem);
    const all = crosstab(q('age'), q('sex'), rows);
    expect(all.total).toBe(30);
    const t = crosstab(
      q('age'),
      q('sex'),
      rows,
      rows.ids.map((_, i) => rows.answers.region?.[i] !== 'south'),
    );
    expect(t.total).toBe(20);
  });

  it('prints the table and its test in the page’s locale', () => {
    const en = fill('{{crosstab "satisfied" by="sex"}}');
    expect(en).toContain('| Yes');
    expect(en).toContain('9 (69.2%)');
    expect(en).toContain('χ²(1) = 0.34, p = 0.558; Cramér’s V = 0.11');
    // 2×2 with an expected count below 5: Fisher's exact test beside it, and the warning
    expect(en).toContain('Fisher’s exact test: p = 0.708');
    expect(en).toContain('25% of the expected counts are below 5');
    // a locale with a decimal comma gets commas
    const de = fill('{{crosstab "satisfied" by="sex"}}', 'en', rows, 'de-DE');
    expect(de).toContain('χ²(1) = 0,34, p = 0,558');
    expect(de).toContain('9 (69,2 %)');
    const mw = fill('{{crosstab "rating" by="sex" test="mann-whitney"}}', 'es');
    expect(mw).toContain('U de Mann-Whitney = 180.5, z = 3.03, p = 0.002');
  });

  it('prints p below 0.001 as a bound', () => {
    const many: Rows = {
      ids: Array.from({ length: 200 }, (_, i) => String(i)),
      answers: {
        sex: Array.from({ length: 200 }, (_, i) => (i < 100 ? 'male' : 'female')),
        satisfied: Array.from({ length: 200 }, (_, i) =>
          i < 90 || (i >= 100 && i < 120) ? 'yes' : 'no',
        ),
      },
    };
    expect(fill('{{crosstab "satisfied" by="sex"}}', 'en', many)).toContain('p < 0.001');
  });

  it('refuses what it cannot do, at the template line', () => {
    expect(fill('Text.\n\n{{crosstab "satisfied" by="sexx"}}')).toBe(
      'ERROR templates/report.en.md.hbs:3: {{crosstab}}: unknown question "sexx" in by= (questions: sex, region, age, satisfied, rating, channels)',
    );
    expect(fill('{{crosstab "satisfied" by="channels"}}')).toContain(
      'a multiple question does not make groups',
    );
    expect(fill('{{crosstab "satisfied" by="sex" test="mann-whitney"}}')).toContain(
      'test="mann-whitney" compares an ordinal question',
    );
    expect(fill('{{crosstab "satisfied" by="region" test="fisher"}}')).toContain(
      'is for a 2×2 table; this one is 2×3',
    );
  });
});

describe('where=', () => {
  it('selects a subgroup: ";" is and, "," is or', () => {
    expect(fill('{{pct "satisfied" "yes" where="sex=male"}}')).toBe('69.2%');
    expect(fill('{{count "satisfied" "yes" where="sex=male"}}')).toBe('9');
    expect(fill('{{n where="sex=female"}}')).toBe('17');
    expect(fill('{{n "satisfied" where="sex=male;region=north"}}')).toBe('4');
    expect(fill('{{pct "satisfied" "yes" where="sex=male;region=north,south" digits=0}}')).toBe(
      `${Math.round(
        (100 *
          groupShare(
            q('satisfied'),
            ['yes'],
            rows,
            rows.ids.map(
              (_, i) => rows.answers.sex?.[i] === 'male' && rows.answers.region?.[i] !== 'centre',
            ),
          ).count) /
          8,
      )}%`,
    );
  });

  it('fails on an unknown question or option, naming the template line', () => {
    expect(fill('Text.\n\n{{pct "satisfied" "yes" where="gender=male"}}')).toBe(
      'ERROR templates/report.en.md.hbs:3: {{pct}}: unknown question "gender" in the subgroup condition (questions: sex, region, age, satisfied, rating, channels)',
    );
    expect(fill('{{pct "satisfied" "yes" where="sex=men"}}')).toBe(
      'ERROR templates/report.en.md.hbs:1: {{pct}}: unknown option "men" of "sex" in the subgroup condition (its options: male, female)',
    );
    expect(fill('{{pct "satisfied" "yes" where="sex"}}')).toContain('where= takes a subgroup');
    expect(fill('{{crosstab "satisfied" by="sex" where="sex=male;sexo"}}')).toContain(
      '"sexo" is not a condition',
    );
  });
});

describe('subgroup and test claims', () => {
  it('verify, showing the base of each subgroup', () => {
    const byId = new Map(verification.claims.map((c) => [c.id, c]));
    expect(verification.ok).toBe(true);
    expect(byId.get('men-satisfied')?.recomputed).toMatchObject({ count: 9, n: 13 });
    expect(byId.get('men-satisfied')?.where?.en).toBe('men');
    expect(byId.get('north-men-satisfied')?.recomputed).toMatchObject({ count: 3, n: 4 });
    expect(byId.get('satisfied-by-sex')?.status).toBe('pass');
    expect(byId.get('rating-by-sex')?.status).toBe('pass');
  });

  it('fail on a misprinted statistic, df or p', async () => {
    const root = await copyStudy(fixture);
    await editFile(root, 'data/claims.yaml', (t) =>
      t
        .replace('statistic: "0.34"', 'statistic: "0.43"')
        .replace('p: "0.708"', 'p: "0.071"')
        .replace('statistic: "180.5"', 'statistic: "170.5"'),
    );
    const { verification: v } = await load(root);
    const byId = new Map(v.claims.map((c) => [c.id, c]));
    expect(
      byId
        .get('satisfied-by-sex')
        ?.checks.filter((c) => !c.ok)
        .map((c) => c.name),
    ).toEqual(['statistic', 'p']);
    expect(byId.get('satisfied-by-sex-exact')?.status).toBe('fail');
    expect(
      byId
        .get('rating-by-sex')
        ?.checks.filter((c) => !c.ok)
        .map((c) => c.name),
    ).toEqual(['statistic']);
  });

  it('on a weighted study, a Fisher claim fails saying the test takes counts', async () => {
    const root = await copyStudy(fixture);
    await editFile(root, 'data/codebook.yaml', (t) =>
      t.replace('ignore_columns: [w]', 'weight: w'),
    );
    const loaded = await loadStudy(root);
    const data = readRows(root, 'data/responses.csv', loaded.codebook);
    const v = verify(
      loaded.codebook,
      resultsOf(loaded.codebook, loaded.tally),
      loaded.claims,
      () => data,
    );
    const exact = v.claims.find((c) => c.id === 'satisfied-by-sex-exact');
    expect(exact?.status).toBe('fail');
    expect(exact?.checks.map((c) => c.detail)).toEqual([
      "Fisher's exact test takes counts: not computed on a weighted study's figures",
    ]);
  });

  it("moving one answer of a man fails the men's claims and leaves the women's passing", async () => {
    const root = await copyStudy(fixture);
    // r01 is a satisfied man: he now says no
    await editFile(root, 'data/responses.csv', (t) =>
      t.replace('r01,male,centre,yes,', 'r01,male,centre,no,'),
    );
    const { verification: v } = await load(root);
    const status = Object.fromEntries(v.claims.map((c) => [c.id, c.status]));
    expect(status['men-satisfied']).toBe('fail');
    expect(status['women-satisfied']).toBe('pass');
    // r01 lives in the centre: the men of the north are untouched
    expect(status['north-men-satisfied']).toBe('pass');
  });

  it('name an unknown subgroup question or option at its line of the claims', async () => {
    const root = await copyStudy(fixture);
    await editFile(root, 'data/claims.yaml', (t) =>
      t.replace('where: { sex: male }', 'where: { sex: men }'),
    );
    await expect(loadStudy(root)).rejects.toThrow(
      /data\/claims.yaml:\d+: claim "men-satisfied": unknown option "men" of "sex" in the subgroup condition/,
    );
  });
});

describe('reconstructed data', () => {
  it('refuse crosstabs, subgroups and their claims, saying why', async () => {
    const root = await copyStudy(fixture);
    await editFile(root, 'data/codebook.yaml', (t) =>
      t.replace('status: original', 'status: reconstruction'),
    );
    await expect(loadStudy(root)).rejects.toThrow(
      /a subgroup claim is not checked on this study \(the data are a reconstruction from marginals/,
    );
    await editFile(root, 'data/claims.yaml', () => 'claims: []\n');
    const text = await readFile(join(root, 'data/codebook.yaml'), 'utf8');
    const codebook = parseCodebook(text, 'data/codebook.yaml');
    const s = await loadStudy(root);
    const results = resultsOf(s.codebook, s.tally);
    const render = (line: string) => () =>
      renderTemplate(
        { path: 't', text: line },
        {
          lang: 'en',
          template: 't',
          codebook,
          results,
          verification: verify(s.codebook, results, []),
          format: formatter('en-US'),
          strings: s.strings.en as never,
          chartPath: (id) => id,
          rows: () => rows,
        },
      );
    for (const line of [
      '{{crosstab "satisfied" by="sex"}}',
      '{{pct "satisfied" "yes" where="sex=male"}}',
    ])
      expect(render(line)).toThrow(
        /not on this study: the data are a reconstruction from marginals .*would mean nothing/,
      );
  });
});

describe('report scan', () => {
  it('binds a subgroup share to its claim and checks it against the subgroup, not the whole n', async () => {
    const { writeFile, mkdtemp } = await import('node:fs/promises');
    const { tmpdir } = await import('node:os');
    const { scanFile } = await import('../src/commands.js');
    const file = join(await mkdtemp(join(tmpdir(), 'scan-')), 'abstract.txt');
    // 69.2 % of the 30 respondents is no count (20/30 = 66.7 %, 21/30 = 70 %): only the 13 men make it
    await writeFile(file, 'Of the men, 69.2% are satisfied (9 of 13); of the women, 58.8%.\n');
    const { scan } = await scanFile(fixture, file);
    const at = (printed: string) => scan.numbers.find((x) => x.printed === printed);
    expect(at('69.2%')).toMatchObject({ claim: { id: 'men-satisfied' }, verdict: 'verified' });
    expect(at('58.8%')).toMatchObject({ claim: { id: 'women-satisfied' }, verdict: 'verified' });
  });
});

describe('the group survey built', () => {
  it('shows its crosstabs with their tests in both languages, HTML and PDF', async () => {
    const { mkdtemp, readFile: read } = await import('node:fs/promises');
    const { tmpdir } = await import('node:os');
    const { execFileSync } = await import('node:child_process');
    const { runCli } = await import('./helpers.js');
    const out = join(await mkdtemp(join(tmpdir(), 'groups-')), 'out');
    const built = await runCli(['build', '--root', fixture, '--out', out]);
    expect(built.code).toBe(0);
    for (const [lang, line] of [
      ['es', 'χ²(1) = 0.34, p = 0.558; V de Cramér = 0.11'],
      ['en', 'χ²(1) = 0.34, p = 0.558; Cramér’s V = 0.11'],
    ] as const) {
      const html = await read(join(out, `${lang}/index.html`), 'utf8');
      expect(html).toContain(line);
      expect(html).toContain('id="tab-satisfied-by-sex"');
      const pdf = execFileSync(
        'pdftotext',
        ['-enc', 'UTF-8', join(out, `${lang}/group-survey.${lang}.pdf`), '-'],
        { encoding: 'utf8' },
      );
      expect(pdf).toContain(line);
    }
  });
});
