import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { aggregate } from '../src/commands.js';
import { type Codebook, parseCodebook } from '../src/load/codebook.js';
import { IdSet } from '../src/load/ids.js';
import { parseResponses, streamResponses } from '../src/load/responses.js';
import type { Encoding } from '../src/load/stream.js';
import { loadDesign } from '../src/load/study.js';
import { ByteTally, type Tally, tallyAnswers, tallyFile } from '../src/load/tally.js';
import { tabulate } from '../src/stats/frequencies.js';
import { codebookYaml, copyStudy, projectRoot } from './helpers.js';

const { codebook } = await loadDesign(projectRoot);

/** Streams bytes through ByteTally in the given chunk sizes (and again, when ids need confirming). */
function streamed(
  bytes: Uint8Array,
  sizes: number[] = [bytes.length],
  cb: Codebook = codebook,
): Tally | undefined {
  const pass = (confirm?: Set<string>) => {
    const tally = new ByteTally(cb, 'r.csv', { confirm });
    let at = 0;
    let i = 0;
    while (at < bytes.length) {
      const size = Math.max(1, sizes[i++ % sizes.length] ?? bytes.length);
      if (!tally.push(bytes.subarray(at, at + size))) return { tally, result: undefined };
      at += size;
    }
    return { tally, result: tally.end() };
  };
  const first = pass();
  if (!first.result || first.tally.ids.suspects.size === 0) return first.result;
  return pass(first.tally.ids.suspects).tally.failure ? undefined : first.result;
}

