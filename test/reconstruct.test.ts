import { lstat, mkdtemp, readdir, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseResponses } from '../src/load/responses.js';
import { loadDesign } from '../src/load/study.js';
import { reconstructCounts, reconstructCsv } from '../src/reconstruct.js';
import { tabulate } from '../src/stats/frequencies.js';
import { verify } from '../src/verify/verify.js';
import { copyStudy, editFile, projectRoot, runBin, runCli } from './helpers.js';

const { codebook, claims } = await loadDesign(projectRoot);
const seed = codebook.study.data.seed ?? 0;

describe('reconstruction', () => {
  it('reproduces every published claim', () => {
    const responses = parseResponses(
      reconstructCsv(codebook, claims, seed),
      'responses.csv',
      codebook,
    );
    expect(verify(codebook, tabulate(codebook, responses), claims).failed).toBe(0);
  });

  it('is byte-stable and is what the study ships', async () => {
    const shipped = await readFile(join(projectRoot, 'data/responses.csv'), 'utf8');
    expect(reconstructCsv(codebook, claims, seed)).toBe(shipped);
    expect(reconstructCsv(codebook, claims, seed)).toBe(reconstructCsv(codebook, claims, seed));
  });

  it('changes the row order, not the marginals, with another seed', () => {
    const a = reconstructCsv(codebook, claims, 1);
    const b = reconstructCsv(codebook, claims, 2);
    expect(a).not.toBe(b);
    const count = (csv: string) => tabulate(codebook, parseResponses(csv, 'r.csv', codebook));
    expect(count(a)).toEqual(count(b));
  });

  it('puts unexplained remainders in the explicit unreported option and invents no split', () => {
    const counts = reconstructCounts(codebook, claims);
    expect(Object.fromEntries(counts.get('added-value') ?? [])).toEqual({
      quality: 15,
      design: 10,
      not_detailed: 15,
    });
    expect(Object.fromEntries(counts.get('distributors') ?? [])).toEqual({
      good: 9,
      not_detailed: 31,
    });
    expect(Object.fromEntries(counts.get('suppliers') ?? [])).toEqual({ fair_to_acceptable: 40 });
  });

  it('shuffles each column on its own', () => {
    const rows = reconstructCsv(codebook, claims, seed).trim().split('\n').slice(1);
    const knowledge = rows.map((r) => r.split(',')[1]);
    // not sorted: the three who know are not all at the top
    expect(knowledge.slice(0, 3)).not.toEqual(['knows', 'knows', 'knows']);
  });

  it('refuses a remainder with nowhere to go', async () => {
    const root = await copyStudy();
    await editFile(root, 'data/claims.yaml', (t) => t.replace('percent: "20"', 'percent: "10"'));
    const { code, err } = runBin(['reconstruct', '--stdout', '--root', root]);
    expect(code).toBe(2);
    expect(err).toMatch(/training-provider: 4 answers are not described by any claim/);
  });

  it('says a count and its percentage disagree before anything else', () => {
    const misprinted = claims.map((c) =>
      c.id === 'incentive-money' ? ({ ...c, count: 29 } as typeof c) : c,
    );
    expect(() => reconstructCounts(codebook, misprinted)).toThrow(
      /incentive-money: its count 29 and its percentage 75 % disagree \(29\/40 = 72.5 %\)/,
    );
  });

  it('writes the file through the CLI', async () => {
    const root = await copyStudy();
    await editFile(root, 'data/responses.csv', () => '');
    const { code } = runBin(['reconstruct', '--root', root]);
    expect(code).toBe(0);
    expect(await readFile(join(root, 'data/responses.csv'), 'utf8')).toBe(
      await readFile(join(projectRoot, 'data/responses.csv'), 'utf8'),
    );
  });
});

