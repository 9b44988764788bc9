import { cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { build } from '../src/build.js';
import { aggregate } from '../src/commands.js';
import { parseCodebook } from '../src/load/codebook.js';
import { loadDesign } from '../src/load/study.js';
import { projectRoot, runCli } from './helpers.js';

const fixture = (name: string) => join(projectRoot, 'test/fixtures/formats', name);
const NO_SABE =
  '    missing:\n      - { code: no_sabe, label: { es: No sabe, en: Does not know } }\n';

/** The reference study of the formats fixtures, its responses from `file`, "No sabe" a missing category. */
async function study(file: string, as: string): Promise<string> {
  const root = await mkdtemp(join(tmpdir(), 'missing-'));
  await cp(fixture('reference'), root, { recursive: true });
  if (as !== 'data/responses.csv') {
    await rm(join(root, 'data/responses.csv'));
    await cp(fixture(file), join(root, as));
  }
  const path = join(root, 'data/codebook.yaml');
  const text = await readFile(path, 'utf8');
  const at = text.indexOf('      - { code: muy_satisfecho');
  const end = text.indexOf('\n', at) + 1;
  await writeFile(path, `${text.slice(0, end)}${NO_SABE}${text.slice(end)}`);
  return root;
}

const satisfaccion = async (root: string) => {
  const { codebook } = await loadDesign(root);
  const { results } = await aggregate(root, codebook);
  return results.questions.find((q) => q.id === 'satisfaccion');
};

describe('labelled missing categories (SPSS user-missing values)', () => {
  it('counts an SPSS user-missing value in its category, outside n and the valid percentages', async () => {
    const plain = await satisfaccion(fixture('reference'));
    const r = await satisfaccion(await study('responses.sav', 'data/responses.sav'));
    // case 106 answered 9 "No sabe" (user-missing), case 112 nothing (system-missing)
    expect(r?.n).toBe(plain?.n);
    expect(r?.n).toBe(22);
    expect(r?.missing).toBe(2);
    expect(r?.missing_categories).toEqual([{ code: 'no_sabe', count: 1 }]);
    // the valid percentages are those without it
    expect(r?.options).toEqual(plain?.options);
  });

  it('reads the same category from a CSV, by its code or label', async () => {
    const root = await study('', 'data/responses.csv');
    const csv = join(root, 'data/responses.csv');
    const lines = (await readFile(csv, 'utf8')).split('\n');
    const header = (lines[0] ?? '').split(',');
    const column = header.indexOf('satisfaccion');
    const blank = lines.findIndex((l, i) => i > 0 && l.split(',')[column] === '');
    expect(blank).toBeGreaterThan(0);
    const cells = (lines[blank] ?? '').split(',');
    cells[column] = 'No sabe';
    lines[blank] = cells.join(',');
    await writeFile(csv, lines.join('\n'));
    const r = await satisfaccion(root);
    expect(r?.missing_categories).toEqual([{ code: 'no_sabe', count: 1 }]);
    expect(r?.n).toBe(22);
  });

  it('shows each missing category apart in the SPSS-style and plain tables, and publishes its code', async () => {
    const root = await study('responses.sav', 'data/responses.sav');
    for (const lang of ['es', 'en'])
      await writeFile(
        join(root, `templates/report.${lang}.md.hbs`),
        '# {{title}}\n\n{{frequencies "satisfaccion"}}\n\n{{table "satisfaccion" base="all"}}\n\n{{table "satisfaccion"}}\n',
      );
    const { files } = await build({ root, formats: ['html'] });
    const md = String(files.get('en/report.md'));
    // SPSS: Missing | Does not know | 1 | 4.2; No answer (system) | 1 | 4.2; their total 2 | 8.3
    expect(md).toMatch(/\| Missing\s*\| Does not know\s*\|\s*1 \|\s*4\.2 \|/);
    expect(md).toMatch(/\|\s*\| No answer\s*\|\s*1 \|\s*4\.2 \|/);
    expect(md).toMatch(/\|\s*\| Total\s*\|\s*2 \|\s*8\.3 \|/);
    // the valid percent of "Satisfied" is of the 22 valid answers
    expect(md).toMatch(/\| Satisfied\s*\|\s*9 \|\s*37\.5 \|\s*40\.9 \|/);
    expect(md).toMatch(/\| Does not know\s*\|\s*1 \|\s*4\.2%/);
    const results = JSON.parse(String(files.get('data/results.json')));
    const q = results.questions.find((x: { id: string }) => x.id === 'satisfaccion');
    expect(q.missing_categories).toEqual([{ code: 'no_sabe', count: 1 }]);
    const csv = String(files.get('data/responses.csv')).split('\n');
    expect(csv.find((l) => l.startsWith('106,'))).toMatch(/,no_sabe$/);
    expect(csv.find((l) => l.startsWith('112,'))).toMatch(/,$/);
  }, 120_000);

  it('withholds a small missing category under study.disclosure, and the blanks that would give it back', async () => {
    const root = await study('responses.sav', 'data/responses.sav');
    const path = join(root, 'data/codebook.yaml');
    await writeFile(
      path,
      (await readFile(path, 'utf8')).replace(
        '  languages:',
        '  disclosure: { min_cell: 2 }\n  languages:',
      ),
    );
    for (const lang of ['es', 'en'])
      await writeFile(
        join(root, `templates/report.${lang}.md.hbs`),
        '# {{title}}\n\n{{frequencies "satisfaccion"}}\n\n{{table "satisfaccion" base="all"}}\n',
      );
    const { files } = await build({ root, formats: ['html'] });
    const results = JSON.parse(String(files.get('data/results.json')));
    const q = results.questions.find((x: { id: string }) => x.id === 'satisfaccion');
    expect(q.missing_categories).toEqual([{ code: 'no_sabe', count: null, suppressed: true }]);
    expect(q.blanks).toBeNull();
    const md = String(files.get('en/report.md'));
    expect(md).toMatch(/\| Missing\s*\| Does not know\s*\|\s*< 2 \|\s*— \|/);
    expect(md).toMatch(/\|\s*\| No answer\s*\|\s*— \|\s*— \|/);
    expect(md).not.toMatch(/(Does not know|No answer)\s*\|\s*1 \|/);
    expect(md).toMatch(/fewer than 2 answers/);
  }, 120_000);

  it('report init drafts labelled user-missing values as missing categories', async () => {
    const dir = join(await mkdtemp(join(tmpdir(), 'missing-init-')), 'study');
    const init = await runCli(['init', fixture('responses.sav'), '--dir', dir]);
    expect(init.code, init.err).toBe(0);
    const text = await readFile(join(dir, 'data/codebook.yaml'), 'utf8');
    expect(text).toMatch(/missing:\n\s+- \{ code: no_sabe, label: \{ es: No sabe/);
    const codebook = parseCodebook(text, 'c');
    const q = codebook.questions.find((x) => x.id === 'satisfaccion');
    expect(q?.options.map((o) => o.code)).not.toContain('no_sabe');
    expect(q?.missing?.map((o) => o.code)).toEqual(['no_sabe']);
  }, 120_000);

  it('refuses a code that is both an option and a missing category', () => {
    const text = `study:
  id: s
  title: { en: S }
  population: { en: people }
  languages: [{ code: en, locale: en-US, name: English }]
  data: { status: original, note: { en: n } }
sections: [{ id: a, title: { en: A } }]
questions:
  - id: q
    section: a
    text: { en: Q? }
    short: { en: Q }
    options: [{ code: yes, label: { en: Yes } }, { code: dk, label: { en: Unsure } }]
    missing: [{ code: dk, label: { en: Do not know } }]
`;
    expect(() => parseCodebook(text, 'codebook.yaml')).toThrow(
      /codebook\.yaml:14: .*code "dk" of "q" is both an option and a missing category/,
    );
  });
});
