// A synthetic study for the benchmark: 9 single-choice questions, answers drawn with a fixed seed.
import { execFileSync } from 'node:child_process';
import { closeSync, openSync, readFileSync, writeFileSync, writeSync } from 'node:fs';
import { dirname } from 'node:path';
import ExcelJS from 'exceljs';
import { uniformInt } from 'pure-rand/distribution/uniformInt';
import { xoroshiro128plus } from 'pure-rand/generator/xoroshiro128plus';

export const QUESTIONS = 9;
const OPTIONS = [2, 3, 4, 5, 3, 4, 5, 2, 5];

export function codebookYaml() {
  const lines = [
    'study:',
    '  id: bench',
    '  title: { es: Banco de pruebas, en: Benchmark }',
    '  institution: Bench',
    '  year: 2026',
    '  repository: Bench',
    '  handle: bench/1',
    '  population: { es: personas, en: people }',
    '  languages: [{ code: es, locale: es-PE, name: Español }, { code: en, locale: en-US, name: English }]',
    '  data: { status: original, note: { es: sintético, en: synthetic } }',
    'sections: [{ id: main, title: { es: Principal, en: Main } }]',
    'questions:',
  ];
  for (let q = 1; q <= QUESTIONS; q++) {
    lines.push(
      `  - id: q${q}`,
      '    section: main',
      `    text: { es: Pregunta ${q}, en: Question ${q} }`,
      `    short: { es: P${q}, en: Q${q} }`,
      '    options:',
    );
    for (let o = 1; o <= OPTIONS[q - 1]; o++)
      lines.push(
        `      - { code: o${o}, label: { es: Opción ${o}, en: Option ${o} }, accept: ['${o}'] }`,
      );
  }
  return `${lines.join('\n')}\n`;
}

/** Writes `rows` responses (ids 1..rows, about one answer in 50 left empty) to `path`. */
export function writeResponses(path, rows, seed = 20261127) {
  const rng = xoroshiro128plus(seed);
  const draw = (max) => uniformInt(rng, 0, max);
  const fd = openSync(path, 'w');
  const header = ['id', ...Array.from({ length: QUESTIONS }, (_, q) => `q${q + 1}`)].join(',');
  let chunk = `${header}\n`;
  for (let r = 1; r <= rows; r++) {
    let line = String(r);
    for (let q = 0; q < QUESTIONS; q++) {
      const x = draw(49 * OPTIONS[q]);
      line += x < OPTIONS[q] ? ',' : `,${1 + (x % OPTIONS[q])}`;
    }
    chunk += `${line}\n`;
    if (chunk.length > 1 << 20) {
      writeSync(fd, chunk);
      chunk = '';
    }
  }
  writeSync(fd, chunk);
  closeSync(fd);
}

/**
 * Responses to the shipped study's codebook in the shapes exports take, for `rows` respondents:
 * `ids` r1… | R0000001… | uuid (random, as KoboToolbox writes them); `cells` codes | labels
 * (the Spanish labels); `quoted` every field in quotes (Google Forms, Excel); `crlf`; `bom`.
 * About one answer in 50 left empty; a fixed seed.
 */
export function writeShape(path, rows, codebook, shape, seed = 20261129) {
  const rng = xoroshiro128plus(seed);
  const draw = (max) => uniformInt(rng, 0, max);
  const hex = () => draw(0xffff).toString(16).padStart(4, '0');
  const id = (r) =>
    shape.ids === 'uuid'
      ? `${hex()}${hex()}-${hex()}-4${hex().slice(1)}-a${hex().slice(1)}-${hex()}${hex()}${hex()}`
      : shape.ids === 'R0001'
        ? `R${String(r).padStart(7, '0')}`
        : `r${r}`;
  const cells = codebook.questions.map((q) =>
    q.options.map((o) => (shape.cells === 'labels' ? o.label.es : o.code)),
  );
  const field = shape.quoted ? (v) => `"${v.replaceAll('"', '""')}"` : (v) => v;
  const nl = shape.crlf ? '\r\n' : '\n';
  const fd = openSync(path, 'w');
  let chunk = `${shape.bom ? '\uFEFF' : ''}${['id', ...codebook.questions.map((q) => q.id)].map(field).join(',')}${nl}`;
  for (let r = 1; r <= rows; r++) {
    let line = field(id(r));
    for (const options of cells) {
      const x = draw(49 * options.length);
      line += `,${field(x < options.length ? '' : options[x % options.length])}`;
    }
    chunk += line + nl;
    if (chunk.length > 1 << 20) {
      writeSync(fd, chunk);
      chunk = '';
    }
  }
  writeSync(fd, chunk);
  closeSync(fd);
}

/** The responses of a CSV written by `writeResponses` as one sheet of a workbook, numbers as numbers. */
export async function writeWorkbook(csv, path) {
  const workbook = new ExcelJS.stream.xlsx.WorkbookWriter({ filename: path });
  const sheet = workbook.addWorksheet('responses');
  const lines = readFileSync(csv, 'utf8').split('\n');
  sheet.addRow(lines[0].split(',')).commit();
  for (const line of lines.slice(1)) {
    if (line === '') continue;
    sheet.addRow(line.split(',').map((v) => (v === '' ? null : Number(v)))).commit();
  }
  sheet.commit();
  await workbook.commit();
}

/** The same as an SPSS file, written by PSPP. */
export function writeSav(csv, path) {
  const vars = ['id F8.0', ...Array.from({ length: QUESTIONS }, (_, q) => `q${q + 1} F1.0`)];
  const syntax = `GET DATA /TYPE=TXT /FILE='${csv}' /ARRANGEMENT=DELIMITED /DELCASE=LINE /FIRSTCASE=2 /DELIMITERS=',' /VARIABLES=${vars.join(' ')}.\nSAVE OUTFILE='${path}'.\n`;
  const sps = `${path}.sps`;
  writeFileSync(sps, syntax);
  execFileSync('pspp', ['-o', '/dev/null', sps], { cwd: dirname(path) });
}

/**
 * Prose of `bytes` characters with about one number in 20 characters (counts, shares with "%",
 * decimals with a comma or a point), the shape `report scan` is timed on against grep.
 */
export function numbersText(bytes) {
  const words = [
    'the',
    'share',
    'of',
    'respondents',
    'was',
    'and',
    'in',
    'group',
    'rose',
    'to',
    'among',
    'women',
    'men',
    'city',
    'answered',
    'that',
  ];
  let seed = 7;
  const next = () => {
    seed = (seed * 48271) % 2147483647;
    return seed;
  };
  const parts = [];
  let length = 0;
  while (length < bytes) {
    const k = next();
    const number =
      k % 4 === 0
        ? `${(k % 1000) / 10}%`
        : k % 4 === 1
          ? String(k % 5000)
          : k % 4 === 2
            ? `${k % 100},${k % 10}`
            : String(k % 97);
    const part = `${words[next() % 16]} ${words[next() % 16]} ${words[next() % 16]} ${number}${k % 13 === 0 ? '.\n\n' : ' '}`;
    parts.push(part);
    length += part.length;
  }
  return parts.join('');
}
