import { cp, readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { build } from '../src/build.js';
import { escapeInvisible } from '../src/errors.js';
import { parseCodebook } from '../src/load/codebook.js';
import { codebookYaml, copyStudy, editFile, projectRoot, runBin, runCli } from './helpers.js';

const shipped = await readFile(join(projectRoot, 'data/responses.csv'), 'utf8');
const exports = join(projectRoot, 'test/fixtures/exports');

describe('out/data/responses.csv is generated, never copied', () => {
  it('is byte for byte the shipped file for the shipped study', async () => {
    const { files } = await build({ root: projectRoot, dryRun: true, formats: ['html'] });
    expect(Buffer.from(files.get('data/responses.csv') as Uint8Array).toString('utf8')).toBe(
      shipped,
    );
  });

  it('publishes no skipped column: not export metadata, not ignore_columns, not the labels as typed', async () => {
    const root = await copyStudy();
    // a Google Forms export: timestamp, English wordings and labels, a multi-line comment
    // column; plus a phone number column the study ignores
    const source = (await readFile(join(exports, 'google-forms-en.csv'), 'utf8'))
      .split('\n')
      .map((line, i) =>
        line.startsWith('\uFEFFTimestamp')
          ? line.replace('Timestamp,', 'Timestamp,Phone,')
          : /^\d{4}\//.test(line)
            ? line.replace(/^([^,]+),/, `$1,+51 944 000 ${String(i).padStart(3, '0')},`)
            : line,
      )
      .join('\n');
    await writeFile(join(root, 'data/responses.csv'), source);
    await editFile(root, 'data/codebook.yaml', (t) =>
      t.replace(
        '    respondent_id: id',
        '    respondent_id: id\n    ignore_columns: [Comments, Phone]',
      ),
    );
    const { files, dialect } = await build({ root, dryRun: true, formats: ['html'] });
    expect(dialect.columns.filter((c) => c.as === 'skipped').map((c) => c.header)).toEqual([
      'Timestamp',
      'Phone',
      'Comments',
    ]);
    const published = Buffer.from(files.get('data/responses.csv') as Uint8Array).toString('utf8');
    expect(source).toContain('+51 944');
    expect(published).not.toMatch(/\+51|Timestamp|Phone|Comments|2016\//);
    expect(published).toBe(shipped);
    const manifest = JSON.parse(String(files.get('manifest.json')));
    const entry = manifest.outputs.find((o: { path: string }) => o.path === 'data/responses.csv');
    expect(entry.bytes).toBe(Buffer.byteLength(shipped));
  });

  it('a Spanish Excel export (windows-1252, ";", CRLF) is published as UTF-8 option codes', async () => {
    const root = await copyStudy();
    await cp(join(exports, 'excel-es.csv'), join(root, 'data/responses.csv'));
    const { files } = await build({ root, dryRun: true, formats: ['html'] });
    expect(Buffer.from(files.get('data/responses.csv') as Uint8Array).toString('utf8')).toBe(
      shipped,
    );
  });

  it('rows without ids are published without an id column', async () => {
    const root = await copyStudy();
    await editFile(root, 'data/codebook.yaml', (t) =>
      t.replace('    respondent_id: id', '    respondent_id: null'),
    );
    await editFile(root, 'data/responses.csv', (t) =>
      t.replace(/^id,/, 'id,').replace(/^[^,\n]*,/gm, ''),
    );
    const { files } = await build({ root, dryRun: true, formats: ['html'] });
    const published = String(
      Buffer.from(files.get('data/responses.csv') as Uint8Array).toString('utf8'),
    );
    expect(published.split('\n')[0]).toBe(shipped.split('\n')[0]?.replace(/^id,/, ''));
    expect(published).toBe(shipped.replace(/^[^,\n]*,/gm, ''));
  });
});

describe('usage', () => {
  it.each([
    [['build', '--lang', ''], 'error: --lang is empty: give at least one, e.g. es,en'],
    [['build', '--format', ''], 'error: --format is empty: give at least one, e.g. html,pdf'],
    [['build', '--lang', ' , '], 'error: --lang is empty: give at least one, e.g. es,en'],
    [['check', '--lang', ''], 'error: --lang is empty: give at least one, e.g. es,en'],
    [['verify', '--lang', ''], 'error: --lang is empty: give a language code, e.g. en'],
  ])('%j is a usage error that writes nothing', async (args, message) => {
    const root = await copyStudy();
    await build({ root, formats: ['html'] });
    const before = (await readdir(join(root, 'out'), { recursive: true })).sort();
    const { code, err } = await runCli([...args, '--root', root]);
    expect(err.split('\n')[0]).toBe(message);
    expect(code).toBe(2);
    expect((await readdir(join(root, 'out'), { recursive: true })).sort()).toEqual(before);
  });

  it('verify --lang names a language the study does not have, as build does', async () => {
    const verify = await runCli(['verify', '--root', projectRoot, '--lang', 'xx']);
    const check = await runCli(['check', '--root', projectRoot, '--lang', 'xx']);
    expect(verify.code).toBe(2);
    expect(verify.err).toBe(
      'error: data/codebook.yaml: language "xx" is not one of the study\'s (languages: es, en)',
    );
    expect(check.err.split('\n').filter((l) => !/ ms$/.test(l))).toEqual([verify.err]);
    const es = await runCli(['verify', '--root', projectRoot, '--lang', 'es']);
    expect(es.out).toMatch(/no sabe qué significa/i);
  });

  it("verify describes claims in the study's first language when it has no English", async () => {
    const { code, out } = await runCli([
      'verify',
      '--root',
      join(projectRoot, 'test/fixtures/library-survey'),
    ]);
    expect(code).toBe(0);
    const codebook = await readFile(
      join(projectRoot, 'test/fixtures/library-survey/data/claims.yaml'),
      'utf8',
    );
    const firstPt = /about: \{ pt: ([^,]+),/.exec(codebook)?.[1] ?? /pt: (.+)/.exec(codebook)?.[1];
    expect(firstPt).toBeDefined();
    expect(out).toContain(String(firstPt).slice(0, 12));
  });

  it('check prints no pdf or publish timing line: it writes nothing', async () => {
    const { code, err } = await runCli(['check', '--root', projectRoot]);
    expect(code).toBe(0);
    expect(err).toMatch(/^typeset\s+\d+ ms$/m);
    expect(err).not.toMatch(/^(pdf|publish)\s+\d+ ms$/m);
  });

  it('an unknown command word writes no code cache into the tool', async () => {
    const bundle = join(projectRoot, 'dist/bundle');
    const before = (await readdir(bundle)).sort();
    for (const word of ['biuld', 'xyzzy']) {
      const { code, err } = runBin([word]);
      expect(code).toBe(2);
      expect(err).toMatch(`unknown command '${word}'`);
    }
    expect((await readdir(bundle)).filter((f) => !before.includes(f))).toEqual([]);
    expect((await readdir(bundle)).filter((f) => /biuld|xyzzy|other/.test(f))).toEqual([]);
  });
});

describe('messages show what cannot be seen', () => {
  it.each([
    ['does_not\u200b_know', 'does_not\\u200b_know'],
    ['\u001b[2J\u001b]0;title\u0007', '\\x1b[2J\\x1b]0;title\\x07'],
    ['abc\u202edef', 'abc\\u202edef'],
    ['a\u2066b\u2069', 'a\\u2066b\\u2069'],
    ['x\uFEFFy\u00a0z\u00adw', 'x\\ufeffy\\xa0z\\xadw'],
    ['lone \ud800 surrogate', 'lone \\ud800 surrogate'],
    ['tag \u{E0041}', 'tag \\u{e0041}'],
    ['tab\tand\nline', 'tab\\tand\\nline'],
    ['Año, café, 中文, emoji 🙂, «quotes»', 'Año, café, 中文, emoji 🙂, «quotes»'],
  ])('%j', (raw, shown) => {
    expect(escapeInvisible(raw)).toBe(shown);
  });

  it('a control character typed on the command line is shown escaped', async () => {
    const { err } = await runCli(['build', '--format', 'h\u001b[2Jtml']);
    expect(err).toBe('error: --format: unknown format "h\\x1b[2Jtml" (html, pdf, docx)');
  });
});

describe('YAML aliases', () => {
  const questions = (n: number) => {
    const lines = [
      '  - id: q0',
      '    section: main',
      '    text: { es: P, en: Q }',
      '    short: { es: P, en: Q }',
      '    options: &likert',
      '      - { code: agree, label: { es: De acuerdo, en: Agree } }',
      '      - { code: neutral, label: { es: Neutral, en: Neutral } }',
      '      - { code: disagree, label: { es: En desacuerdo, en: Disagree } }',
    ];
    for (let i = 1; i < n; i++)
      lines.push(
        `  - id: q${i}`,
        '    section: main',
        `    text: { es: P${i}, en: Q${i} }`,
        `    short: { es: P${i}, en: Q${i} }`,
        '    options: *likert',
      );
    return `${lines.join('\n')}\n`;
  };

  it('120 questions sharing one option list is a questionnaire, not an attack', () => {
    const codebook = parseCodebook(codebookYaml('likert', questions(120)), 'data/codebook.yaml');
    expect(codebook.questions).toHaveLength(120);
    expect(codebook.questions[119]?.options.map((o) => o.code)).toEqual([
      'agree',
      'neutral',
      'disagree',
    ]);
  });

  it('an expansion past the limit names the file and the anchor', () => {
    const bomb = `${codebookYaml('likert', questions(2))}x: &a [lol, lol, lol, lol, lol, lol, lol, lol, lol]\ny: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a]\nz: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b]\nw: &d [*c, *c, *c, *c, *c, *c, *c, *c, *c]\nv: &e [*d, *d, *d, *d, *d, *d, *d, *d, *d]\nu: [*e, *e, *e, *e, *e, *e, *e, *e, *e]\n`;
    expect(() => parseCodebook(bomb, 'data/codebook.yaml')).toThrow(
      /^data\/codebook\.yaml:\d+: the YAML aliases of &\w expand to more than 10000 copies \(write the repeated part out, or nest fewer aliases inside aliases\)$/,
    );
  });
});
