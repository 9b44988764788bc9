import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { auditSite } from '../src/audit/audit.js';
import { build } from '../src/build.js';
import { withheldTable } from '../src/stats/disclosure.js';
import { copyStudy, editFile, projectRoot } from './helpers.js';

const MIN = 5;

describe('withheldTable: the cells of a cross-tabulation to withhold', () => {
  /** Every rule a withheld table keeps, checked on one table. */
  function check(cells: number[][], min: number, additive: boolean) {
    const columnN = (cells[0] ?? []).map((_, j) => cells.reduce((s, row) => s + (row[j] ?? 0), 0));
    const w = withheldTable(cells, columnN, min, additive);
    const rowTotals = cells.map((row) => row.reduce((s, x) => s + x, 0));
    const safe = (values: number[], hidden: boolean[]) => {
      const kept = values.filter((_, k) => hidden[k]);
      const sum = kept.reduce((s, x) => s + x, 0);
      return kept.length === 0 || (kept.length >= 2 && sum >= min);
    };
    cells.forEach((row, i) => {
      row.forEach((c, j) => {
        // a small cell is withheld, a zero never
        if (c > 0 && c < min) expect(w.cells[i]?.[j]).toBe(true);
        if (c === 0) expect(w.cells[i]?.[j]).toBe(false);
        // a withheld total withholds every cell of its line
        if (c > 0 && (w.rowTotals[i] || w.columnTotals[j])) expect(w.cells[i]?.[j]).toBe(true);
      });
    });
    // each line whose total is shown: its withheld cells are none, or two or more adding up to min
    cells.forEach((row, i) => {
      if (!w.rowTotals[i]) expect(safe(row, w.cells[i] as boolean[])).toBe(true);
    });
    if (additive)
      columnN.forEach((_, j) => {
        if (!w.columnTotals[j])
          expect(
            safe(
              cells.map((row) => row[j] ?? 0),
              cells.map((_, i) => Boolean(w.cells[i]?.[j])),
            ),
          ).toBe(true);
      });
    if (!w.total) {
      expect(safe(columnN, w.columnTotals)).toBe(true);
      if (additive) expect(safe(rowTotals, w.rowTotals)).toBe(true);
    }
    return w;
  }

  it('withholds all four cells of a 2×2 table with one small cell (one cell and the totals give the rest)', () => {
    const w = check(
      [
        [2, 10],
        [10, 10],
      ],
      3,
      true,
    );
    expect(w.cells).toEqual([
      [true, true],
      [true, true],
    ]);
    expect([w.rowTotals, w.columnTotals, w.total]).toEqual([[false, false], [false, false], false]);
  });

  it('withholds a second cell in the row and in the column of a small one, not the rest', () => {
    const w = check(
      [
        [1, 20, 30],
        [20, 25, 40],
        [30, 35, 50],
      ],
      3,
      true,
    );
    expect(w.cells).toEqual([
      [true, true, false],
      [true, true, false],
      [false, false, false],
    ]);
  });

  it('withholds a small total, its line, and the total that would give it back', () => {
    const w = check(
      [
        [1, 1],
        [10, 12],
        [15, 0],
      ],
      3,
      true,
    );
    // the row of 2, and the smallest other row (15) so that it cannot be worked out from 49;
    // their cells; then 12 beside the 1 of the second column (13 less 12 would give it), and
    // 10 beside the 12 in its row
    expect(w.rowTotals).toEqual([true, false, true]);
    expect(w.cells).toEqual([
      [true, true],
      [true, true],
      [true, false],
    ]);
    expect(w.total).toBe(false);
  });

  it('keeps every rule on any table (property)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 4 }).chain((r) =>
          fc.integer({ min: 1, max: 4 }).chain((c) =>
            fc.tuple(
              fc.array(fc.array(fc.nat({ max: 12 }), { minLength: c, maxLength: c }), {
                minLength: r,
                maxLength: r,
              }),
              fc.integer({ min: 2, max: 6 }),
              fc.boolean(),
            ),
          ),
        ),
        ([cells, min, additive]) => {
          check(cells, min, additive);
        },
      ),
      { numRuns: 300 },
    );
  });
});

