import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { scanFile } from '../src/commands.js';
import { projectRoot } from './helpers.js';

const dir = await mkdtemp(join(tmpdir(), 'scan-tables-'));

const markdown = (rows: string[][], total: string[]) =>
  [
    'Se encuestó a 40 microempresarios.',
    '',
    '| Respuesta | n | % |',
    '|---|---:|---:|',
    ...[...rows, total].map((r) => `| ${r.join(' | ')} |`),
    '',
  ].join('\n');
const html = (rows: string[][], total: string[]) =>
  `<p>Se encuestó a 40 microempresarios.</p>\n<table><thead><tr><th>Respuesta</th><th>n</th><th>%</th></tr></thead><tbody>\n${[
    ...rows,
    total,
  ]
    .map((r) => `<tr>${r.map((c) => `<td>${c}</td>`).join('')}</tr>`)
    .join('\n')}\n</tbody></table>\n`;

const wrong = [
  ['Sí', '12', '30,0'],
  ['No', '10', '25,0'],
  ['No sabe', '5', '12,0'],
];
const right = [
  ['Sí', '12', '30,0'],
  ['No', '10', '25,0'],
  ['No sabe', '18', '45,0'],
];
// three rows rounded to one decimal: 33.3 + 33.3 + 33.3 is 100 within rounding
const thirds = [
  ['Sí', '1', '33,3'],
  ['No', '1', '33,3'],
  ['No sabe', '1', '33,3'],
];

async function scan(name: string, text: string, study = false) {
  const file = join(dir, name);
  await writeFile(file, text);
  return (await scanFile(study ? projectRoot : dir, file, { noStudy: !study })).scan;
}

describe("a table's columns add up", () => {
  for (const [kind, make] of [
    ['md', markdown],
    ['html', html],
  ] as const) {
    it(`fails a ${kind} table whose column adds up to 67 %, and says which column`, async () => {
      for (const study of [false, true]) {
        const s = await scan(`wrong.${kind}`, make(wrong, ['**Total**', '40', '100,0']), study);
        expect(s.ok).toBe(false);
        const notes = s.sums.map((x) => [x.total, x.expected, x.ok, x.note]);
        expect(notes).toContainEqual([
          67,
          100,
          false,
          expect.stringMatching(/"%" .* adds up to 67, not/),
        ]);
        expect(notes).toContainEqual([
          27,
          40,
          false,
          expect.stringMatching(/"n" .* adds up to 27, not/),
        ]);
        // the total row is a total, but no verified figure of its own
        const totals = s.numbers.filter((n) => n.kind === 'total');
        expect(totals.map((n) => n.printed)).toEqual(['40', '100,0']);
        expect(totals.every((n) => n.verdict === 'unchecked')).toBe(true);
      }
    });

    it(`passes a ${kind} table whose columns add up, within the rounding of its rows`, async () => {
      const s = await scan(`right.${kind}`, make(right, ['Total', '40', '100,0']));
      expect(s.sums.map((x) => [x.total, x.ok])).toEqual([
        [40, true],
        [100, true],
      ]);
      expect(s.ok).toBe(true);
      const t = await scan(`thirds.${kind}`, make(thirds, ['Total', '3', '100,0']));
      expect(t.sums.map((x) => [x.total, x.ok])).toEqual([
        [3, true],
        [99.9, true],
      ]);
    });

    it(`checks a ${kind} table with no total row when its counts add up to the n`, async () => {
      const s = await scan(`no-total.${kind}`, make(wrong.slice(0, 2), ['No sabe', '18', '12,0']));
      expect(s.sums.map((x) => [x.total, x.expected, x.ok])).toEqual([[67, 100, false]]);
      // a list of items, not of every answer: not summed
      const items = await scan(
        `items.${kind}`,
        make(
          [
            ['Precio', '12', '30,0'],
            ['Calidad', '10', '25,0'],
          ],
          ['Atención', '5', '12,5'],
        ),
      );
      expect(items.sums).toEqual([]);
    });
  }

  it('does not add up row percentages, means or medians, whose total row is no column sum', async () => {
    const rows = [
      '| Nivel | Hombres | Mujeres |',
      '|---|---:|---:|',
      '| Primaria | 40,0 % | 60,0 % |',
      '| Secundaria | 55,0 % | 45,0 % |',
      '| Total | 48,0 % | 52,0 % |',
      '',
      '| Región | Media | Mediana |',
      '|---|---:|---:|',
      '| Norte | 3,2 | 1200 |',
      '| Sur | 3,6 | 1500 |',
      '| Total | 3,4 | 1350 |',
    ];
    const s = await scan('margins.md', `Se encuestó a 40 personas.\n\n${rows.join('\n')}\n`);
    expect(s.sums).toEqual([]);
    expect(s.ok).toBe(true);
  });
});
