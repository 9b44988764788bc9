import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { nearbyLines } from '../src/scan/extract.js';
import { findNumbers } from '../src/scan/numbers.js';
import { projectRoot, runCli } from './helpers.js';

const kinds = (text: string) =>
  findNumbers([{ text, line: 1, column: 1 }]).map((f) => [f.printed, f.kind]);

describe('what a chart or a title page prints', () => {
  it('reads a version as a reference, not a share', () => {
    expect(kinds('Report date: November 29, 2026. Version: 1.0.')).toContainEqual([
      '1.0',
      'reference',
    ]);
    expect(kinds('Versión 2.1 del informe')).toContainEqual(['2.1', 'reference']);
    // a share after other words is still a share
    expect(kinds('El 1.0 % lo conoce')).toContainEqual(['1.0 %', 'share']);
  });

  it('reads 0 %, 50 % and 100 % alone on a line as an axis, and not the same figures in a sentence', () => {
    expect(kinds('0%      50%     100%').map(([, k]) => k)).toEqual([
      'reference',
      'reference',
      'reference',
    ]);
    expect(kinds('De 0% a 50% y luego 100%').some(([, k]) => k === 'reference')).toBe(false);
  });

  it("reads a chart's label with its own figure's lines, not the next section's", () => {
    const lines = [
      'Chaque mois 33,3 %',
      'Rarement 16,7 %',
      '0% 50% 100%',
      'Fig. 1. Fréquence des visites : part des réponses',
      '1.2 Satisfaction envers le fonds',
      '60 % sont satisfaits',
    ];
    expect(nearbyLines(lines, 1)).toEqual(lines.slice(0, 4));
    // and it stops at a heading above it, too
    expect(nearbyLines(['1.1 Visites', 'Rarement 16,7 %'], 1)).toEqual(['Rarement 16,7 %']);
  });
});

describe('scan through the command, streamed', () => {
  it('recounts subgroup claims from the rows (not 0/0)', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'scan-group-'));
    const text = join(dir, 'abstract.txt');
    await writeFile(text, '69.2% of the men (9 of 13) and 58.8% of the women are satisfied.\n');
    const { code, out } = await runCli([
      'scan',
      '--root',
      join(projectRoot, 'test/fixtures/group-survey'),
      text,
    ]);
    expect(out).toMatch(/men-satisfied\s.*verified/);
    expect(out).not.toMatch(/0\/0/);
    expect(code).toBe(0);
  });
});
