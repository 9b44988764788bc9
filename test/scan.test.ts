import { existsSync } from 'node:fs';
import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { scanFile } from '../src/commands.js';
import { builtInStrings } from '../src/locale/strings.js';
import { compilePdf } from '../src/render/pdf.js';
import { escapeMarkup } from '../src/render/typst.js';
import { segments } from '../src/scan/extract.js';
import { findNumbers } from '../src/scan/scan.js';
import { copyStudy, editFile, projectRoot, runBin, runCli } from './helpers.js';

const fixture = join(projectRoot, 'test/fixtures/scan/review.md');
// the published figures in their published order and print (signs, spaces), in our own words
const summary = join(projectRoot, 'test/fixtures/scan/summary.txt');
// the published abstract itself, where it lies beside the project (it is not shipped in it)
const abstract = join(projectRoot, '../shared/source/abstract.txt');

describe('report scan', () => {
  it('finds numbers with a point or a comma, with or without a sign, and not inside words', () => {
    const found = findNumbers(
      segments(
        'el 42.5 afirma, 7,5 %, 30 empresarios, UPRIT/216, x2, 25 por ciento, 1.234 talleres, 12,500 %, 0.125',
        'text',
      ),
    );
    expect(found.map((f) => [f.printed, f.value, f.percentSign])).toEqual([
      ['42.5', '42.5', false],
      ['7,5 %', '7.5', true],
      ['30', '30', false],
      ['25 por ciento', '25', true],
      // a thousands separator, unless a percent sign says it is a fraction
      ['1.234', '1234', false],
      ['12,500 %', '12.500', true],
      ['0.125', '0.125', false],
    ]);
  });

  it('reads each number against its own cell, in a row of several', () => {
    const found = findNumbers(
      segments(
        '| Año | % | IC |\n| --- | --- | --- |\n| 2019 | 7,5 % | 2,6 % – 19,9 % |\n',
        'markdown',
      ),
    );
    expect(found.map((f) => [f.printed, f.kind])).toEqual([
      ['2019', 'year'],
      ['7,5 %', 'share'],
      ['2,6 %', 'interval-bound'],
      ['19,9 %', 'interval-bound'],
    ]);
  });

  it('checks the numbers of a text written in two languages, tables included', async () => {
    const { scan } = await scanFile(projectRoot, fixture);
    const by = (printed: string) => scan.numbers.find((n) => n.printed === printed);
    // the table's cells take their row's words
    expect(by('92,5 %')).toMatchObject({
      claim: { id: 'knowledge-does-not-know' },
      verdict: 'verified',
      line: 7,
    });
    expect(by('7,5 %')).toMatchObject({ claim: { id: 'knowledge-knows' }, verdict: 'verified' });
    // a misprint of 75 %: bound by its words, and failing
    expect(by('72.5%')).toMatchObject({
      claim: { id: 'incentive-money', by: 'words' },
      verdict: 'fails',
    });
    // no count out of 40 gives 33.3 %
    expect(by('33.3%')).toMatchObject({ verdict: 'impossible' });
    // dates, pages and table numbers are not claims
    for (const printed of ['2024', '12', '3', '1998', '14'])
      expect(scan.numbers.filter((n) => n.printed === printed).map((n) => n.verdict)).not.toContain(
        'verified',
      );
    expect(by('2024')?.verdict).toBe('ignored');
    expect(by('14')?.verdict).toBe('ignored');
    expect(scan.numbers.find((n) => n.printed === '12' && n.line === 3)?.verdict).toBe('ignored');
    expect(by('1998')?.verdict).toBe('ignored');
    // a figure of the data that no claim states, beside its question's words: recomputed
    expect(by('77.5%')).toMatchObject({
      verdict: 'recomputed',
      question: { id: 'distributors', option: 'not_detailed' },
    });
    expect(scan.ok).toBe(false);
  });

  it('suggests a claim entry for a figure the claims file does not state', async () => {
    const { suggest } = await scanFile(projectRoot, fixture);
    const text = suggest();
    expect(text).toContain('question: distributors');
    expect(text).toContain('percent: "77.5"');
    expect(text).toContain('printed: ["77.5%"]');
  });

  it('suggests entries that, pasted into the claims file, bind their figures', async () => {
    const root = await copyStudy();
    const entries = (await scanFile(root, fixture))
      .suggest()
      .split('\n\n')
      .filter((e) => e.includes('- id:'));
    expect(entries.length).toBeGreaterThan(0);
    await editFile(root, 'data/claims.yaml', (t) => `${t.trimEnd()}\n${entries.join('\n')}\n`);
    const { scan } = await scanFile(root, fixture);
    expect(scan.numbers.find((n) => n.printed === '77.5%')).toMatchObject({
      claim: { id: 'distributors-not-detailed', by: 'source' },
      verdict: 'verified',
    });
  });

  it.each([
    ['a summary with the published figures', summary],
    ...(existsSync(abstract) ? [['the published abstract', abstract]] : []),
  ])('binds every figure of %s by the claims file, all verified', async (_, file) => {
    const { scan } = await scanFile(projectRoot, file);
    const percents = scan.numbers.filter((n) => n.as === 'percent');
    // twelve percentages, printed once in Spanish and once in English
    expect(percents).toHaveLength(24);
    expect(new Set(percents.map((n) => n.claim?.id)).size).toBe(12);
    expect(scan.numbers.every((n) => n.claim?.by === 'source')).toBe(true);
    expect(scan.counts).toMatchObject({ fails: 0, impossible: 0, unchecked: 0 });
    expect(scan.counts.verified).toBe(scan.numbers.length);
  });

  it('exits 1 when a number fails, 0 when all verify, and prints JSON for machines', async () => {
    expect((await runCli(['scan', fixture, '--root', projectRoot])).code).toBe(1);
    const ok = await runCli(['scan', summary, '--root', projectRoot, '--json']);
    expect(ok.code).toBe(0);
    expect(JSON.parse(ok.out).ok).toBe(true);
    const missing = await runCli(['scan', 'nowhere.txt', '--root', projectRoot]);
    expect(missing.code).toBe(2);
    expect(missing.err).toMatch(/nowhere\.txt: file not found/);
  });

  it('reads HTML text, not its markup or scripts', async () => {
    const html = await readFile(fixture, 'utf8');
    expect(html).toContain('92,5');
    const found = findNumbers(
      segments(
        '<p style="width: 50%">Solo el 7.5% conoce el concepto.</p><script>var x = 40;</script>',
        'html',
      ),
    );
    expect(found.map((f) => f.printed)).toEqual(['7.5%']);
  });

  it('reads a PDF, page by page, and leaves intervals and confidence levels aside', async () => {
    const pdf = compilePdf({
      title: 'Notas',
      locale: 'es-PE',
      strings: builtInStrings.es as never,
      front: 'Notas',
      body: escapeMarkup(
        'Solo el 7,5 % de los dueños conoce el concepto de clúster (IC 95 % 2,6 % – 19,9 %).',
      ),
      files: new Map(),
    });
    const file = join(await mkdtemp(join(tmpdir(), 'scan-')), 'notas.pdf');
    await writeFile(file, pdf);
    const { scan } = await scanFile(projectRoot, file);
    const share = scan.numbers.find((n) => n.value === '7.5');
    expect(share).toMatchObject({ claim: { id: 'knowledge-knows' }, verdict: 'verified' });
    expect(share?.page).toBeGreaterThan(1);
    for (const value of ['95', '2.6', '19.9'])
      expect(scan.numbers.find((n) => n.value === value)?.verdict).toBe('ignored');
    expect(scan.ok).toBe(true);
  });

  it('reads standard input, and any file as the kind it is told', async () => {
    const text = await readFile(summary, 'utf8');
    const piped = runBin(['scan', '-', '--json'], projectRoot, text);
    expect(piped.code).toBe(0);
    expect(JSON.parse(piped.out).counts.verified).toBe(30);
    // Markdown read as plain text: the table's pipes are text, its numbers still found
    const asText = runBin(['scan', fixture, '--as', 'text', '--json']);
    expect(
      JSON.parse(asText.out).numbers.some((n: { printed: string }) => n.printed === '92,5 %'),
    ).toBe(true);
    expect(runBin(['scan', fixture, '--as', 'word']).code).toBe(2);
  });
});

