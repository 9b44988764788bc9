import { cp, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { aggregate } from '../src/commands.js';
import { codebookTakes, guessType, multipleSeparator } from '../src/init/guess.js';
import { parseCodebook } from '../src/load/codebook.js';
import { readSav } from '../src/load/sav.js';
import { loadDesign } from '../src/load/study.js';
import { readXlsForm } from '../src/load/xlsform.js';
import { readWorkbook } from '../src/load/xlsx.js';
import { runCli } from './helpers.js';

const formats = join(import.meta.dirname, 'fixtures/formats');
const fixture = (name: string) => join(formats, name);
const bytesOf = async (name: string) => new Uint8Array(await readFile(fixture(name)));

/** The results of the equivalent CSV study, as results.json holds them. */
const reference = await (async () => {
  const root = fixture('reference');
  const { codebook } = await loadDesign(root);
  return (await aggregate(root, codebook)).results;
})();

async function tmp(): Promise<string> {
  return mkdtemp(join(tmpdir(), 'formats-'));
}

/** The reference study with its responses replaced by another file. */
async function referenceWith(file: string, as: string, codebookEdit?: (t: string) => string) {
  const root = await tmp();
  await cp(fixture('reference'), root, { recursive: true });
  await rm(join(root, 'data/responses.csv'));
  await cp(fixture(file), join(root, as));
  if (codebookEdit) {
    const path = join(root, 'data/codebook.yaml');
    await writeFile(path, codebookEdit(await readFile(path, 'utf8')));
  }
  return root;
}

async function resultsOf(root: string) {
  const { codebook } = await loadDesign(root);
  return (await aggregate(root, codebook)).results;
}

describe('the workbook reader', () => {
  it('reads typed cells below a title row', async () => {
    const table = await readWorkbook(await bytesOf('responses.xlsx'), 'r.xlsx', { headerRow: 2 });
    expect(table.columns.map((c) => c.header)).toEqual([
      'Marca temporal',
      'id',
      'Sexo',
      'Edad',
      '¿Qué tan satisfecho está con el servicio?',
      'Distrito de residencia',
    ]);
    expect(table.rows).toHaveLength(24);
    const first = table.rows[0];
    expect(first?.line).toBe(3);
    expect(first?.cells[0]).toBeInstanceOf(Date);
    expect((first?.cells[0] as Date | undefined)?.toISOString()).toBe('2024-05-02T09:00:00.000Z');
    expect(first?.cells[1]).toBe(101);
    expect(first?.cells[3]).toBe(18);
    expect(first?.cells[2]).toBe('Hombre');
    expect(table.source).toBe('sheet "Respuestas", header on row 2');
  });

  it('refuses merged header cells, a missing sheet, a password and a file that is no workbook', async () => {
    await expect(
      readWorkbook(await bytesOf('bad/merged-header.xlsx'), 'm.xlsx', { headerRow: 2 }),
    ).rejects.toThrow(
      'm.xlsx:2: merged header cells E2:F2 in sheet "Respuestas" (unmerge them so that each column has its own header, or set study.data.header_row to the row that does)',
    );
    await expect(
      readWorkbook(await bytesOf('responses.xlsx'), 'r.xlsx', { sheet: 'Datos' }),
    ).rejects.toThrow(
      'r.xlsx: no sheet "Datos" (its sheets are "Respuestas"; set study.data.sheet)',
    );
    await expect(readWorkbook(await bytesOf('bad/protected.xlsx'), 'p.xlsx')).rejects.toThrow(
      'p.xlsx: a password-protected workbook',
    );
    await expect(readWorkbook(await bytesOf('responses.sav'), 's.xlsx')).rejects.toThrow(
      's.xlsx: an SPSS data file, not a workbook (name it data/responses.sav)',
    );
  });
});

describe('the SPSS reader', () => {
  it('reads variable labels, value labels, user-missing values, numbers and strings (a file PSPP wrote)', async () => {
    const table = await readSav(await bytesOf('responses.sav'), 'r.sav');
    expect(table.columns.map((c) => [c.header, c.storage])).toEqual([
      ['id', 'numeric'],
      ['sexo', 'numeric'],
      ['edad', 'numeric'],
      ['distrito', 'string'],
      ['satisfaccion', 'numeric'],
      ['comentario', 'string'],
    ]);
    const [, sexo, , , satisfaccion, comentario] = table.columns;
    expect(sexo?.label).toBe('Sexo');
    expect([...(sexo?.valueLabels ?? [])]).toEqual([
      ['1', 'Mujer'],
      ['2', 'Hombre'],
    ]);
    expect(satisfaccion?.valueLabels?.get('9')).toBe('No sabe');
    expect(satisfaccion?.userMissing?.(9)).toBe(true);
    expect(satisfaccion?.userMissing?.(4)).toBe(false);
    expect(comentario?.label).toBe('¿Algún comentario sobre la atención?');
    expect(table.rows).toHaveLength(24);
    expect(table.rows[0]?.cells).toEqual([
      101,
      2,
      18,
      'Trujillo',
      4,
      'La atención fue rápida y amable (1)',
    ]);
    // the system-missing value is no answer; the user-missing 9 is kept, and counted as none
    expect(table.rows[11]?.cells[4]).toBeNull();
    expect(table.rows[5]?.cells[4]).toBe(9);
    expect(table.source).toMatch(/^SPSS system file written by PSPP, 6 variables, UTF-8 encoding$/);
  });

  it('refuses a ZLIB-compressed file, a truncated file and a workbook, naming why', async () => {
    await expect(readSav(await bytesOf('bad/zlib.sav'), 'z.sav')).rejects.toThrow(
      'z.sav: a ZLIB-compressed SPSS file, which the SPSS reader (sav-reader) cannot read',
    );
    await expect(readSav(await bytesOf('bad/truncated.sav'), 't.sav')).rejects.toThrow(
      /^t\.sav: a (damaged or )?truncated SPSS file/,
    );
    await expect(readSav(await bytesOf('responses.xlsx'), 'x.sav')).rejects.toThrow(
      'x.sav: an Office file (a workbook?), not an SPSS data file (name a workbook data/responses.xlsx)',
    );
  });
});

describe('the XLSForm reader', () => {
  it('reads groups, choice lists, types and labels in both languages', async () => {
    const form = await readXlsForm(await bytesOf('form.xlsx'), 'form.xlsx');
    expect(form.languages).toEqual([
      { code: 'es', name: 'Español' },
      { code: 'en', name: 'English' },
    ]);
    expect(form.title).toBe('Satisfacción con el servicio municipal');
    expect(form.groups.map((g) => [g.name, g.labels])).toEqual([
      ['perfil', { es: 'Perfil', en: 'Profile' }],
      ['opinion', { es: 'Opinión', en: 'Opinion' }],
    ]);
    expect(form.questions.map((q) => [q.name, q.type, q.list, q.group])).toEqual([
      ['sexo', 'select_one', 'sexo', 'perfil'],
      ['edad', 'integer', undefined, 'perfil'],
      ['distrito', 'select_one', 'distrito', 'perfil'],
      ['satisfaccion', 'select_one', 'sat', 'opinion'],
      ['medios', 'select_multiple', 'medios', 'opinion'],
      ['comentario', 'text', undefined, 'opinion'],
    ]);
    expect(form.choices.get('medios')?.map((c) => [c.name, c.labels.en])).toEqual([
      ['radio', 'Radio'],
      ['amigos', 'Friends'],
      ['internet', 'Internet'],
    ]);
  });
});

describe('type guessing', () => {
  const numbers = (n: number) => Array.from({ length: 40 }, (_, i) => String(18 + (i % n)));
  it('numeric only past 15 distinct numbers and without value labels', () => {
    expect(guessType({ values: numbers(16), labelled: false })).toBe('numeric');
    expect(guessType({ values: numbers(15), labelled: false })).toBe('single');
    expect(guessType({ values: numbers(16), labelled: true })).toBe('single');
    expect(guessType({ values: [...numbers(16), 'n/a'], labelled: false })).toBe('single');
  });
  it('text when nearly every answer differs and the median answer is long', () => {
    const long = Array.from({ length: 20 }, (_, i) => `A comment long enough, number ${i}`);
    expect(guessType({ values: long, labelled: false })).toBe('text');
    expect(
      guessType({ values: [...long.slice(0, 15), 'x', 'x', 'x', 'x', 'x'], labelled: false }),
    ).toBe('single');
    const short = Array.from({ length: 20 }, (_, i) => `name ${i}`);
    expect(guessType({ values: short, labelled: false })).toBe('single');
  });
  it('multiple when cells hold several codes', () => {
    const cells = ['radio amigos', 'amigos', 'internet radio', 'radio', 'internet'];
    expect(multipleSeparator(cells)).toBe(' ');
    expect(guessType({ values: cells, labelled: false })).toBe('multiple');
    expect(multipleSeparator(['Muy satisfecho', 'Satisfecho', 'Neutral'])).toBeUndefined();
    expect(multipleSeparator(['web;friends', 'web', 'friends;tv', 'tv'])).toBe(';');
  });
  it("gates a question on what the codebook's schema takes", () => {
    const single = {
      id: 'q',
      section: 's',
      text: { es: 'P' },
      short: { es: 'P' },
      options: [{ code: 'a', label: { es: 'A' } }],
    };
    expect(codebookTakes(single)).toBe(true);
    expect(codebookTakes({ ...single, colour: 'red' })).toBe(false);
    expect(codebookTakes({ ...single, options: [] })).toBe(false);
  });
});

describe('workbooks and SPSS files in place of the CSV', () => {
  it('an .xlsx (title row, labels as answers, a timestamp) gives the CSV study’s results', async () => {
    const root = await referenceWith('responses.xlsx', 'data/responses.xlsx', (t) =>
      t.replace('    ignore_columns:', '    header_row: 2\n    ignore_columns:'),
    );
    expect(await resultsOf(root)).toEqual(reference);
    const check = await runCli(['check', '--root', root]);
    expect(check.err).toContain(
      'data/responses.xlsx: 24 rows · sheet "Respuestas", header on row 2\n  "Marca temporal" → skipped\n  "id" → respondent id\n  "Sexo" → question sexo',
    );
  });

  it('a .sav (numeric codes, value labels, a user-missing 9) gives the CSV study’s results', async () => {
    const root = await referenceWith('responses.sav', 'data/responses.sav');
    expect(await resultsOf(root)).toEqual(reference);
  });

  it('bad files: one line naming the file and what it is, exit 2', async () => {
    const cases: [string, string, string][] = [
      [
        'responses.xlsx',
        'data/responses.csv',
        'error: data/responses.csv: this is an Excel workbook (.xlsx) or another zip file, not CSV text (name a workbook data/responses.xlsx, or export the responses as CSV)',
      ],
      [
        'bad/protected.xlsx',
        'data/responses.xlsx',
        'error: data/responses.xlsx: a password-protected workbook (remove its password (in Excel: File › Info › Protect Workbook › Encrypt with Password, empty) and save it again)',
      ],
      [
        'bad/zlib.sav',
        'data/responses.sav',
        'error: data/responses.sav: a ZLIB-compressed SPSS file, which the SPSS reader (sav-reader) cannot read (save it again uncompressed or with standard compression: SAVE OUTFILE=… /COMPRESSED (SPSS: uncheck "ZSAV"))',
      ],
      [
        'bad/merged-header.xlsx',
        'data/responses.xlsx',
        'error: data/responses.xlsx:2: merged header cells E2:F2 in sheet "Respuestas" (unmerge them so that each column has its own header, or set study.data.header_row to the row that does)',
      ],
    ];
    for (const [file, as, message] of cases) {
      const root = await referenceWith(file, as, (t) =>
        t.replace('    ignore_columns:', '    header_row: 2\n    ignore_columns:'),
      );
      const { code, err } = await runCli(['verify', '--root', root]);
      expect(code, file).toBe(2);
      expect(err, file).toBe(message);
    }
    const truncated = await referenceWith('bad/truncated.sav', 'data/responses.sav');
    const { code, err } = await runCli(['verify', '--root', truncated]);
    expect(code).toBe(2);
    expect(err).toMatch(/^error: data\/responses\.sav: a (damaged or )?truncated SPSS file[^\n]*$/);
  });

  it('two responses files are an error naming both', async () => {
    const root = await referenceWith('responses.sav', 'data/responses.sav');
    await cp(fixture('reference/data/responses.csv'), join(root, 'data/responses.csv'));
    const { code, err } = await runCli(['verify', '--root', root]);
    expect(code).toBe(2);
    expect(err).toBe(
      'error: data/responses.sav: a second responses file beside data/responses.csv (a study reads exactly one responses file: keep one of them)',
    );
  });
});

describe('report init', () => {
  it('from an .xlsx drafts what the same cells as CSV draft', async () => {
    const dir = await tmp();
    // the title row above the header is found without --header-row
    const a = await runCli(['init', fixture('responses.xlsx'), '--dir', join(dir, 'x')]);
    const b = await runCli(['init', fixture('responses-as-csv.csv'), '--dir', join(dir, 'c')]);
    expect([a.code, b.code]).toEqual([0, 0]);
    const codebook = async (d: string) =>
      (await readFile(join(dir, d, 'data/codebook.yaml'), 'utf8'))
        .replace(/responses[-_]as[-_]csv/g, 'responses')
        .replace(/responses\.csv/g, 'responses.xlsx')
        .replace('    header_row: 2\n', '');
    expect(await codebook('x')).toBe(await codebook('c'));
    expect(await resultsOf(join(dir, 'x'))).toEqual(await resultsOf(join(dir, 'c')));
    const drafted = parseCodebook(await readFile(join(dir, 'x/data/codebook.yaml'), 'utf8'), 'c');
    expect(drafted.study.data.header_row).toBe(2);
    expect(drafted.questions.map((q) => q.id)).toEqual([
      'sexo',
      'que_tan_satisfecho_esta_con_el_servicio',
      'distrito_de_residencia',
    ]);
    // Edad: more than 15 distinct numbers, a numeric question; the timestamp is export metadata
    expect(drafted.study.data.ignore_columns).toEqual(['Edad']);
  });

  it('from a Kobo export alone: its 0/1 columns go with their select_multiple, its metadata is skipped', async () => {
    const dir = join(await tmp(), 'k');
    const init = await runCli(['init', fixture('kobo.csv'), '--dir', dir]);
    expect(init.code, init.err).toBe(0);
    const text = await readFile(join(dir, 'data/codebook.yaml'), 'utf8');
    expect(text).toContain(
      '#   sexo: single, edad: numeric (left out), distrito: single, satisfaccion: single,\n#   medios: multiple (left out), comentario: text (left out)\n',
    );
    const drafted = parseCodebook(text, 'c');
    expect(drafted.study.data.respondent_id).toBe('_id');
    expect(drafted.questions.map((q) => [q.id, q.columns])).toEqual([
      ['sexo', ['perfil/sexo']],
      ['distrito', ['perfil/distrito']],
      ['satisfaccion', ['opinion/satisfaccion']],
    ]);
    expect(drafted.study.data.ignore_columns).toEqual([
      'perfil/edad',
      'opinion/medios',
      'opinion/medios/radio',
      'opinion/medios/amigos',
      'opinion/medios/internet',
      'opinion/comentario',
    ]);
    const results = await resultsOf(dir);
    expect(results.respondents).toBe(24);
    expect(results.questions.map((q) => [q.id, q.n, q.missing])).toEqual(
      reference.questions.map((q) => [q.id, q.n, q.missing]),
    );
  });

  it('refuses to overwrite a file, naming it; --force overwrites', async () => {
    const dir = join(await tmp(), 'study');
    expect((await runCli(['init', fixture('responses.sav'), '--dir', dir])).code).toBe(0);
    await writeFile(join(dir, 'data/claims.yaml'), 'claims: []\n# mine\n');
    const again = await runCli(['init', fixture('responses.sav'), '--dir', dir]);
    expect(again.code).toBe(2);
    expect(again.err).toBe(
      `error: ${join(dir, 'data/responses.sav')}: already exists: not overwritten (use --force to overwrite it)`,
    );
    expect(await readFile(join(dir, 'data/claims.yaml'), 'utf8')).toBe('claims: []\n# mine\n');
    expect((await runCli(['init', fixture('responses.sav'), '--dir', dir, '--force'])).code).toBe(
      0,
    );
    expect(await readFile(join(dir, 'data/claims.yaml'), 'utf8')).toMatch(/^# The figures/);
    // another kind of responses file in the folder: never two
    const csv = await runCli(['init', fixture('responses-as-csv.csv'), '--dir', dir, '--force']);
    expect(csv.code).toBe(2);
    expect(csv.err).toMatch(/already has a responses file \(data\/responses\.sav\)/);
  });

  it('refuses a file it does not read, and a folder', async () => {
    const dir = await tmp();
    await mkdir(join(dir, 'data.csv'));
    await writeFile(join(dir, 'notes.txt.docx'), 'x');
    expect((await runCli(['init', join(dir, 'notes.txt.docx'), '--dir', join(dir, 's')])).err).toBe(
      `error: ${join(dir, 'notes.txt.docx')}: ".docx" is not a data file init reads (give a .csv, .xlsx or .sav file)`,
    );
    expect((await runCli(['init', join(dir, 'data.csv'), '--dir', join(dir, 's')])).err).toBe(
      `error: ${join(dir, 'data.csv')}: is a folder, expected a file`,
    );
  });
});

describe('report init, then report build: a complete first report without editing', () => {
  it('from an SPSS file alone', async () => {
    const dir = join(await tmp(), 'study');
    const init = await runCli(['init', fixture('responses.sav'), '--dir', dir]);
    expect(init.code, init.err).toBe(0);
    const build = await runCli(['build', '--root', dir, '--format', 'html']);
    expect(build.code, build.err).toBe(0);
    const { schema_version, data, ...results } = JSON.parse(
      await readFile(join(dir, 'out/data/results.json'), 'utf8'),
    );
    expect(schema_version).toBe(1);
    expect(data.status).toBe('original');
    expect(results).toEqual(reference);
    for (const lang of ['es', 'en']) {
      const html = await readFile(join(dir, `out/${lang}/index.html`), 'utf8');
      expect(html.match(/<table/g)?.length, lang).toBe(4); // three questions and the verification
      expect(html.match(/<svg/g)?.length ?? 0, lang).toBeGreaterThanOrEqual(3);
    }
    const es = await readFile(join(dir, 'out/es/index.html'), 'utf8');
    expect(es).toContain('Muy satisfecho');
    expect(es).toContain('¿Qué tan satisfecho está con el servicio?');
    // never publish the workbook or the SPSS file itself
    const out = await readFile(join(dir, 'out/manifest.json'), 'utf8');
    expect(out).not.toMatch(/"data\/responses\.sav"\s*:\s*\{[^}]*"output"/);
    await expect(readFile(join(dir, 'out/data/responses.sav'))).rejects.toThrow();
    const check = await runCli(['check', '--root', dir]);
    expect(check.err).toContain(
      'warning: data/codebook.yaml: the "en" texts are copies of another language\'s (drafted by report init)',
    );
  });

  it('from an XLSForm and a Kobo export: sections from its groups, labels in both languages', async () => {
    const dir = join(await tmp(), 'kobo');
    const init = await runCli([
      'init',
      fixture('kobo.csv'),
      '--form',
      fixture('form.xlsx'),
      '--dir',
      dir,
    ]);
    expect(init.code, init.err).toBe(0);
    const codebook = parseCodebook(await readFile(join(dir, 'data/codebook.yaml'), 'utf8'), 'c');
    expect(codebook.study.languages.map((l) => l.code)).toEqual(['es', 'en']);
    // every text from the form in both languages; only the form's title is in one language
    expect(codebook.study.untranslated).toEqual(['en']);
    expect(codebook.study.title).toEqual({
      es: 'Satisfacción con el servicio municipal',
      en: 'Satisfacción con el servicio municipal',
    });
    expect(codebook.study.data.respondent_id).toBe('_id');
    expect(codebook.sections.map((s) => [s.id, s.title])).toEqual([
      ['perfil', { es: 'Perfil', en: 'Profile' }],
      ['opinion', { es: 'Opinión', en: 'Opinion' }],
    ]);
    const sat = codebook.questions.find((q) => q.id === 'satisfaccion');
    expect(sat?.columns).toEqual(['opinion/satisfaccion']);
    expect(sat?.options.map((o) => [o.code, o.label.en])).toEqual([
      ['muy_insatisfecho', 'Very dissatisfied'],
      ['insatisfecho', 'Dissatisfied'],
      ['neutral', 'Neutral'],
      ['satisfecho', 'Satisfied'],
      ['muy_satisfecho', 'Very satisfied'],
    ]);
    const build = await runCli(['build', '--root', dir, '--format', 'html']);
    expect(build.code, build.err).toBe(0);
    const { schema_version, data, ...results } = JSON.parse(
      await readFile(join(dir, 'out/data/results.json'), 'utf8'),
    );
    expect(schema_version).toBe(1);
    expect(data.status).toBe('original');
    const taken = codebook.questions.map((q) => q.id);
    expect(
      results.questions.filter((q: { id: string }) =>
        reference.questions.some((r) => r.id === q.id),
      ),
    ).toEqual(reference.questions.filter((r) => taken.includes(r.id)));
    if (taken.length === 3) expect(results).toEqual(reference);
    const en = await readFile(join(dir, 'out/en/index.html'), 'utf8');
    expect(en).toContain('How satisfied are you with the service?');
    expect(en).toContain('Very dissatisfied');
  });
});
