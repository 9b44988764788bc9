import { cp, mkdtemp, readdir, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { build } from '../src/build.js';
import { copyStudy, projectRoot, runBin, runCli } from './helpers.js';

interface Case {
  name: string;
  file: string;
  /**
   * `%repeat%` in `to` stands for `repeat.text` written `repeat.times` times, and `%close%` for
   * `repeat.close` as many times.
   */
  replace?: {
    from: string;
    to: string;
    repeat?: { text: string; times: number; close?: string };
  };
  content?: string;
  copy?: string;
  generate?: 'long-line';
  expect: string;
}

const corpus = join(projectRoot, 'test/fixtures/bad');
const { cases } = parse(await readFile(join(corpus, 'cases.yaml'), 'utf8')) as { cases: Case[] };

/** A study with a previous build in out/, to check that a failed build leaves it alone. */
let base: string;
const snapshot = async (dir: string) => {
  const names = (await readdir(join(dir, 'out'), { recursive: true })).sort();
  return { names, manifest: await readFile(join(dir, 'out/manifest.json'), 'utf8') };
};

async function prepare(c: Case): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'bad-'));
  await cp(base, dir, { recursive: true });
  const target = join(dir, c.file);
  if (c.replace) {
    const text = await readFile(target, 'utf8');
    if (!text.includes(c.replace.from))
      throw new Error(`case "${c.name}": "${c.replace.from}" not found in ${c.file}`);
    const { repeat } = c.replace;
    const to = repeat
      ? c.replace.to
          .replace('%repeat%', () => repeat.text.repeat(repeat.times))
          .replace('%close%', () => (repeat.close ?? '').repeat(repeat.times))
      : c.replace.to;
    await writeFile(
      target,
      text.replace(c.replace.from, () => to),
    );
  } else if (c.content !== undefined) await writeFile(target, c.content);
  else if (c.copy) await cp(join(corpus, c.copy), target);
  else if (c.generate === 'long-line') {
    const header = (await readFile(target, 'utf8')).split('\n')[0];
    await writeFile(target, `${header}\nR01,${'x'.repeat(50 * 1024 * 1024)}\n`);
  }
  return dir;
}

beforeAll(async () => {
  base = await copyStudy();
  await build({ root: base, formats: ['html'] });
});

describe('the corpus of malformed inputs', () => {
  it('has at least thirty cases across every kind of file', () => {
    expect(cases.length).toBeGreaterThanOrEqual(30);
    const files = new Set(cases.map((c) => c.file.split('/')[1]?.split('.')[0]));
    expect([...files].sort()).toEqual([
      'claims',
      'codebook',
      'references',
      'report',
      'responses',
      'strings',
    ]);
  });

  it.each(cases.map((c) => [c.name, c] as const))(
    '%s: one clear line, exit 2, out/ untouched',
    async (_name, c) => {
      const dir = await prepare(c);
      const before = await snapshot(dir);
      const { code, out, err } = await runCli(['build', '--root', dir, '--format', 'html']);
      const errors = err.split('\n').filter((line) => !/^\S.*\s\d+ ms$/.test(line));
      expect(errors.join('\n')).toBe(c.expect);
      expect(code).toBe(2);
      expect(out).toBe('');
      expect(await snapshot(dir)).toEqual(before);
    },
  );

  it.each(['unbalanced quote', 'codebook wrong type', 'unknown helper', 'binary junk'])(
    '%s: the real binary prints no stack trace',
    async (name) => {
      const c = cases.find((x) => x.name === name) as Case;
      const dir = await prepare(c);
      const { code, err } = runBin(['build', '--root', dir]);
      expect(code).toBe(2);
      expect(
        err
          .trim()
          .split('\n')
          .filter((l) => !/ ms$/.test(l)),
      ).toEqual([c.expect]);
      expect(err).not.toMatch(/\n\s+at /);
    },
  );
});