/** What the full reader counts, or its error. */
function full(bytes: Uint8Array, cb: Codebook = codebook): Tally | string {
  try {
    return tallyAnswers(cb, parseResponses(bytes, 'r.csv', cb));
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
    ['a quote inside an unquoted field', `${header}\n1,${answers}\n2x"y,${answers}\n`],
    ['a quoted field never closed', `${header}\n1,${answers}\n"2,${answers}\n`],
    ['a repeated id', `${header}\n2,${answers}\n1,${answers}\n2,${answers}\n`],
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

  it('reads quoted fields, a lone carriage return and ids in any order itself', () => {
    const quoted = answers
      .split(',')
      .map((a) => `"${a}"`)
      .join(',');
    for (const text of [
      `${header}\n"1",${quoted}\r\n"2",${answers}\n`,
      `${header}\r1,${answers}\r2,${answers}\r`,
      `${header}\n2,${answers}\n1,${answers}\n`,
    ]) {
      const bytes = new TextEncoder().encode(text);
      expect(streamed(bytes)?.respondents).toBe(2);
      expect(streamed(bytes)).toEqual(full(bytes));
    }
  });

  it('finds repeated ids that are not numbers, on a second pass', () => {
    const ok = `${header}\nR1,${answers}\nR2,${answers}\n`;
    const twice = `${header}\nR1,${answers}\nR2,${answers}\n" R1",${answers}\n`;
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
          const plain = new ByteTally(short, 'r.csv');
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

  /** A file as exports write them: quoted labels, metadata with line breaks, text ids. */
  const dialectFile = (cb: Codebook) => {
    const spellings = cb.questions.map((q) =>
      fc.oneof(
        fc.constantFrom(...q.options.map((o) => o.code)),
        fc.constantFrom(...q.options.flatMap((o) => Object.values(o.label))),
        fc.constantFrom(...q.options.map((o) => ` ${o.code.toUpperCase()} `)),
        fc.constant(''),
      ),
    );
    const id = fc.oneof(
      fc.nat({ max: 60 }).map((n) => `r${n}`),
      fc.nat({ max: 60 }).map((n) => `R${String(n).padStart(4, '0')}`),
      fc.uuid(),
      fc.nat({ max: 60 }).map(String),
    );
    return fc.record({
      rows: fc.array(
        fc.record({
          id,
          answers: fc.tuple(...spellings),
          note: fc.string({
            unit: fc.constantFrom('a', 'é', ',', ';', '"', '\n', '\r\n', ' ', '\t'),
          }),
          quote: fc.array(fc.boolean(), { minLength: cb.questions.length + 2 }),
        }),
        { minLength: 1, maxLength: 25 },
      ),
      delimiter: fc.constantFrom(',', ';', '\t', '|'),
      newline: fc.constantFrom('\n', '\r\n', '\r'),
      bom: fc.boolean(),
      sizes: fc.array(fc.integer({ min: 1, max: 300 }), { minLength: 1, maxLength: 5 }),
    });
  };

  /** A field as a CSV writer writes it: quoted when asked or needed, quotes doubled. */
  const field = (value: string, delimiter: string, quote: boolean) =>
    quote || /[",;\t|\r\n]/.test(value) || value.includes(delimiter)
      ? `"${value.replaceAll('"', '""')}"`
      : value;

  const dialectText = (
    file: ReturnType<typeof dialectFile> extends fc.Arbitrary<infer T> ? T : never,
  ) => {
    const d = file.delimiter;
    const header = ['id', ...codebook.questions.map((q) => q.id), 'Timestamp', ''];
    const lines = [header.map((h, i) => field(h, d, i === 1)).join(d)];
    for (const row of file.rows)
      lines.push(
        [row.id, ...row.answers, row.note, '']
          .map((v, i) => field(v, d, row.quote[i] ?? false))
          .join(d),
      );
    return `${file.bom ? '\uFEFF' : ''}${lines.join(file.newline)}${file.newline}`;
  };

  it('gives the reader of record’s counts or leaves the file to it, on any dialect', () => {
    fc.assert(
      fc.property(dialectFile(codebook), (file) => {
        const bytes = new TextEncoder().encode(dialectText(file));
        const fast = streamed(bytes, file.sizes);
        const expected = full(bytes);
        // the fast reader reads every good file itself, and none that is wrong
        if (typeof expected === 'string') expect(fast).toBeUndefined();
        else expect(fast).toEqual(expected);
      }),
      { numRuns: 200 },
    );
  });

  it('reads records cut at the end of large chunks', () => {
    const labels = codebook.questions.map((q) => q.options.map((o) => o.label.es as string));
    const note = '"a\r\nb ""c"""';
    const rows = Array.from({ length: 3000 }, (_, r) =>
      [`"r${r}"`, ...labels.map((l, q) => `"${l[(r * (q + 3)) % l.length]}"`), note].join(','),
    );
    const head = ['id', ...codebook.questions.map((q) => q.id), 'Timestamp'].join(',');
    const bytes = new TextEncoder().encode(`\uFEFF${head}\r\n${rows.join('\r\n')}\r\n`);
    for (const sizes of [[70001, 131075, 5], [1 << 20], [65537, 65535]]) {
      const fast = streamed(bytes, sizes);
      expect(fast?.respondents).toBe(3000);
      expect(fast).toEqual(full(bytes));
    }
  });

  it('finds exactly the repeated ids a Set finds, in any order and spelling', () => {
    const ids = fc.array(
      fc.oneof(
        fc.nat({ max: 3000 }).map((n) => `r${n}`),
        fc.nat({ max: 3000 }).map((n) => `R${String(n).padStart(4, '0')}`),
        fc.uuid(),
      ),
      { minLength: 1, maxLength: 4000 },
    );
    fc.assert(
      fc.property(ids, fc.boolean(), (list, sorted) => {
        const all = sorted
          ? [...list].sort((a, b) => a.length - b.length || (a < b ? -1 : 1))
          : list;
        const set = new IdSet();
        for (const id of all) {
          const b = Buffer.from(id);
          set.add(b, 0, b.length);
        }
        const repeated = all.filter((id, i) => all.indexOf(id) !== i);
        // every repeated id is a suspect; confirming them gives exactly the Set's answer
        for (const id of repeated) expect(set.suspects.has(id)).toBe(true);
        const text = `${header}\n${all.map((id) => `${id},${answers}`).join('\n')}\n`;
        const fast = streamed(new TextEncoder().encode(text));
        expect(fast === undefined).toBe(new Set(all).size !== all.length);
      }),
      { numRuns: 40 },
    );
  });

  it('reads other encodings as a stream, as the reader of record reads them whole', async () => {
    const root = await copyStudy();
    const path = join(root, 'data/responses.csv');
    // the question's wording as header, a label as answer: quoted, accented
    const text = (await readFile(path, 'utf8'))
      .replace('id,knowledge', 'id,"¿Conoce usted el significado de «clúster»?"')
      .replaceAll(',knows,', ',"Conoce el significado",');
    const cb = codebook;
    const expected = tallyAnswers(cb, parseResponses(text, 'r.csv', cb));
    for (const [bytes, encoding] of [
      [Buffer.from(text.replaceAll('\n', '\r\n'), 'latin1'), 'windows-1252'],
      [Buffer.concat([Buffer.of(0xff, 0xfe), Buffer.from(text, 'utf16le')]), 'utf-16le'],
      [Buffer.concat([Buffer.of(0xef, 0xbb, 0xbf), Buffer.from(text)]), 'utf-8'],
    ] as const) {
      await writeFile(path, bytes);
      const { tally, dialect } = await tallyFile(root, 'data/responses.csv', cb);
      expect(tally).toEqual(expected);
      expect(dialect.encoding).toBe(encoding);
    }
  });

  it('finds a repeated id before an unknown answer of the same row, streamed or whole', async () => {
    const root = await mkdtemp(join(tmpdir(), 'stream-'));
    const path = join(root, 'r.csv');
    const text = (await readFile(join(projectRoot, 'data/responses.csv'), 'utf8')).replace(
      'R20,does_not_know',
      'R02,perhaps',
    );
    await writeFile(path, text);
    const utf8: Encoding = { encoding: 'utf-8', by: 'valid UTF-8', skip: 0 };
    const streamedError = await streamResponses(() => fileChunksOf(path), 'r.csv', codebook, utf8)
      .then(() => 'no error')
      .catch((error: Error) => error.message);
    expect(streamedError).toBe('r.csv:21: duplicate respondent id "R02" (first used on line 3)');
    expect(full(Buffer.from(text))).toBe(streamedError);
  });

  it('words every error of a streamed file as the reader of record does of it whole', async () => {
    const root = await mkdtemp(join(tmpdir(), 'stream-'));
    const path = join(root, 'r.csv');
    const utf8: Encoding = { encoding: 'utf-8', by: 'valid UTF-8', skip: 0 };
    const base = await readFile(join(projectRoot, 'data/responses.csv'), 'utf8');
    const edits = fc.array(
      fc.record({
        at: fc.nat(),
        what: fc.constantFrom('"', ',', '\n', 'x', 'R02', 'R02,', '\n\n', '', ' '),
        cut: fc.nat({ max: 4 }),
      }),
      { minLength: 1, maxLength: 3 },
    );
    await fc.assert(
      fc.asyncProperty(edits, async (list) => {
        let text = base;
        for (const { at, what, cut } of list) {
          const i = at % (text.length + 1);
          text = text.slice(0, i) + what + text.slice(i + cut);
        }
        await writeFile(path, text);
        let streamedResult: Tally | string;
        try {
          streamedResult = (
            await streamResponses(() => fileChunksOf(path), 'r.csv', codebook, utf8)
          ).tally;
        } catch (error) {
          streamedResult = (error as Error).message;
        }
        expect(streamedResult).toEqual(full(Buffer.from(text)));
      }),
      { numRuns: 150 },
    );
  });
});

async function* fileChunksOf(path: string): AsyncGenerator<Uint8Array> {
  const bytes = await readFile(path);
  // small chunks: records and characters cut anywhere
  for (let at = 0; at < bytes.length; at += 97) yield bytes.subarray(at, at + 97);
}
