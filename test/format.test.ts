import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { InputError } from '../src/errors.js';
import { parseClaims } from '../src/load/claims.js';
import { parseCodebook } from '../src/load/codebook.js';
import { FORMAT } from '../src/load/format.js';
import { codebookYaml, copyStudy, editFile, projectRoot, runCli } from './helpers.js';

const questions = `  - id: q
    section: main
    text: { es: ¿Sí?, en: Yes? }
    short: { es: Sí, en: Yes }
    options:
      - { code: y, label: { es: Sí, en: Yes } }
      - { code: n, label: { es: No, en: No } }`;

const plain = codebookYaml('small', questions);
const withFormat = (format: string, text = plain) => `format: ${format}\n${text}`;
const withAuthor = (text: string, author: string) =>
  text.replace('  institution:', `  author: "${author}"\n  institution:`);

function errorOf(run: () => unknown): InputError {
  try {
    run();
  } catch (error) {
    if (error instanceof InputError) return error;
    throw error;
  }
  throw new Error('no error');
}

describe('format versions', () => {
  it('the shipped study and the second fixture say which format they are written in', async () => {
    for (const root of [projectRoot, join(projectRoot, 'test/fixtures/library-survey')])
      for (const file of ['data/codebook.yaml', 'data/claims.yaml'])
        expect(await readFile(join(root, file), 'utf8')).toMatch(/^format: 1$/m);
    expect(FORMAT).toEqual({ codebook: 1, claims: 1 });
  });

  it('reads the current format and a file without one alike, silently', () => {
    const warnings: string[] = [];
    const a = parseCodebook(withFormat('1'), 'codebook.yaml', (w) => warnings.push(w));
    const b = parseCodebook(plain, 'codebook.yaml', (w) => warnings.push(w));
    expect(a).toEqual(b);
    expect(warnings).toEqual([]);
  });

  it('refuses a newer format with one line naming the file, the line and what to do', () => {
    const error = errorOf(() => parseCodebook(withFormat('2'), 'data/codebook.yaml'));
    expect(error.message).toBe(
      'data/codebook.yaml:1: format 2 is newer than this version of survey-report reads (format 1) (install a newer survey-report (npm install -g survey-report@latest))',
    );
    expect(errorOf(() => parseCodebook(withFormat('"one"'), 'c.yaml')).message).toMatch(
      /^c\.yaml:1: format must be a whole number, got "one"/,
    );
    expect(errorOf(() => parseCodebook(withFormat('0'), 'c.yaml')).message).toMatch(
      /format must be a whole number/,
    );
  });

  it('migrates a file of the layout before formats in memory, with a warning naming the change', () => {
    const warnings: string[] = [];
    const codebook = parseCodebook(withAuthor(plain, 'Pérez Díaz, Ana María'), 'c.yaml', (w) =>
      warnings.push(w),
    );
    expect(codebook.study.authors).toEqual([{ family: 'Pérez Díaz', given: 'Ana María' }]);
    expect('author' in codebook.study).toBe(false);
    expect(warnings).toEqual([
      'c.yaml: no "format:", read as format 1: study.author ("Pérez Díaz, Ana María") is now study.authors, a list of { family, given, orcid } (add "format: 1" and update the file to keep this from showing)',
    ]);
    // an institution as author: the whole name is the family name
    expect(parseCodebook(withAuthor(plain, 'Grupo GEA'), 'c.yaml').study.authors).toEqual([
      { family: 'Grupo GEA' },
    ]);
    // a format 1 file has no author: key
    expect(
      errorOf(() => parseCodebook(withFormat('1', withAuthor(plain, 'X')), 'c.yaml')).message,
    ).toMatch(/unknown key "author"/);
  });

  it('checks the claims file the same way', () => {
    const codebook = parseCodebook(plain, 'c.yaml');
    const claims = `claims:
  - id: all
    kind: population
    count: 3
    about: { es: tres, en: three }
    source: { position: 1 }
`;
    expect(parseClaims(`format: 1\n${claims}`, 'k.yaml', codebook)).toHaveLength(1);
    expect(parseClaims(claims, 'k.yaml', codebook)).toHaveLength(1);
    expect(errorOf(() => parseClaims(`format: 7\n${claims}`, 'k.yaml', codebook)).message).toMatch(
      /^k\.yaml:1: format 7 is newer than this version of survey-report reads \(format 1\)/,
    );
  });

  it('a newer format is bad input for every command: exit 2, one line, no stack', async () => {
    const root = await copyStudy();
    await editFile(root, 'data/claims.yaml', (t) => t.replace('format: 1', 'format: 2'));
    const { code, err } = await runCli(['verify', '--root', root]);
    expect(code).toBe(2);
    expect(err.trim().split('\n')).toHaveLength(1);
    expect(err).toMatch(/data\/claims\.yaml:\d+: format 2 is newer/);
  });
});
