import { mkdir, mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { guessType, multipleSeparator } from '../src/init/guess.js';
import { DISTINCT_CAP, summarize } from '../src/init/summary.js';
import { runCli } from './helpers.js';

// The guesses as they were made from every value of a column, kept here as the reference the
// summary is checked against.
const NUMBER = /^[-+]?(\d+([.,]\d+)?|[.,]\d+)([eE][-+]?\d+)?$/;
const CODE = /^[A-Za-z_][\w-]*$/;

function separatorOfValues(values: readonly string[]): string | undefined {
  for (const separator of [' ', ';', ',']) {
    const cells = values.map((v) =>
      v
        .trim()
        .split(separator)
        .map((t) => t.trim())
        .filter(Boolean),
    );
    if (!cells.some((c) => c.length >= 2)) continue;
    const tokens = new Map<string, number>();
    for (const c of cells) for (const t of c) tokens.set(t, (tokens.get(t) ?? 0) + 1);
    if (separator === ' ' && ![...tokens.keys()].every((t) => CODE.test(t))) continue;
    if (tokens.size > 20 || tokens.size >= new Set(values).size) continue;
    if ([...tokens.values()].some((n) => n < 2)) continue;
    return separator;
  }
  return undefined;
}

function typeOfValues(
  values: readonly string[],
  labelled: boolean,
  level?: 'nominal' | 'ordinal' | 'scale',
): string {
  if (values.length === 0) return 'single';
  if (level === 'scale' && values.every((v) => NUMBER.test(v.trim()))) return 'numeric';
  if (level === 'ordinal') return 'ordinal';
  const distinct = new Set(values);
  if (!labelled && distinct.size > 15 && values.every((v) => NUMBER.test(v.trim())))
    return 'numeric';
  if (separatorOfValues(values) !== undefined) return 'multiple';
  const lengths = values.map((v) => [...v.trim()].length).sort((a, b) => a - b);
  const median = lengths[Math.floor((lengths.length - 1) / 2)] ?? 0;
  if (!labelled && distinct.size >= 0.9 * values.length && median >= 20) return 'text';
  return 'single';
}

/** Columns as data files hold them: codes, numbers, 0/1, several codes in a cell, long comments. */
const cell = fc.oneof(
  fc.constantFrom('0', '1', ' 1', '2', '2.5', '3,5', '1e3', '-4', '.5', '18', '19', '20'),
  fc.integer({ min: -50, max: 150 }).map(String),
  fc.constantFrom('radio', 'tv', 'amigos', 'radio tv', 'tv amigos', 'radio amigos tv', 'Sí', 'No'),
  fc.constantFrom('web;tv', 'web', 'tv;friends', 'friends', 'a,b', 'a', 'b'),
  fc.constantFrom('Muy satisfecho', 'Satisfecho', ' Neutral ', 'n/a', 'x y', '9 8'),
  fc.string({ minLength: 1, maxLength: 40 }).filter((s) => s.trim() !== ''),
  fc
    .tuple(fc.constantFrom('Una respuesta larga sobre', 'An open answer about'), fc.nat(500))
    .map(([t, n]) => `${t} el tema ${n}`),
  fc.constantFrom('😀 emoji', 'año', 'ñandú'),
);
/** A column: mostly one kind of cell, repeated as answers are. */
const column = fc.oneof(
  fc.array(cell, { maxLength: 80 }),
  fc.array(fc.constantFrom('0', '1'), { maxLength: 40 }),
  fc
    .array(fc.subarray(['radio', 'tv', 'amigos', 'web'], { minLength: 1 }), { maxLength: 60 })
    .map((cells) => cells.map((c) => c.join(' '))),
  fc.array(fc.integer({ min: 18, max: 90 }).map(String), { maxLength: 80 }),
  fc.array(
    fc.nat(300).map((n) => `A comment long enough to be text, number ${n}`),
    {
      maxLength: 60,
    },
  ),
);

describe('the summary of a column, against its values', () => {
  it('gives the guesses the values give (type, separator, numbers, 0/1, order of values)', () => {
    fc.assert(
      fc.property(
        column,
        fc.boolean(),
        fc.constantFrom(undefined, 'nominal', 'ordinal', 'scale'),
        (values, labelled, level) => {
          const summary = summarize(values);
          expect(summary.overflowed).toBe(false);
          expect(summary.count).toBe(values.length);
          expect(summary.distinct).toBe(new Set(values).size);
          expect(summary.values()).toEqual([...new Set(values)]);
          expect(summary.allNumbers).toBe(values.every((v) => NUMBER.test(v.trim())));
          expect(summary.allZeroOne).toBe(values.every((v) => v === '0' || v === '1'));
          const separator = separatorOfValues(values);
          expect(summary.separator).toBe(separator);
          expect(multipleSeparator(values)).toBe(separator);
          if (separator !== undefined)
            expect(summary.codes(separator)).toEqual([
              ...new Set(
                values.flatMap((v) =>
                  v
                    .split(separator)
                    .map((t) => t.trim())
                    .filter(Boolean),
                ),
              ),
            ]);
          expect(guessType({ values: summary, labelled, level })).toBe(
            typeOfValues(values, labelled, level),
          );
          expect(guessType({ values, labelled, level })).toBe(
            typeOfValues(values, labelled, level),
          );
        },
      ),
      { numRuns: 500 },
    );
  });

  it('past its cap of distinct values, still counts what the guesses ask', () => {
    fc.assert(
      fc.property(column, fc.integer({ min: 1, max: 10 }), (values, cap) => {
        const summary = summarize(values, cap);
        expect(summary.count).toBe(values.length);
        expect(summary.overflowed).toBe(new Set(values).size > cap);
        expect(summary.allNumbers).toBe(values.every((v) => NUMBER.test(v.trim())));
        expect(summary.allZeroOne).toBe(values.every((v) => v === '0' || v === '1'));
        const lengths = values.map((v) => [...v.trim()].length).sort((a, b) => a - b);
        expect(summary.medianLength).toBe(lengths[Math.floor((lengths.length - 1) / 2)] ?? 0);
        // the codes of cells are counted whatever the cap (they are at most 20)
        const separator = summary.separator;
        if (new Set(values).size > 20 || !summary.overflowed)
          expect(separator).toBe(separatorOfValues(values));
        if (separator !== undefined)
          expect(summary.codes(separator)).toEqual([
            ...new Set(
              values.flatMap((v) =>
                v
                  .split(separator)
                  .map((t) => t.trim())
                  .filter(Boolean),
              ),
            ),
          ]);
      }),
      { numRuns: 500 },
    );
  });

  it('past its cap: numbers stay numeric, many long answers text, several codes multiple', () => {
    const cap = 50;
    const numbers = Array.from({ length: 400 }, (_, i) => String((i * 7919) % 1000));
    expect(guessType({ values: summarize(numbers, cap), labelled: false })).toBe('numeric');
    expect(guessType({ values: summarize(numbers, cap), labelled: true })).toBe('numeric');
    const comments = Array.from({ length: 400 }, (_, i) => `A comment long enough, number ${i}`);
    expect(guessType({ values: summarize(comments, cap), labelled: false })).toBe('text');
    const codes = ['radio', 'tv', 'amigos', 'web', 'diario'];
    const cells = Array.from({ length: 400 }, (_, i) =>
      codes.filter((_, k) => (i >> k) & 1).join(' '),
    ).filter(Boolean);
    // 31 distinct cells, capped at 10: the codes are still counted exactly
    const summary = summarize(cells, 10);
    expect(summary.overflowed).toBe(true);
    expect(summary.separator).toBe(' ');
    expect(guessType({ values: summary, labelled: false })).toBe('multiple');
    expect(summary.codes(' ')).toEqual(['radio', 'tv', 'amigos', 'web', 'diario']);
  });
});

async function tmp(): Promise<string> {
  return mkdtemp(join(tmpdir(), 'init-summary-'));
}

/** A CSV of `rows` respondents whose answers repeat: the same distinct values, met in the same order. */
function repeating(rows: number): string {
  const lines = ['folio,sexo,edad,medios,distrito,ingreso,acceso/web,acceso/tv'];
  const sexo = ['Mujer', 'Hombre', 'mujer', ''];
  const medios = ['radio tv', 'tv', 'radio', 'amigos radio', 'amigos'];
  const distrito = ['Trujillo', 'La Esperanza', 'El Porvenir', 'Víctor Larco'];
  const ingreso = ['1', '3', '2', '10', '2.0', ''];
  for (let r = 1; r <= rows; r++)
    lines.push(
      [
        r,
        sexo[r % 4],
        18 + (r % 40),
        medios[r % 5],
        distrito[r % 4],
        ingreso[r % 6],
        r % 3 === 0 ? '1' : '0',
        r % 2,
      ].join(','),
    );
  return `${lines.join('\n')}\n`;
}

describe('report init reads its file row by row', () => {
  it('drafts the same codebook from a file whose values repeat, more rows than the summary counts', async () => {
    const base = await tmp();
    const drafted: string[] = [];
    for (const rows of [240, 3 * DISTINCT_CAP]) {
      const dir = join(base, String(rows));
      await mkdir(dir);
      await writeFile(join(dir, 'encuesta.csv'), repeating(rows));
      const init = await runCli(['init', join(dir, 'encuesta.csv'), '--dir', join(dir, 'study')]);
      expect(init.code, init.err).toBe(0);
      drafted.push(await readFile(join(dir, 'study/data/codebook.yaml'), 'utf8'));
    }
    expect(drafted[1]).toBe(drafted[0]);
    expect(drafted[0]).toContain('respondent_id: folio');
    expect(drafted[0]).toMatch(/sexo: single, edad: numeric, medios: multiple, distrito: single/);
    expect(drafted[0]).toMatch(/ingreso: single,\n# {3}acceso: multiple/);
  });

  it('past the cap of distinct answers: numbers numeric, long answers text, an id still an id', async () => {
    const dir = await tmp();
    const n = DISTINCT_CAP + 500;
    const lines = ['id,ingreso,comentario,sexo'];
    for (let r = 1; r <= n; r++)
      lines.push(`${r},${(r * 37) % 100_000}.5,"Una respuesta abierta, la número ${r}",${r % 2}`);
    await writeFile(join(dir, 'big.csv'), `${lines.join('\n')}\n`);
    const init = await runCli(['init', join(dir, 'big.csv'), '--dir', join(dir, 'study')]);
    expect(init.code, init.err).toBe(0);
    const codebook = await readFile(join(dir, 'study/data/codebook.yaml'), 'utf8');
    expect(codebook).toMatch(/ingreso: numeric, comentario: text, sexo: single/);
    expect(codebook).toContain('respondent_id: id');
  });

  it('numbers with a decimal comma: the draft reads commas, and the study builds as drafted', async () => {
    const dir = await tmp();
    const lines = ['folio;edad;ingreso;sexo'];
    for (let r = 1; r <= 40; r++)
      lines.push(`${r};${20 + (r % 30)};${1000 + r * 13},${r % 10}0;${r % 2 ? 'f' : 'm'}`);
    await writeFile(join(dir, 'comas.csv'), `${lines.join('\n')}\n`);
    const init = await runCli(['init', join(dir, 'comas.csv'), '--dir', join(dir, 'study')]);
    expect(init.code, init.err).toBe(0);
    const codebook = await readFile(join(dir, 'study/data/codebook.yaml'), 'utf8');
    expect(codebook).toContain('decimal: ","');
    expect(codebook).toMatch(/ingreso: numeric/);
    const check = await runCli(['check', '--root', join(dir, 'study')]);
    expect(check.code, check.err).toBe(0);
    // a point anywhere among the numbers: the default mark, nothing said
    const points = await tmp();
    await writeFile(join(points, 'puntos.csv'), `${[...lines, '41;33;1200.5;f'].join('\n')}\n`);
    const again = await runCli([
      'init',
      join(points, 'puntos.csv'),
      '--dir',
      join(points, 'study'),
    ]);
    expect(again.code, again.err).toBe(2);
    expect(again.err).not.toContain('at ');
  });
});
