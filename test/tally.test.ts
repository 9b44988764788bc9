import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { aggregate } from '../src/commands.js';
import { type Codebook, parseCodebook } from '../src/load/codebook.js';
import { parseResponses } from '../src/load/responses.js';
import { loadDesign } from '../src/load/study.js';
import { PlainTally, type Tally, tallyAnswers } from '../src/load/tally.js';
import { tabulate } from '../src/stats/frequencies.js';
import { codebookYaml, copyStudy, projectRoot } from './helpers.js';

const { codebook } = await loadDesign(projectRoot);

/** Streams bytes through PlainTally in the given chunk sizes. */
function streamed(bytes: Uint8Array, sizes: number[] = [bytes.length]): Tally | undefined {
  const plain = new PlainTally(codebook, 'r.csv');
  let at = 0;
  let i = 0;
  while (at < bytes.length) {
    const size = Math.max(1, sizes[i++ % sizes.length] ?? bytes.length);
    if (!plain.push(bytes.subarray(at, at + size))) return undefined;
    at += size;
  }
  return plain.end();
}

/** What the full reader counts, or its error. */
function full(bytes: Uint8Array): Tally | string {
  try {
    return tallyAnswers(codebook, parseResponses(bytes, 'r.csv', codebook));
  } catch (error) {
    return (error as Error).message;
  }
}