describe("the other bases of a question's shares", () => {
  it('reads a frequency table and a multiple question’s shares of responses as figures, never impossible', async () => {
    const root = join(projectRoot, 'test/fixtures/town-survey');
    const file = join(await mkdtemp(join(tmpdir(), 'scan-bases-')), 'tables.md');
    await writeFile(
      file,
      [
        '|         |           | Frequency | Percent | Valid percent | Cumulative percent |',
        '| :------ | :-------- | --------: | ------: | ------------: | -----------------: |',
        '| Valid   | North     |        80 |    40.0 |          41.5 |               41.5 |',
        '|         | Centre    |        69 |    34.5 |          35.8 |               77.2 |',
        '|         | South     |        44 |    22.0 |          22.8 |              100.0 |',
        '|         | Total     |       193 |    96.5 |         100.0 |                    |',
        '| Missing | No answer |         7 |     3.5 |               |                    |',
        '',
        'Sources of information: answers by option (n = 187)',
        '',
        '| Option | n | % of respondents | % of responses |',
        '| :-- | --: | --: | --: |',
        '| Radio | 79 | 42.2% | 20.1% |',
        '| Social media | 112 | 59.9% | 28.4% |',
        '',
      ].join('\n'),
    );
    const { scan } = await scanFile(root, file);
    const at = (line: number, printed: string) =>
      scan.numbers.find((n) => n.line === line && n.printed === printed);
    // of every respondent (200, blanks included), cumulative, blanks and answers given
    expect(at(4, '34.5')).toMatchObject({ verdict: 'recomputed', question: { id: 'district' } });
    expect(at(4, '77.2')).toMatchObject({ verdict: 'recomputed' });
    expect(at(6, '96.5')).toMatchObject({ verdict: 'recomputed' });
    expect(at(7, '7')).toMatchObject({ verdict: 'recomputed' });
    expect(at(7, '3.5')).toMatchObject({ verdict: 'recomputed' });
    // of the options chosen
    expect(at(13, '20.1%')).toMatchObject({ verdict: 'recomputed', question: { id: 'channels' } });
    expect(at(14, '28.4%')).toMatchObject({ verdict: 'recomputed' });
    expect(scan.counts.impossible + scan.counts.fails).toBe(0);
  });
});
