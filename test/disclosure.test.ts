import { readFileSync } from 'node:fs';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Ajv2020 } from 'ajv/dist/2020.js';
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { auditSite } from '../src/audit/audit.js';
import { build } from '../src/build.js';
import { parseCodebook } from '../src/load/codebook.js';
import { disclose } from '../src/stats/disclosure.js';
import type { Results } from '../src/stats/frequencies.js';
import { codebookYaml, copyStudy, editFile, projectRoot } from './helpers.js';

const codebook = (min: number | undefined, options: number) =>
  parseCodebook(
    codebookYaml(
      'small',
      `  - id: q
    section: main
    text: { es: ¿Q?, en: Q? }
    short: { es: Q, en: Q }
    options:
${Array.from({ length: options }, (_, i) => `      - { code: o${i}, label: { es: O${i}, en: O${i} } }`).join('\n')}`,
    ).replace('  data:', min ? `  disclosure: { min_cell: ${min} }\n  data:` : '  data:'),
    'codebook.yaml',
  );

const results = (counts: number[]): Results => {
  const n = counts.reduce((a, b) => a + b, 0);
  return {
    respondents: n,
    questions: [
      {
        id: 'q',
        n,
        missing: 0,
        options: counts.map((count, i) => ({
          code: `o${i}`,
          count,
          proportion: count / n,
          ci: [0, 1] as [number, number],
        })),
      },
    ],
  };
};

const hiddenOf = (r: Results) =>
  r.questions[0]?.options.filter((o) => o.suppressed).map((o) => o.code);

describe('disclosure control', () => {
  it('withholds counts below min_cell and the smallest other cell that would reveal them; zeros are shown', () => {
    const out = disclose(codebook(3, 4), results([1, 5, 10, 0]));
    expect(hiddenOf(out)).toEqual(['o0', 'o1']);
    const q = out.questions[0];
    expect(q?.min_cell).toBe(3);
    expect(Number.isNaN(q?.options[0]?.count)).toBe(true);
    expect(q?.options[2]?.count).toBe(10);
    expect(q?.options[3]?.count).toBe(0);
    // two small cells adding up to less than min_cell would give each other away
    expect(hiddenOf(disclose(codebook(3, 3), results([1, 1, 10])))).toEqual(['o0', 'o1', 'o2']);
    expect(hiddenOf(disclose(codebook(3, 3), results([2, 2, 10])))).toEqual(['o0', 'o1']);
    // off: nothing changes
    const plain = results([1, 5]);
    expect(disclose(codebook(undefined, 2), plain)).toBe(plain);
    // the published JSON holds no withheld figure
    expect(JSON.stringify(out)).not.toMatch(/"count":1\b|"count":5\b/);
  });

  it('never shows a count below min_cell, and never leaves a withheld cell alone to be subtracted', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 2, max: 6 }),
        fc.array(fc.integer({ min: 0, max: 30 }), { minLength: 1, maxLength: 7 }),
        (min, counts) => {
          const out = disclose(codebook(min, counts.length), results(counts)).questions[0];
          const hidden = out?.options.filter((o) => o.suppressed) ?? [];
          for (const o of out?.options ?? [])
            if (!o.suppressed) expect(o.count === 0 || o.count >= min).toBe(true);
          if (hidden.length > 0) {
            const shown = out?.options.filter((o) => !o.suppressed && o.count > 0) ?? [];
            const sum = counts
              .filter((_, i) => hidden.some((h) => h.code === `o${i}`))
              .reduce((a, b) => a + b, 0);
            // either enough withheld together, or nothing left to withhold
            expect((hidden.length >= 2 && sum >= min) || shown.length === 0).toBe(true);
          }
        },
      ),
    );
  });
});