/** A responses file: a header, then rows of spellings of each question's options. */
const plainFile = (cb: Codebook) => {
  const spellings = cb.questions.map((q) =>
    fc.oneof(
      fc.constantFrom(...q.options.map((o) => o.code)),
      // labels as the cells of a plain file: without delimiters or quotes
      fc.constantFrom(
        ...q.options.flatMap((o) => Object.values(o.label)).filter((l) => !/[,;\t"]/.test(l)),
        q.options[0]?.code ?? '',
      ),
      fc.constantFrom(...q.options.map((o) => ` ${o.code.toUpperCase()} `)),
      fc.constant(''),
    ),
  );
  return fc.record({
    rows: fc.array(fc.tuple(...spellings), { minLength: 1, maxLength: 30 }),
    delimiter: fc.constantFrom(',', ';', '\t'),
    newline: fc.constantFrom('\n', '\r\n'),
    bom: fc.boolean(),
    blankLines: fc.boolean(),
    leadingBlankLines: fc.boolean(),
    sizes: fc.array(fc.integer({ min: 1, max: 200 }), { minLength: 1, maxLength: 5 }),
  });
};

describe('the streaming tally', () => {
  it('counts the shipped responses as the full reader does, without falling back', async () => {
    const bytes = await readFile(join(projectRoot, 'data/responses.csv'));
    const fast = streamed(bytes);
    expect(fast).toBeDefined();
    expect(fast).toEqual(full(bytes));
    const { results } = await aggregate(projectRoot, codebook);
    expect(results).toEqual(tabulate(codebook, parseResponses(bytes, 'r.csv', codebook)));
  });

  it('gives the full reader’s counts on any plain file, in any chunking', () => {
    fc.assert(
      fc.property(plainFile(codebook), (file) => {
        const header = ['id', ...codebook.questions.map((q) => q.id)].join(file.delimiter);
        const lines = file.rows.map((row, i) => [String(i + 1), ...row].join(file.delimiter));
        if (file.blankLines) lines.splice(1, 0, '');
        const lead = file.leadingBlankLines ? file.newline.repeat(2) : '';
        const text = `${file.bom ? '\uFEFF' : ''}${lead}${[header, ...lines].join(file.newline)}${file.newline}`;
        const bytes = new TextEncoder().encode(text);
        const fast = streamed(bytes, file.sizes);
        expect(fast).toBeDefined();
        expect(fast).toEqual(full(bytes));
      }),
      { numRuns: 300 },
    );
  });

  const header = ['id', ...codebook.questions.map((q) => q.id)].join(',');
  const answers = codebook.questions.map((q) => q.options[0]?.code).join(',');
  const latin1 = (text: string) => Uint8Array.from(text, (c) => c.charCodeAt(0));

  it('reads a good file itself', () => {
    expect(streamed(latin1(`${header}\n1,${answers}\n2,${answers}\n`))?.respondents).toBe(2);
  });

  it.each([
    ['quoted fields', `${header}\n1,${answers}\n"2",${answers}\n`],
    ['a lone carriage return', `${header}\n1,${answers}\r2,${answers}\n`],
    ['ids that are not increasing numbers', `${header}\n2,${answers}\n1,${answers}\n`],
    [
      'an unknown answer',
      `${header}\n1,${answers}\n2,perhaps${answers.slice(answers.indexOf(','))}\n`,
    ],
    ['a short row', `${header}\n1,${answers}\n2,${answers.slice(answers.indexOf(',') + 1)}\n`],
    ['text that is not UTF-8', `${header}\n1,${answers}\n2\xf6,${answers}\n`],
    ['a header only', `${header}\n`],
  ])('leaves %s to the full reader', (_, text) => {
    expect(streamed(latin1(text))).toBeUndefined();
    expect(full(latin1(text))).not.toBeUndefined();
  });

  it('keeps the full reader’s exact errors for a wrong file', async () => {
    const root = await copyStudy();
    const path = join(root, 'data/responses.csv');
    const lines = (await readFile(path, 'utf8')).split('\n');
    lines[5] = lines[4] as string; // line 6 repeats line 5's respondent
    await writeFile(path, lines.join('\n'));
    await expect(aggregate(root, codebook)).rejects.toThrow(
      'data/responses.csv:6: duplicate respondent id',
    );
  });

  it('remembers ids that are not numbers, and finds their duplicates', () => {
    const ok = `${header}\nR1,${answers}\nR2,${answers}\n`;
    const twice = `${header}\nR1,${answers}\nR2,${answers}\nR1,${answers}\n`;
    expect(streamed(new TextEncoder().encode(ok))?.respondents).toBe(2);
    expect(streamed(new TextEncoder().encode(twice))).toBeUndefined();
  });

  it('reads one- and two-byte cells as the full reader does', () => {
    const short = parseCodebook(
      codebookYaml(
        'short',
        `  - id: q1
    section: main
    text: { es: P1, en: Q1 }
    short: { es: P1, en: Q1 }
    options:
      - { code: si, label: { es: Sí, en: 'Yes' }, accept: ['1', 's'] }
      - { code: no, label: { es: No, en: 'No' }, accept: ['2', 'n'] }
  - id: q2
    section: main
    text: { es: P2, en: Q2 }
    short: { es: P2, en: Q2 }
    options:
      - { code: a, label: { es: A, en: A } }
      - { code: b, label: { es: B, en: B } }
`,
      ),
      'codebook.yaml',
    );
    const cell = fc.constantFrom(
      '1',
      '2',
      's',
      'N',
      'si',
      'SI',
      'no',
      ' 1',
      '2 ',
      '',
      ' ',
      'Sí',
      'yes',
    );
    const cell2 = fc.constantFrom('a', 'b', 'A', ' b', '', 'B ');
    fc.assert(
      fc.property(
        fc.array(fc.tuple(cell, cell2), { minLength: 1, maxLength: 20 }),
        fc.array(fc.integer({ min: 1, max: 40 }), { minLength: 1, maxLength: 4 }),
        (rows, sizes) => {
          const text = `id,q1,q2\n${rows.map(([a, b], i) => `${i + 1},${a},${b}`).join('\n')}\n`;
          const bytes = new TextEncoder().encode(text);
          const plain = new PlainTally(short, 'r.csv');
          let at = 0;
          let i = 0;
          let ok = true;
          while (ok && at < bytes.length) {
            const size = sizes[i++ % sizes.length] as number;
            ok = plain.push(bytes.subarray(at, at + size));
            at += size;
          }
          const fast = ok ? plain.end() : undefined;
          let expected: Tally | string;
          try {
            expected = tallyAnswers(short, parseResponses(bytes, 'r.csv', short));
          } catch (error) {
            expected = (error as Error).message;
          }
          // the fast reader gives the full reader's counts, or leaves the file to it
          if (fast !== undefined) expect(fast).toEqual(expected);
          // every cell here is a known spelling or blank: it must read the file itself
          if (rows.some(([a, b]) => a.trim() !== '' || b.trim() !== '')) expect(fast).toBeDefined();
        },
      ),
      { numRuns: 300 },
    );
  });
});
