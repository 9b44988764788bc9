import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cellValue, loadWorkbook, openWorkbook, readWorkbook } from '../src/load/xlsx.js';

const fixture = (name: string) => join(import.meta.dirname, 'fixtures/formats', name);
const bytesOf = async (name: string) => new Uint8Array(await readFile(fixture(name)));

describe('the streamed workbook reader', () => {
  it('gives the cells the whole-workbook reader gives (typed numbers, dates, text)', async () => {
    for (const [name, headerRow] of [
      ['responses.xlsx', 2],
      ['kobo.xlsx', 1],
    ] as const) {
      const bytes = await bytesOf(name);
      const streamed = await readWorkbook(bytes, name, { headerRow });
      const sheet = (await loadWorkbook(bytes, name)).worksheets[0];
      if (!sheet) throw new Error('no sheet');
      const header = streamed.columns.map((c) => c.header);
      expect(header).toEqual(
        header.map((_, i) =>
          String(cellValue(sheet.getRow(headerRow).getCell(i + 1).value, name, 0)),
        ),
      );
      const whole = [];
      for (let r = headerRow + 1; r <= sheet.rowCount; r++)
        whole.push({
          line: r,
          cells: header.map((_, i) => cellValue(sheet.getRow(r).getCell(i + 1).value, name, r)),
        });
      expect(streamed.rows).toEqual(whole);
      if (name === 'responses.xlsx')
        expect(streamed.rows.some((r) => r.cells.some((c) => c instanceof Date))).toBe(true);
    }
  });

  it('reads a workbook whose shared strings follow its sheet every time (the header is text)', async () => {
    // kobo.xlsx stores xl/sharedStrings.xml after xl/worksheets/sheet1.xml
    const bytes = await bytesOf('kobo.xlsx');
    const headers = new Set<string>();
    for (let i = 0; i < 40; i++) {
      const { head } = await openWorkbook(bytes, 'kobo.xlsx');
      headers.add(head.columns.map((c) => c.header).join(','));
    }
    expect([...headers]).toHaveLength(1);
    expect([...headers][0]).toMatch(/^start,end,perfil\/sexo/);
  });

  it('refuses merged header cells, found after the rows, before giving the last row', async () => {
    const { rows } = await openWorkbook(await bytesOf('bad/merged-header.xlsx'), 'm.xlsx', {
      headerRow: 2,
    });
    const read = async () => {
      for await (const _ of rows());
    };
    await expect(read()).rejects.toThrow(/m\.xlsx:2: merged header cells E2:F2/);
  });

  it('names a missing sheet and the sheets there are', async () => {
    await expect(
      openWorkbook(await bytesOf('responses.xlsx'), 'r.xlsx', { sheet: 'Otra' }),
    ).rejects.toThrow(/no sheet "Otra".*"Respuestas"/);
  });

  it('says a truncated workbook is not readable, in one line', async () => {
    const bytes = await bytesOf('responses.xlsx');
    await expect(
      openWorkbook(bytes.subarray(0, bytes.length >> 1), 't.xlsx', { headerRow: 2 }),
    ).rejects.toThrow(/^t\.xlsx: not a readable Excel workbook/);
  });
});
