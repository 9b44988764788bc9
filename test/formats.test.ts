import { cp, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { aggregate } from '../src/commands.js';
import { codebookTakes, guessType, likertLike, multipleSeparator } from '../src/init/guess.js';
import { parseCodebook } from '../src/load/codebook.js';
import { readSav } from '../src/load/sav.js';
import { measurementLevels } from '../src/load/sav-levels.js';
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

/** How many chose each option of the Kobo fixture's select_multiple (from make.mjs: i % 2 === 0, i % 3 !== 1, i % 4 === 3). */
const MEDIOS = [12, 16, 6];
function medios(results: { questions: { id: string; counts?: unknown }[] }) {
  const q = results.questions.find((x) => x.id === 'medios') as
    | { options: { count: number }[] }
    | undefined;
  return q?.options.map((o) => o.count);
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

describe('SPSS files as SPSS writes them', () => {
  it('reads the measurement level of each variable (record 7, subtype 11)', async () => {
    const table = await readSav(await bytesOf('responses.sav'), 'r.sav');
    expect(table.columns.map((c) => [c.header, c.level])).toEqual([
      ['id', 'scale'],
      ['sexo', 'nominal'],
      ['edad', 'scale'],
      ['distrito', 'nominal'],
      ['satisfaccion', 'ordinal'],
      ['comentario', 'nominal'],
    ]);
    // a file cut inside its dictionary: no level rather than a misread one
    const bytes = await bytesOf('responses.sav');
    expect(measurementLevels(bytes.subarray(0, 400)).size).toBe(0);
    expect(measurementLevels(bytes.subarray(0, 100)).size).toBe(0);
  });

  it('reads a bytecode-compressed file with a very long string (over 255 bytes), as PSPP writes it', async () => {
    const plain = await readSav(await bytesOf('responses.sav'), 'r.sav');
    const compressed = await readSav(await bytesOf('compressed.sav'), 'c.sav');
    expect(compressed.columns.map((c) => c.header)).toEqual([
      ...plain.columns.map((c) => c.header),
      'nota',
    ]);
    expect(compressed.columns[6]?.label).toBe('Nota larga');
    expect(compressed.rows.map((r) => r.cells.slice(0, 6))).toEqual(plain.rows.map((r) => r.cells));
    const nota = String(compressed.rows[0]?.cells[6]);
    expect(nota.length).toBeGreaterThan(255);
    expect(nota).toMatch(/^Trujillo: Texto de relleno\. .*fin$/);
  });

  it('a user-missing value is no answer, unless the codebook has an option for it', async () => {
    const root = await referenceWith('responses.sav', 'data/responses.sav', (t) =>
      t.replace(
        '      - { code: muy_satisfecho, label: { es: Muy satisfecho, en: Very satisfied } }',
        '      - { code: muy_satisfecho, label: { es: Muy satisfecho, en: Very satisfied } }\n      - { code: no_sabe, label: { es: No sabe, en: Does not know } }',
      ),
    );
    const results = await resultsOf(root);
    const sat = results.questions.find((q) => q.id === 'satisfaccion') as unknown as {
      n: number;
      missing: number;
      options: { code: string; count: number }[];
    };
    const before = reference.questions.find((q) => q.id === 'satisfaccion') as unknown as {
      n: number;
      missing: number;
    };
    expect(sat.options.find((o) => o.code === 'no_sabe')?.count).toBe(1);
    expect([sat.n, sat.missing]).toEqual([before.n + 1, before.missing - 1]);
  });
});

describe('type guessing', () => {
  it('ordinal when the options, in a known order, form a rating scale', () => {
    expect(
      likertLike(['Muy insatisfecho', 'Insatisfecho', 'Neutral', 'Satisfecho', 'Muy satisfecho']),
    ).toBe(true);
    expect(likertLike(['Strongly disagree', 'Disagree', 'Agree', 'Strongly agree'])).toBe(true);
    expect(likertLike(['Nunca', 'A veces', 'Siempre'])).toBe(true);
    expect(likertLike(['Trujillo', 'La Esperanza', 'El Porvenir'])).toBe(false);
    expect(likertLike(['Muy satisfecho', 'Muy satisfecho', 'x'])).toBe(false);
    expect(likertLike(['Muy insatisfecho', 'Muy satisfecho'])).toBe(false);
    expect(guessType({ values: ['1', '2'], labelled: true, level: 'ordinal' })).toBe('ordinal');
    expect(guessType({ values: ['18', '30'], labelled: false, level: 'scale' })).toBe('numeric');
    expect(guessType({ values: ['a', 'b'], labelled: false, level: 'scale' })).toBe('single');
  });
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
    expect(drafted.questions.map((q) => [q.id, q.type])).toEqual([
      ['sexo', 'single'],
      // Edad: more than 15 distinct numbers (typed cells), a numeric question
      ['edad', 'numeric'],
      ['que_tan_satisfecho_esta_con_el_servicio', 'single'],
      ['distrito_de_residencia', 'single'],
    ]);
    // the timestamp is export metadata; nothing is left out
    expect(drafted.study.data.ignore_columns).toEqual([]);
    const results = await resultsOf(join(dir, 'x'));
    expect(results.questions.find((q) => q.id === 'edad')).toMatchObject({ n: 24, missing: 0 });
  });

  it('from a Kobo export alone: its 0/1 columns go with their select_multiple, its metadata is skipped', async () => {
    const dir = join(await tmp(), 'k');
    const init = await runCli(['init', fixture('kobo.csv'), '--dir', dir]);
    expect(init.code, init.err).toBe(0);
    const text = await readFile(join(dir, 'data/codebook.yaml'), 'utf8');
    expect(text).toContain(
      '#   sexo: single, edad: numeric, distrito: single, satisfaccion: single, medios: multiple,\n#   comentario: text\n',
    );
    const drafted = parseCodebook(text, 'c');
    expect(drafted.study.data.respondent_id).toBe('_id');
    expect(drafted.questions.map((q) => [q.id, q.type, q.columns, q.multiple])).toEqual([
      ['sexo', 'single', ['perfil/sexo'], undefined],
      ['edad', 'numeric', ['perfil/edad'], undefined],
      ['distrito', 'single', ['perfil/distrito'], undefined],
      ['satisfaccion', 'single', ['opinion/satisfaccion'], undefined],
      // the 0/1 columns are named by a pattern, not listed as other headers of the question
      ['medios', 'multiple', ['opinion/medios'], { columns: 'opinion/{q}/{option}' }],
      ['comentario', 'text', ['opinion/comentario'], undefined],
    ]);
    expect(drafted.questions.find((q) => q.id === 'comentario')?.publish).toBeUndefined();
    expect(drafted.study.data.ignore_columns).toEqual([]);
    const results = await resultsOf(dir);
    expect(results.respondents).toBe(24);
    const shared = (r: typeof results) =>
      r.questions
        .filter((q) => ['sexo', 'distrito', 'satisfaccion'].includes(q.id))
        .map((q) => [q.id, q.n, q.missing]);
    expect(shared(results)).toEqual(shared(reference));
    expect(medios(results)).toEqual(MEDIOS);
  });

  it('from a Kobo .xlsx export (typed cells: an integer question, 0/1 columns as numbers): init, check, build', async () => {
    const base = await tmp();
    const fromCsv = join(base, 'csv');
    const fromXlsx = join(base, 'xlsx');
    expect((await runCli(['init', fixture('kobo.csv'), '--dir', fromCsv])).code).toBe(0);
    const init = await runCli(['init', fixture('kobo.xlsx'), '--dir', fromXlsx]);
    expect(init.code, init.err).toBe(0);
    const codebook = parseCodebook(
      await readFile(join(fromXlsx, 'data/codebook.yaml'), 'utf8'),
      'c',
    );
    expect(codebook.questions.map((q) => [q.id, q.type])).toEqual([
      ['sexo', 'single'],
      ['edad', 'numeric'],
      ['distrito', 'single'],
      ['satisfaccion', 'single'],
      ['medios', 'multiple'],
      ['comentario', 'text'],
    ]);
    const check = await runCli(['check', '--root', fromXlsx]);
    expect(check.code, check.err).toBe(0);
    expect(check.err).toContain(
      '"opinion/medios/radio" → skipped (the answers of column "opinion/medios")',
    );
    const build = await runCli(['build', '--root', fromXlsx, '--format', 'html']);
    expect(build.code, build.err).toBe(0);
    const { schema_version, data, ...results } = JSON.parse(
      await readFile(join(fromXlsx, 'out/data/results.json'), 'utf8'),
    );
    expect(schema_version).toBe(1);
    expect(data.status).toBe('original');
    // the same answers as the CSV export of the same submissions
    expect(results).toEqual(await resultsOf(fromCsv));
    expect(medios(results)).toEqual(MEDIOS);
    const edad = results.questions.find((q: { id: string }) => q.id === 'edad');
    expect(edad.n).toBe(24);
    // the responses published as generated CSV: id and question columns, no open answers
    const csv = await readFile(join(fromXlsx, 'out/data/responses.csv'), 'utf8');
    const lines = csv.trimEnd().split('\n');
    expect(lines[0]).toBe('_id,sexo,edad,distrito,satisfaccion,medios');
    expect(lines).toHaveLength(25);
    expect(lines[1]).toBe('101,hombre,18,trujillo,satisfecho,radio amigos');
    await expect(readFile(join(fromXlsx, 'out/data/responses.xlsx'))).rejects.toThrow();
  });

  it('a select_multiple exported as 0/1 columns only: read from them, counted the same', async () => {
    const base = await tmp();
    const lines = (await readFile(fixture('kobo.csv'), 'utf8')).trimEnd().split('\n');
    const at = lines[0]?.split(';').indexOf('opinion/medios') as number;
    const dropped = lines.map((l) =>
      l
        .split(';')
        .filter((_, i) => i !== at)
        .join(';'),
    );
    await writeFile(join(base, 'kobo01.csv'), `${dropped.join('\n')}\n`);
    const dir = join(base, 'k');
    const init = await runCli(['init', join(base, 'kobo01.csv'), '--dir', dir]);
    expect(init.code, init.err).toBe(0);
    const drafted = parseCodebook(await readFile(join(dir, 'data/codebook.yaml'), 'utf8'), 'c');
    const q = drafted.questions.find((x) => x.id === 'medios');
    expect([q?.type, q?.columns, q?.multiple]).toEqual([
      'multiple',
      undefined,
      { columns: 'opinion/{q}/{option}' },
    ]);
    expect(medios(await resultsOf(dir))).toEqual(MEDIOS);
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
    // types from the measurement levels: scale → numeric, ordinal → ordinal; long open answers → text
    const codebook = parseCodebook(await readFile(join(dir, 'data/codebook.yaml'), 'utf8'), 'c');
    expect(codebook.questions.map((q) => [q.id, q.type])).toEqual([
      ['sexo', 'single'],
      ['edad', 'numeric'],
      ['distrito', 'single'],
      ['satisfaccion', 'ordinal'],
      ['comentario', 'text'],
    ]);
    // the same, but for the labelled user-missing value "No sabe": a missing category now
    expect(
      results.questions.filter((q: { id: string }) => q.id !== 'edad' && q.id !== 'comentario'),
    ).toEqual(
      reference.questions.map((q) =>
        q.id === 'satisfaccion' ? { ...q, missing_categories: [{ code: 'no_sabe', count: 1 }] } : q,
      ),
    );
    expect(results.questions.find((q: { id: string }) => q.id === 'edad')).toMatchObject({
      n: 24,
      missing: 0,
    });
    // the open answers are counted, not published
    const csv = await readFile(join(dir, 'out/data/responses.csv'), 'utf8');
    expect(csv.split('\n')[0]).toBe('id,sexo,edad,distrito,satisfaccion');
    expect(csv.split('\n')[1]).toBe('101,hombre,18,trujillo,satisfecho');
    // the user-missing 9 (case 106) is its missing category; the system-missing value (case 112) no answer
    expect(csv.split('\n')[6]).toBe('106,mujer,53,el_porvenir,no_sabe');
    expect(csv.split('\n')[12]).toBe('112,mujer,48,el_porvenir,');
    expect(csv).not.toContain('atención');
    expect(data.status).toBe('original');
    for (const lang of ['es', 'en']) {
      const html = await readFile(join(dir, `out/${lang}/index.html`), 'utf8');
      expect(html, lang).not.toContain('La atención fue rápida');
      expect(html.match(/<table/g)?.length, lang).toBe(5); // four questions and the verification
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
    expect(codebook.questions.map((q) => [q.id, q.type])).toEqual([
      ['sexo', 'single'],
      ['edad', 'numeric'],
      ['distrito', 'single'],
      // a rating scale in the form's choice order
      ['satisfaccion', 'ordinal'],
      ['medios', 'multiple'],
      ['comentario', 'text'],
    ]);
    expect(
      codebook.questions.find((q) => q.id === 'medios')?.options.map((o) => o.label.en),
    ).toEqual(['Radio', 'Friends', 'Internet']);
    expect(data.status).toBe('original');
    const taken = codebook.questions.map((q) => q.id);
    expect(
      results.questions.filter((q: { id: string }) =>
        reference.questions.some((r) => r.id === q.id),
      ),
    ).toEqual(reference.questions.filter((r) => taken.includes(r.id)));
    expect(medios(results)).toEqual(MEDIOS);
    const en = await readFile(join(dir, 'out/en/index.html'), 'utf8');
    expect(en).toContain('How satisfied are you with the service?');
    expect(en).toContain('Very dissatisfied');
  });
});
