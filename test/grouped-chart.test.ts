import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { auditSite } from '../src/audit/audit.js';
import { build } from '../src/build.js';
import { copyStudy, editFile, projectRoot, runCli } from './helpers.js';

const fixture = join(projectRoot, 'test/fixtures/group-survey');

let root: string;

beforeAll(async () => {
  root = await copyStudy(fixture);
  for (const lang of ['es', 'en'])
    await editFile(
      root,
      `templates/report.${lang}.md.hbs`,
      (t) =>
        `${t}\n\n{{chart "satisfied" by="sex"}}\n\n{{chart "channels" by="region" where="age=young"}}\n`,
    );
  await build({ root, formats: ['html', 'pdf'] });
}, 180_000);

const read = (path: string) => readFile(join(root, 'out', path), 'utf8');

describe('{{chart "q" by="g"}}', () => {
  it('draws a grouped bar chart of each group’s percentages, static, described in words', async () => {
    const spec = JSON.parse(await read('en/charts/satisfied-by-sex.vl.json'));
    // the crosstab's columns: 9 of 13 men and 10 of 17 women are satisfied
    const yes = spec.data.values.filter((v: { order: number }) => v.order === 0);
    expect(yes.map((v: { group: string; text: string }) => [v.group, v.text])).toEqual([
      ['men', '69.2%'],
      ['women', '58.8%'],
    ]);
    expect(spec.encoding.yOffset.field).toBe('groupOrder');
    expect(spec.description).toBe(
      'Grouped bar chart: Satisfied by Sex. men (n = 13): Yes 69.2% (9), No 30.8% (4); women (n = 17): Yes 58.8% (10), No 41.2% (7).',
    );
    const svg = await read('en/charts/satisfied-by-sex.svg');
    expect(svg).toMatch(/^<svg[^>]* role="img"/);
    expect(svg).toContain(`<desc id="chart-satisfied-by-sex-desc">${spec.description}</desc>`);
    expect(svg).not.toMatch(/<script|https?:\/\/(?!www\.w3\.org)/);
    const es = JSON.parse(await read('es/charts/satisfied-by-sex.vl.json'));
    expect(es.description).toBe(
      'Gráfico de barras agrupadas: Satisfecho por Sexo. hombres (n = 13): Sí 69.2% (9), No 30.8% (4); mujeres (n = 17): Sí 58.8% (10), No 41.2% (7).',
    );
  });

  it('is a numbered figure in both languages, in the HTML and the PDF', async () => {
    const en = await read('en/index.html');
    expect(en).toMatch(/id="fig-satisfied-by-sex"/);
    expect(en).toContain('Satisfied by Sex: percentage of each group’s answers, by option');
    const es = await read('es/index.html');
    expect(es).toContain(
      'Satisfecho por Sexo: porcentaje de las respuestas de cada grupo, por opción',
    );
    // a subgroup's chart says whom it shows
    expect(en).toMatch(
      /Channels by Region: percentage of each group’s answers, by option \(Age: 18 to 39\)/,
    );
    const typ = await read('en/report.typ');
    expect(typ).toContain('satisfied-by-sex.svg');
  });

  it('passes the audit', async () => {
    const audit = await auditSite(join(root, 'out'));
    expect(audit.problems).toEqual([]);
  });

  it('refuses a group that makes no groups, at its template line', async () => {
    const bad = await copyStudy(fixture);
    await editFile(
      bad,
      'templates/report.en.md.hbs',
      () => '# T\n\n{{chart "satisfied" by="channels"}}\n',
    );
    const result = await runCli(['build', '--root', bad, '--format', 'html']);
    expect(result.code).toBe(2);
    expect(result.err).toContain(
      'templates/report.en.md.hbs:3: {{chart}}: by="channels": a multiple question does not make groups',
    );
  });
});