describe('disclosure control of crosstabs, subgroups and grouped charts', () => {
  let root: string;
  const read = (path: string) => readFile(join(root, 'out', path), 'utf8');

  beforeAll(async () => {
    root = await copyStudy(join(projectRoot, 'test/fixtures/group-survey'));
    await editFile(root, 'data/codebook.yaml', (t) =>
      t.replace('  languages:', `  disclosure: { min_cell: ${MIN} }\n  languages:`),
    );
    const small = 'where="sex=male;region=north"';
    for (const lang of ['es', 'en'])
      await editFile(
        root,
        `templates/report.${lang}.md.hbs`,
        (t) =>
          `${t}\n\n## Small {#small}\n\nNorth men: {{n ${small}}}; {{n "satisfied" ${small}}} answered; {{pct "satisfied" "yes" ${small}}} ({{count "satisfied" "yes" ${small}}}) {{ci "satisfied" "yes" ${small}}}. South women: {{pct "satisfied" "yes" where="sex=female;region=south"}} ({{count "satisfied" "no" where="sex=female;region=south"}}). Women: {{pct "satisfied" "yes" where="sex=female"}} ({{count "satisfied" "yes" where="sex=female"}}).\n\n{{crosstab "satisfied" by="sex" test="fisher"}}\n\n{{chart "satisfied" by="sex"}}\n\n{{chart "rating" by="sex"}}\n\n{{chart "channels" by="region" where="sex=female"}}\n`,
      );
    await build({ root, formats: ['html'] });
  }, 180_000);

  it('prints a crosstab’s small cells and their complements as "< 5", their percentages as dashes, with the note', async () => {
    const md = await read('en/report.md');
    const table = /:::table\{#tab-satisfied-by-sex[\s\S]*?:::\n\n.*\n/.exec(md)?.[0] ?? '';
    // 9 and 4 of 13 men, 10 and 7 of 17 women: in a 2×2 table one cell and the totals give all
    expect(table).toMatch(/\| Yes +\| +< 5 \(—\) \| +< 5 \(—\) \| 19 \(63\.3%\) \|/);
    expect(table).toMatch(/\| No +\| +< 5 \(—\) \| +< 5 \(—\) \| 11 \(36\.7%\) \|/);
    expect(table).toMatch(/\| Total +\| 13 \(100%\) \| 17 \(100%\) \| +30 \(100%\) \|/);
    expect(table).toMatch(/fewer than 5 answers, or a figure from which they could be worked out/);
    // the test would give the cells back: not printed
    expect(table).toMatch(/The test of independence is not shown/);
    expect(table).not.toMatch(/χ²|Fisher|p [=<]/);
    const rating = /:::table\{#tab-rating-by-sex[\s\S]*?:::\n\n.*\n/.exec(md)?.[0] ?? '';
    expect(rating).toMatch(/\| Neither agree nor disagree \| 5 \(38\.5%\) \| 5 \(29\.4%\) \|/);
    expect(rating).not.toMatch(/Mann-Whitney/);
    // no test line on a multiple question's table: nothing to say it is withheld
    const channels = /:::table\{#tab-channels-by-region[\s\S]*?:::\n\n.*\n/.exec(md)?.[0] ?? '';
    expect(channels).toMatch(/< 5 \(—\)/);
    expect(channels).not.toMatch(/test of independence/);
    const es = await read('es/report.md');
    expect(es).toMatch(/La prueba de independencia no se muestra/);
    expect(es).toMatch(/menos de 5 respuestas/);
  });

  it('withholds the figures of a small subgroup and the small counts of a larger one', async () => {
    const md = await read('en/report.md');
    expect(md).toMatch(
      /North men: < 5; < 5 answered; — \(< 5\) —\. South women: < 83\.3% \(< 5\)\. Women: 58\.8% \(10\)\./,
    );
  });

  it('draws no bar for a withheld cell of a grouped chart, and names no count of it', async () => {
    const spec = JSON.parse(await read('en/charts/satisfied-by-sex.vl.json'));
    expect(spec.data.values).toHaveLength(4);
    for (const v of spec.data.values)
      expect(v).toMatchObject({ withheld: true, proportion: 0, text: '< 5' });
    expect(spec.layer[0].transform).toEqual([{ filter: '!datum.withheld' }]);
    expect(spec.description).toBe(
      'Grouped bar chart: Satisfied by Sex. men (n = 13): Yes — (< 5), No — (< 5); women (n = 17): Yes — (< 5), No — (< 5).',
    );
    expect(await read('en/charts/satisfied-by-sex.svg')).toContain('&#x3C; 5');
    const rating = JSON.parse(await read('en/charts/rating-by-sex.vl.json'));
    const neutral = rating.data.values.filter((v: { order: number }) => v.order === 2);
    expect(neutral.map((v: { text: string }) => v.text)).toEqual(['38.5%', '29.4%']);
    expect(neutral.every((v: { withheld?: boolean }) => !v.withheld)).toBe(true);
  });

  it('audit passes on the site, and finds an edited crosstab cell', async () => {
    const out = join(root, 'out');
    const audit = await auditSite(out);
    expect(audit.problems, JSON.stringify(audit.problems)).toEqual([]);
    expect(audit.notes.join(' ')).toMatch(/checked as printed .*no row-level responses/);
    const page = join(out, 'en/index.html');
    const html = await readFile(page, 'utf8');
    await writeFile(page, html.replace('19 (63.3%)', '18 (63.3%)'));
    const edited = await auditSite(out);
    await writeFile(page, html);
    expect(edited.ok).toBe(false);
    expect(edited.problems.map((p) => p.file)).toContain('en/index.html');
    expect(edited.problems.map((p) => p.problem).join(' ')).toMatch(/"19 \(63\.3%\)"/);
  });
});
