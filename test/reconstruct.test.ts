import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseResponses } from '../src/load/responses.js';
import { loadDesign } from '../src/load/study.js';
import { reconstructCounts, reconstructCsv } from '../src/reconstruct.js';
import { tabulate } from '../src/stats/frequencies.js';
import { verify } from '../src/verify/verify.js';
import { copyStudy, editFile, projectRoot, runBin } from './helpers.js';

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
