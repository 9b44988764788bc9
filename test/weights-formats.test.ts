import { cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { aggregate } from '../src/commands.js';
import { loadRows } from '../src/load/rows.js';
import { loadDesign } from '../src/load/study.js';
import { publishedTableResponses } from '../src/publish/responses-table.js';
import { runCli } from './helpers.js';

const formats = join(import.meta.dirname, 'fixtures/formats');

/**
 * The formats' reference study, its responses given as `file`, weighted by the column that
 * holds the respondent numbers 101…124 (rows numbered instead): weights read from the file.
 */
async function weightedBy(file: string, as: string, extra = ''): Promise<string> {
  const root = await mkdtemp(join(tmpdir(), 'weights-'));
  await cp(join(formats, 'reference'), root, { recursive: true });
  if (as !== 'data/responses.csv') {
    await rm(join(root, 'data/responses.csv'));
    await cp(join(formats, file), join(root, as));
  }
  const path = join(root, 'data/codebook.yaml');
  await writeFile(
    path,
    (await readFile(path, 'utf8')).replace(
      '    status: original\n',
      `    status: original\n    respondent_id: null\n    weight: id\n${extra}`,
    ),
  );
  return root;
}

const ids = Array.from({ length: 24 }, (_, i) => 101 + i);

describe('weights in a workbook and an SPSS file', () => {
  it('are read as from the CSV, and weight the results the same', async () => {
    const csv = await weightedBy('', 'data/responses.csv');
    const xlsx = await weightedBy('responses.xlsx', 'data/responses.xlsx', '    header_row: 2\n');
    const sav = await weightedBy('responses.sav', 'data/responses.sav');
    const results = [];
    for (const root of [csv, xlsx, sav]) {
      const { codebook } = await loadDesign(root);
      const { results: r, rows, dialect } = await aggregate(root, codebook);
      expect(rows().weights).toEqual(ids);
      const file = dialect.file ?? 'data/responses.csv';
      expect((await loadRows(root, file, codebook, dialect)).weights).toEqual(ids);
      results.push(r);
    }
    const [fromCsv, fromXlsx, fromSav] = results;
    expect(fromCsv?.weighted?.column).toBe('id');
    expect(fromCsv?.weighted?.respondents).toBe(ids.reduce((s, x) => s + x, 0));
    expect(fromXlsx).toEqual(fromCsv);
    expect(fromSav).toEqual(fromCsv);
    // a weighted share, not the unweighted one
    const sexo = fromCsv?.questions.find((q) => q.id === 'sexo');
    const women = sexo?.options.find((o) => o.code === 'mujer');
    expect(women?.proportion).not.toBe((women?.count ?? 0) / (sexo?.n ?? 1));
  });

  it('publishes the weight column of a workbook or SPSS file', async () => {
    const sav = await weightedBy('responses.sav', 'data/responses.sav');
    const { codebook } = await loadDesign(sav);
    const bytes = new Uint8Array(await readFile(join(sav, 'data/responses.sav')));
    const csv = String(await publishedTableResponses(bytes, 'data/responses.sav', 'sav', codebook));
    const lines = csv.split('\n');
    expect(lines[0]?.endsWith(',id')).toBe(true);
    expect(lines[1]?.endsWith(',101')).toBe(true);
  });

  it('a weight that is not a number in a workbook is bad input at its row', async () => {
    const xlsx = await weightedBy('responses.xlsx', 'data/responses.xlsx', '    header_row: 2\n');
    // the export's timestamp column as the weight: its first cell, on row 3, is a date
    const path = join(xlsx, 'data/codebook.yaml');
    await writeFile(
      path,
      (await readFile(path, 'utf8'))
        .replace('    respondent_id: null\n', '')
        .replace('weight: id', 'weight: Marca temporal'),
    );
    const result = await runCli(['verify', '--root', xlsx]);
    expect(result.err).toMatch(
      /data\/responses\.xlsx:3: weight "2024-05-02T09:00:00Z" is not a number/,
    );
    expect(result.code).toBe(2);
  });
});