describe('a study with small cells and study.disclosure', () => {
  let root: string;
  let files: Map<string, string | Uint8Array>;
  const text = (path: string) => String(files.get(path));

  beforeAll(async () => {
    root = await copyStudy(join(projectRoot, 'test/fixtures/library-survey'));
    await editFile(root, 'data/codebook.yaml', (t) =>
      t.replace('  languages:', '  disclosure: { min_cell: 3 }\n  languages:'),
    );
    // two of the four "rarely" visitors come monthly instead: a small cell of 2
    await editFile(root, 'data/responses.csv', (t) => {
      let moved = 0;
      return t
        .split('\n')
        .map((l) =>
          l.includes(',rarely,') && moved++ < 2 ? l.replace(',rarely,', ',monthly,') : l,
        )
        .join('\n');
    });
    ({ files } = await build({ root, formats: ['html', 'pdf'] }));
  });

  it('prints "< 3" with a note in tables, no bar in charts, and null in results.json', () => {
    const page = text('pt/index.html');
    const table = /<figure id="tbl-visits"[\s\S]*?<\/figure>/.exec(page)?.[0] ?? '';
    expect(table).toMatch(/Raramente<\/t[dh]>\s*<td align="right"[^>]*>&#x3C; 3<\/td>/);
    // the complementary cell: monthly (10) would give rarely away from the total
    expect(table).toMatch(/Todo mês<\/t[dh]>\s*<td align="right"[^>]*>&#x3C; 3<\/td>/);
    expect(table).not.toMatch(/>10</);
    expect(table).toMatch(/Toda semana<\/t[dh]>\s*<td align="right"[^>]*>12</);
    expect(page).toMatch(/<p>“&#x3C; 3”: menos de 3 respostas, ou um número do qual se deduziriam/);
    expect(text('pt/report.typ')).toMatch(/menos de 3 respostas/);
    const results = JSON.parse(text('data/results.json'));
    expect(results.disclosure).toEqual({ min_cell: 3 });
    const visits = results.questions.find((q: { id: string }) => q.id === 'visits');
    expect(visits.min_cell).toBe(3);
    expect(visits.options.filter((o: { suppressed?: boolean }) => o.suppressed)).toEqual([
      { code: 'monthly', count: null, proportion: null, ci: [null, null], suppressed: true },
      { code: 'rarely', count: null, proportion: null, ci: [null, null], suppressed: true },
    ]);
    const schema = JSON.parse(
      readFileSync(join(projectRoot, 'docs/schemas/results.schema.json'), 'utf8'),
    );
    const validate = new Ajv2020({ strict: true }).compile(schema);
    expect(validate(results), JSON.stringify(validate.errors)).toBe(true);
    const spec = JSON.parse(text('pt/charts/visits.vl.json'));
    const rarely = spec.data.values.find((v: { text: string }) => v.text === '< 3');
    expect(rarely).toMatchObject({ proportion: null, lower: null });
    expect(spec.description).not.toMatch(/\(10\/|\(2\//);
    expect(files.has('pt/municipal-library.pt.pdf')).toBe(true);
  });

  it('publishes no row-level responses, and verify still checks the full data', () => {
    expect(files.has('data/responses.csv')).toBe(false);
    const verification = JSON.parse(text('data/verification.json'));
    expect(verification.ok).toBe(true);
    expect(verification.claims.every((c: { status: string }) => c.status === 'pass')).toBe(true);
  });

  it('audit passes on the site, checking its figures against the published aggregates', async () => {
    const audit = await auditSite(join(root, 'out'));
    expect(audit.problems, JSON.stringify(audit.problems)).toEqual([]);
    expect(audit.checked.recomputed).toBe(false);
    expect(audit.notes.join(' ')).toMatch(/no data\/responses\.csv/);
    expect(audit.checked.figures).toBeGreaterThan(5);
    expect(await readdir(join(root, 'out/data'))).not.toContain('responses.csv');
  });

  it('the shipped study keeps it off, and its codebook says why', async () => {
    const shipped = await readFile(join(projectRoot, 'data/codebook.yaml'), 'utf8');
    expect(shipped).not.toMatch(/^\s+disclosure:/m);
    expect(shipped).toMatch(/# disclosure: off\b[\s\S]*already published/);
  });
});
