import { describe, expect, it } from 'vitest';
import { copyStudy, editFile, runBin, runCli } from './helpers.js';

type Edit = [file: string, edit: (text: string) => string];

const csvLine = (n: number) => (t: string) => t.split('\n')[n - 1] ?? '';
const replaceLine = (n: number, f: (line: string) => string) => (t: string) =>
  t
    .split('\n')
    .map((line, i) => (i === n - 1 ? f(line) : line))
    .join('\n');

const cases: [name: string, edit: Edit, message: RegExp][] = [
  [
    'unknown option code',
    ['data/responses.csv', replaceLine(5, (l) => l.replace('does_not_know', 'maybe'))],
    /^error: data\/responses\.csv:5: unknown option "maybe" in column "knowledge" \(its options are knows, does_not_know/,
  ],
  [
    'wrong column count',
    ['data/responses.csv', replaceLine(7, (l) => l.replace(/,[^,]*$/, ''))],
    /^error: data\/responses\.csv:7: this row has 10 fields, the header has 11/,
  ],
  [
    'missing column',
    [
      'data/responses.csv',
      (t) =>
        t
          .split('\n')
          .map((l) => l.split(',').slice(0, -1).join(','))
          .join('\n'),
    ],
    /^error: data\/responses\.csv:1: missing column "suppliers"/,
  ],
  [
    'duplicate respondent id',
    ['data/responses.csv', replaceLine(12, (l) => l.replace(/^R11/, 'R03'))],
    /^error: data\/responses\.csv:12: duplicate respondent id "R03" \(first used on line 4\)/,
  ],
  [
    'claim naming an unknown question',
    ['data/claims.yaml', (t) => t.replace('question: distributors', 'question: distributers')],
    /^error: data\/claims\.yaml:\d+: claim "distributors-good": unknown question "distributers"/,
  ],
  [
    'claim naming an unknown option',
    ['data/claims.yaml', (t) => t.replace('options: [universities]', 'options: [university]')],
    /^error: data\/claims\.yaml:\d+: claim "trainer-universities": unknown option "university" of question "training-provider"/,
  ],
  [
    'unquoted percentage',
    ['data/claims.yaml', (t) => t.replace('percent: "37.5"', 'percent: 37.5')],
    /^error: data\/claims\.yaml:\d+: claim "added-value-quality": the percentage must be quoted/,
  ],
  [
    'codebook syntax error',
    ['data/codebook.yaml', (t) => t.replace('sections:', 'sections: [')],
    /^error: data\/codebook\.yaml:\d+: YAML syntax error/,
  ],
  [
    'codebook text missing a language',
    [
      'data/codebook.yaml',
      (t) =>
        t.replace(/\n\s*en: How should the government encourage the formation of a cluster\?/, ''),
    ],
    /^error: data\/codebook\.yaml:\d+: at questions\.2\.text: missing the "en" text/,
  ],
];

describe('bad input', () => {
  it.each(cases)(
    '%s: one line naming file and line, exit 2',
    async (_name, [file, edit], message) => {
      const root = await copyStudy();
      await editFile(root, file, edit);
      const { code, out, err } = await runCli(['verify', '--root', root]);
      expect(code).toBe(2);
      expect(out).toBe('');
      expect(err).toMatch(message);
      expect(err.split('\n')).toHaveLength(1);
    },
  );

  it('points at the line of the offending key in YAML', async () => {
    const root = await copyStudy();
    let line = 0;
    await editFile(root, 'data/claims.yaml', (t) => {
      const lines = t.split('\n');
      line = lines.findIndex((l) => l.includes('options: [universities]')) + 1;
      return t.replace('options: [universities]', 'options: [university]');
    });
    const { err } = await runCli(['verify', '--root', root]);
    expect(err).toContain(`data/claims.yaml:${line}:`);
  });

  it('prints no stack trace from the real binary', async () => {
    const root = await copyStudy();
    await editFile(
      root,
      'data/responses.csv',
      replaceLine(3, (l) => l.replace('mapped', 'unmapped')),
    );
    expect(csvLine(3)('a\nb\nc')).toBe('c');
    const { code, err } = runBin(['verify', '--root', root]);
    expect(code).toBe(2);
    expect(err.trim().split('\n')).toHaveLength(1);
    expect(err).not.toMatch(/\bat .*\.js:\d+/);
  });

  it('names a missing file', async () => {
    const { code, err } = await runCli(['verify', '--root', '/nonexistent/study']);
    expect(code).toBe(2);
    expect(err).toMatch(/^error: data\/codebook\.yaml: file not found/);
  });

  it('rejects unknown commands and options with exit 2, on one line', async () => {
    expect(await runCli(['frobnicate'])).toMatchObject({
      code: 2,
      err: `error: unknown command 'frobnicate' (run "report --help" for usage)`,
    });
    expect(await runCli(['biuld'])).toMatchObject({
      code: 2,
      err: `error: unknown command 'biuld' (Did you mean build?) (run "report --help" for usage)`,
    });
    expect(await runCli(['verify', '--bogus'])).toMatchObject({
      code: 2,
      err: `error: unknown option '--bogus' (run "report --help" for usage)`,
    });
  });
});
