import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { scanFile } from '../src/commands.js';
import { findNumbers } from '../src/scan/numbers.js';
import { copyStudy, editFile, projectRoot } from './helpers.js';

const root = join(projectRoot, 'test/fixtures/group-survey');
const dir = await mkdtemp(join(tmpdir(), 'scan-crosstab-'));

async function scanOf(name: string, text: string) {
  const file = join(dir, name);
  await writeFile(file, text);
  return (await scanFile(root, file)).scan;
}

describe('shares printed in a cross-table', () => {
  it("checks a cell against its column's group, not the whole question's n", async () => {
    const scan = await scanOf(
      'rating.md',
      [
        '## Good service by sex',
        '',
        '| Good service | men | women | Total |',
        '| --- | ---: | ---: | ---: |',
        '| Strongly disagree | 0 (0%) | 4 (23.5%) | 4 (13.3%) |',
        '| Neither agree nor disagree | 5 (38.5%) | 5 (29.4%) | 10 (33.3%) |',
        '| Total | 13 (100%) | 17 (100%) | 30 (100%) |',
        '',
      ].join('\n'),
    );
    const at = (line: number, printed: string) =>
      scan.numbers.find((n) => n.line === line && n.printed === printed);
    // 4 of the 17 women, 5 of the 13 men: cells of "rating" by "sex"
    expect(at(5, '23.5%')).toMatchObject({ verdict: 'recomputed', recomputed: '23.53 % (4/17)' });
    expect(at(5, '23.5%')?.note).toMatch(/"rating" by "sex"/);
    expect(at(6, '38.5%')).toMatchObject({ verdict: 'recomputed', recomputed: '38.46 % (5/13)' });
    expect(at(7, '13')).toMatchObject({ kind: 'total', verdict: 'recomputed' });
    expect(scan.counts.impossible).toBe(0);
    expect(scan.ok).toBe(true);
  });

  it('finds the cells of a table restricted to some of a group question’s options', async () => {
    const scan = await scanOf(
      'age.md',
      '| Age | men | women | Total |\n| --- | --- | --- | --- |\n| 18 to 39 | 4 (44.4%) | 5 (55.6%) | 9 (100%) |\n',
    );
    const cell = scan.numbers.find((n) => n.printed === '44.4%');
    // 4 of the 9 aged 18 to 39 in the north and the centre (a row percentage): some table of
    // the study restricted to a group's options gives 4 of 9
    expect(cell).toMatchObject({ verdict: 'recomputed', recomputed: '44.44 % (4/9)' });
    expect(cell?.note).toMatch(/\(\w+=[\w,]+\)/);
    expect(scan.numbers.filter((n) => n.line === 3).map((n) => n.kind)).toEqual([
      'range',
      'range',
      'count',
      'share',
      'count',
      'share',
      'count',
      'share',
    ]);
  });

  it('calls a cell whose base no table of the study gives not checkable, never impossible', async () => {
    const scan = await scanOf(
      'unknown.md',
      '| Satisfied | men |\n| --- | --- |\n| Yes | 11 (47.8%) |\n',
    );
    expect(scan.numbers.find((n) => n.printed === '47.8%')).toMatchObject({
      verdict: 'unchecked',
      note: expect.stringMatching(/11\/23: a base the study's tables do not give, not checkable/),
    });
    expect(scan.ok).toBe(true);
  });

  it('tests a share of a group its words name against that group, and else against the question', async () => {
    const scan = await scanOf(
      'prose.txt',
      'El 41,7 % se informa por televisión.\n\nEl 7,7 % de los hombres se informa por radio.\n',
    );
    // no count of the 30 answers to "channels" gives 41.7 %, and no group is named
    expect(scan.numbers.find((n) => n.printed === '41,7 %')).toMatchObject({
      question: { id: 'channels', option: 'tv' },
      verdict: 'impossible',
    });
    // 1 of the 13 men: possible, not checkable without the figure
    expect(scan.numbers.find((n) => n.printed === '7,7 %')).toMatchObject({
      question: { id: 'channels', option: 'radio' },
      verdict: 'unchecked',
      note: expect.stringMatching(/group of 13/),
    });
  });

  it('reads p = 1.000 as a p-value and an expected count as no share of the respondents', () => {
    const found = findNumbers([
      {
        text: "Fisher's exact test: p = 1.000. 25% of the expected counts are below 5 (the smallest, 4.1).",
        line: 1,
        column: 1,
      },
    ]);
    expect(found.map((f) => [f.printed, f.kind])).toEqual([
      ['1.000', 'p-value'],
      ['25%', 'measure'],
      ['5', 'measure'],
      ['4.1', 'measure'],
    ]);
  });

  it("binds a weighted study's cells to its weighted shares, never calling them impossible", async () => {
    const weighted = await copyStudy(root);
    await editFile(weighted, 'data/codebook.yaml', (t) =>
      t.replace('ignore_columns: [w]', 'weight: w'),
    );
    const file = join(dir, 'weighted.md');
    await writeFile(
      file,
      [
        '30 users answered. 69.6% of the men (9 of 13) and 58.1% of the women are satisfied.',
        '',
        '## Good service by sex',
        '',
        '| Good service | men | women | Total |',
        '| --- | ---: | ---: | ---: |',
        '| Strongly disagree | 0 (0%) | 4 (23%) | 4 (15.3%) |',
        '| Neither agree nor disagree | 5 (41.1%) | 5 (29.7%) | 10 (33.5%) |',
        '| Agree | 4 (28.6%) | 4 (24.9%) | 8 (25.7%) |',
        '| Total | 13 (100%) | 17 (100%) | 30 (100%) |',
        '',
        'Satisfied men: 69.64% (9/13 men); women: 58.11% (10/17 women).',
        '',
        'Weighted percentages; unweighted counts. Effective n (Kish) 28.5, design effect 1.05.',
        '',
      ].join('\n'),
    );
    const { scan } = await scanFile(weighted, file);
    const at = (line: number, printed: string) =>
      scan.numbers.find((n) => n.line === line && n.printed === printed);
    // the weighted share of a cell, its count and base unweighted
    expect(at(7, '23%')).toMatchObject({ verdict: 'recomputed' });
    expect(at(7, '23%')?.recomputed).toBe('22.97 % weighted (4/17 unweighted)');
    expect(at(8, '41.1%')).toMatchObject({ verdict: 'recomputed' });
    expect(at(8, '33.5%')).toMatchObject({ verdict: 'recomputed' });
    // 24.9 % is no weighted share of 4 women (24.3 %): not checkable, never impossible
    expect(at(9, '24.9%')?.verdict).toBe('unchecked');
    expect(at(12, '69.64%')).toMatchObject({ verdict: 'recomputed' });
    expect(at(12, '58.11%')).toMatchObject({ verdict: 'recomputed' });
    expect(at(14, '28.5')).toMatchObject({ kind: 'coefficient', verdict: 'ignored' });
    expect(at(14, '1.05')).toMatchObject({ kind: 'coefficient', verdict: 'ignored' });
    expect(scan.counts.fails + scan.counts.impossible + scan.counts.note).toBe(0);
    expect(scan.ok).toBe(true);
  });
});
