import { mkdir, mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseClaims } from '../src/load/claims.js';
import { parseCodebook } from '../src/load/codebook.js';
import { tabulate } from '../src/stats/frequencies.js';
import { verificationTable } from '../src/verify/table.js';
import { verify } from '../src/verify/verify.js';
import { runCli } from './helpers.js';

// a study used only to verify: no templates, no thesis metadata, a year that is a range
const codebookText = `study:
  id: clinic
  title: { en: Clinic survey }
  year: 2019-2020
  population: { en: patients }
  languages: [{ code: en, locale: en-US, name: English }]
  data: { status: original, note: { en: as collected } }
sections: [{ id: s, title: { en: S } }]
questions:
  - id: sat
    section: s
    text: { en: Satisfied? }
    short: { en: Satisfaction }
    options:
      - { code: yes, label: { en: "Yes" } }
      - { code: no, label: { en: "No" } }
`;
const codebook = parseCodebook(codebookText, 'data/codebook.yaml');
// 40 answers: 13 yes, 27 no
const answers = { sat: [...Array(13).fill('yes'), ...Array(27).fill('no')] };
const results = tabulate(codebook, {
  ids: answers.sat.map((_, i) => `r${i}`),
  answers,
});
const run = (claims: string) =>
  verify(codebook, results, parseClaims(`claims:\n${claims}`, 'data/claims.yaml', codebook));

describe('claims written as printed', () => {
  it('keeps the decimal comma and the percent sign for display, reads the value', () => {
    const v = run(`  - { id: yes, kind: share, question: sat, options: [yes], percent: "32,5" }
  - { id: no, kind: share, question: sat, options: [no], percent: "67.5%", count: 27 }
`);
    expect(v.ok).toBe(true);
    expect(v.claims.map((c) => [c.reported, c.printed])).toEqual([
      ['32.5 %', '32,5 %'],
      ['27 · 67.5 %', '27 · 67.5%'],
    ]);
    const table = verificationTable(v, 'en');
    expect(table).toContain('32,5 %');
    expect(table).toContain('67.5%');
  });

  it('needs no about: nor source:', () => {
    const v = run('  - { id: all, kind: population, count: 40 }\n');
    expect(v.claims[0]?.status).toBe('pass');
    expect(v.claims[0]?.about).toBeUndefined();
  });
});

describe('a claim with its own base (n:)', () => {
  it('checks GRIM and agreement against that n, not the study, and shows count/n', () => {
    // 9 of 13 men = 69.2 %: true of the men, impossible of all 40
    const v = run(
      '  - { id: men, kind: share, question: sat, options: [yes], percent: "69,2", n: 13, group: men }\n',
    );
    expect(v.claims[0]?.status).toBe('pass');
    expect(v.claims[0]?.recomputed).toMatchObject({ count: 9, n: 13 });
    expect(v.claims[0]?.given).toEqual({ n: 13, group: 'men' });
    expect(verificationTable(v, 'en')).toMatch(/9\/13 men/);
  });

  it('fails a percentage no count of that n gives, and a count that disagrees with it', () => {
    const v = run(`  - { id: a, kind: share, question: sat, options: [yes], percent: "70.0", n: 13 }
  - { id: b, kind: share, question: sat, options: [no], percent: "30.8", count: 5, n: 13 }
`);
    expect(v.claims.map((c) => c.status)).toEqual(['fail', 'fail']);
    expect(v.claims[0]?.checks.find((k) => !k.ok)?.name).toBe('achievable');
    expect(v.claims[1]?.checks.find((k) => !k.ok)?.name).toBe('agree');
  });

  it('sums the options of that base on their own: counts to its n', () => {
    const v = run(`  - { id: y, kind: share, question: sat, options: [yes], count: 9, n: 13 }
  - { id: n, kind: share, question: sat, options: [no], count: 5, n: 13 }
`);
    const sum = v.sums.find((s) => s.of === 'count');
    expect(sum).toMatchObject({ expected: 13, reportedTotal: 14, status: 'fail' });
    expect(v.ok).toBe(false);
  });
});

describe('rounding conventions in verify', () => {
  it('names the convention of the study and warns on a figure only truncation gives', () => {
    // 13/40 = 32.5 → "33" half up only; 27/40 = 67.5 → "68" half up and half even
    const v = run(`  - { id: a, kind: share, question: sat, options: [yes], percent: "33" }
  - { id: b, kind: share, question: sat, options: [no], percent: "68" }
  - { id: c, kind: share, question: sat, options: [no], percent: "67.50" }
`);
    expect(v.convention).toBe('half-up');
    expect(v.claims[0]?.conventions).toEqual(['half-up']);
    expect(v.claims[0]?.rounding).toMatch(/exact half, rounded half up/);
    expect(v.inconsistent).toEqual([]);
    // 27/40 = 67.5 printed "67": only truncation gives it, in a study that rounds half up
    const t = run(`  - { id: a, kind: share, question: sat, options: [yes], percent: "33" }
  - { id: b, kind: share, question: sat, options: [no], percent: "68" }
  - { id: c, kind: share, question: sat, options: [no], percent: "67" }
  - { id: d, kind: share, question: sat, options: [no], percent: "67.5" }
`);
    expect(t.convention).toBe('half-up');
    expect(t.inconsistent).toEqual(['c']);
    const c = t.claims.find((x) => x.id === 'c');
    expect(c?.conventions).toEqual(['truncation']);
    // an exact half printed down is within the rounding tolerance: it passes, with the warning
    expect(c?.status).toBe('pass');
    expect(c?.rounding).toBe(
      'inconsistent rounding: only truncation gives it, the study rounds half-up',
    );
    expect(verificationTable(t, 'en')).toMatch(/inconsistent rounding \(warning\): c/);
    // a study that truncates: its truncated figures are consistent with it
    const truncated = run(`  - { id: a, kind: share, question: sat, options: [yes], percent: "32" }
  - { id: b, kind: share, question: sat, options: [no], percent: "67" }
`);
    expect(truncated.convention).toBe('truncation');
    expect(truncated.claims.map((x) => x.status)).toEqual(['pass', 'pass']);
    expect(truncated.inconsistent).toEqual([]);
    // a figure no convention gives still fails
    expect(
      run('  - { id: x, kind: share, question: sat, options: [no], percent: "66" }\n').ok,
    ).toBe(false);
  });
});

describe('verify on a folder with only a codebook, responses and claims', () => {
  it('runs without templates or thesis metadata, and build says what a report lacks', async () => {
    const root = await mkdtemp(join(tmpdir(), 'verify-only-'));
    await mkdir(join(root, 'data'));
    await writeFile(join(root, 'data/codebook.yaml'), codebookText);
    await writeFile(
      join(root, 'data/responses.csv'),
      `id,sat\n${answers.sat.map((a, i) => `r${i},${a}`).join('\n')}\n`,
    );
    await writeFile(
      join(root, 'data/claims.yaml'),
      'claims:\n  - { id: yes, kind: share, question: sat, options: [yes], percent: "32,5", count: 13 }\n',
    );
    const verified = await runCli(['verify', '--root', root]);
    expect(verified.err).toBe('');
    expect(verified.code).toBe(0);
    expect(verified.out).toContain('13 · 32,5 %');
    const built = await runCli(['build', '--root', root, '--format', 'html']);
    expect(built.code).toBe(2);
    expect(built.err.trim()).toBe(
      "error: data/codebook.yaml:1: at study: institution, repository, handle are missing (a report names the study's institution, year, repository, handle; verify and scan do without them)",
    );
  });
});