describe('reconstruct never loses a file', () => {
  const run = (args: string[]) => runCli(['reconstruct', ...args]);

  it('refuses to replace original data, and says how to go ahead', async () => {
    const root = await copyStudy();
    await editFile(root, 'data/codebook.yaml', (t) =>
      t.replace('status: reconstruction', 'status: original'),
    );
    const before = await readFile(join(root, 'data/responses.csv'), 'utf8');
    const listing = (await readdir(join(root, 'data'))).sort();
    const { code, err } = await run(['--root', root]);
    expect(code).toBe(2);
    const line = (await readFile(join(root, 'data/codebook.yaml'), 'utf8'))
      .split('\n')
      .findIndex((l) => l.includes('status: original'));
    expect(err).toBe(
      `error: data/codebook.yaml:${line + 1}: study.data.status is "original": data/responses.csv holds real responses, which reconstruct does not replace (print a reconstruction with --stdout; to replace the file deliberately, run report reconstruct --force (the current file is kept as a backup))`,
    );
    expect(await readFile(join(root, 'data/responses.csv'), 'utf8')).toBe(before);
    expect((await readdir(join(root, 'data'))).sort()).toEqual(listing);
  });

  it('with --force, replaces them and keeps the previous file as a backup, never overwriting one', async () => {
    const root = await copyStudy();
    await editFile(root, 'data/codebook.yaml', (t) =>
      t.replace('status: reconstruction', 'status: original'),
    );
    await writeFile(join(root, 'data/responses.csv'), 'the original answers');
    await writeFile(join(root, 'data/responses.csv.bak'), 'an older backup');
    const { code, err } = await run(['--root', root, '--force']);
    expect(code).toBe(0);
    expect(err).toBe(
      'wrote data/responses.csv (a reconstruction of the published marginals); the previous file is kept as data/responses.csv.bak.1',
    );
    expect(await readFile(join(root, 'data/responses.csv.bak.1'), 'utf8')).toBe(
      'the original answers',
    );
    expect(await readFile(join(root, 'data/responses.csv.bak'), 'utf8')).toBe('an older backup');
    expect(await readFile(join(root, 'data/responses.csv'), 'utf8')).toBe(
      await readFile(join(projectRoot, 'data/responses.csv'), 'utf8'),
    );
    // nothing temporary left behind
    expect((await readdir(join(root, 'data'))).filter((n) => n.startsWith('.'))).toEqual([]);
  });

  it.each(['xlsx', 'sav'])(
    'refuses to write a second responses file beside data/responses.%s, even with --force',
    async (kind) => {
      const root = await copyStudy();
      await rm(join(root, 'data/responses.csv'));
      await writeFile(join(root, `data/responses.${kind}`), 'the answers');
      const listing = (await readdir(join(root, 'data'))).sort();
      for (const args of [
        ['--root', root],
        ['--root', root, '--force'],
      ]) {
        const { code, err } = await run(args);
        expect(code).toBe(2);
        expect(err).toBe(
          `error: data/responses.${kind}: the study's responses are this file; reconstruct writes data/responses.csv, which would be a second responses file (print a reconstruction with --stdout, or move data/responses.${kind} out of data/ first)`,
        );
        expect((await readdir(join(root, 'data'))).sort()).toEqual(listing);
      }
      expect(await readFile(join(root, `data/responses.${kind}`), 'utf8')).toBe('the answers');
      // printing one is still allowed
      expect((await run(['--root', root, '--stdout'])).code).toBe(0);
    },
  );

  it('makes no backup when the file would not change', async () => {
    const root = await copyStudy();
    const { code, err } = await run(['--root', root]);
    expect(code).toBe(0);
    expect(err).not.toMatch(/backup|kept/);
    expect(await readdir(join(root, 'data'))).not.toContain('responses.csv.bak');
  });

  it('never writes through a symbolic link', async () => {
    const root = await copyStudy();
    const outside = join(await mkdtemp(join(tmpdir(), 'outside-')), 'answers.csv');
    await writeFile(outside, 'somebody else’s file');
    await rm(join(root, 'data/responses.csv'));
    await symlink(outside, join(root, 'data/responses.csv'));
    const { code, err } = await run(['--root', root]);
    expect(code).toBe(2);
    expect(err).toBe(
      'error: data/responses.csv: is a symbolic link: it is never written through (that would overwrite the file it points to) (replace the link by a copy of the file, or use --stdout)',
    );
    expect(await readFile(outside, 'utf8')).toBe('somebody else’s file');
    expect((await lstat(join(root, 'data/responses.csv'))).isSymbolicLink()).toBe(true);
  });

  it('--stdout writes nothing, original data or not', async () => {
    const root = await copyStudy();
    await editFile(root, 'data/codebook.yaml', (t) =>
      t.replace('status: reconstruction', 'status: original'),
    );
    await writeFile(join(root, 'data/responses.csv'), 'the original answers');
    const { code } = runBin(['reconstruct', '--root', root, '--stdout']);
    expect(code).toBe(0);
    expect(await readFile(join(root, 'data/responses.csv'), 'utf8')).toBe('the original answers');
  });
});
