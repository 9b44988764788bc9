import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { scanFile } from '../src/commands.js';
import { projectRoot } from './helpers.js';

interface Case {
  name: string;
  text: string;
  n?: number;
  study?: boolean;
  expect: [string, string, string][];
  sums?: [number, boolean][];
}

const corpus = parse(
  await readFile(join(projectRoot, 'test/fixtures/scan/corpus.yaml'), 'utf8'),
) as { texts: Case[] };
const dir = await mkdtemp(join(tmpdir(), 'scan-corpus-'));

describe('the scan corpus: every number gets its expected kind and verdict', () => {
  it.each(corpus.texts.map((c) => [c.name, c] as const))('%s', async (_, c) => {
    const file = join(dir, `${c.name.replace(/\W+/g, '-')}.txt`);
    await writeFile(file, `${c.text}\n`);
    const { scan } = await scanFile(c.study ? projectRoot : dir, file, {
      ...(c.n === undefined ? {} : { n: c.n }),
      noStudy: !c.study,
    });
    expect(scan.numbers.map((n) => [n.printed, n.kind, n.verdict])).toEqual(c.expect);
    if (c.sums) expect(scan.sums.map((s) => [s.total, s.ok])).toEqual(c.sums);
    // exit 1 only for fails, impossible shares and sums that do not add up
    const bad =
      c.expect.some(([, , v]) => v === 'fails' || v === 'impossible') ||
      (c.sums ?? []).some(([, ok]) => !ok);
    expect(scan.ok).toBe(!bad);
  });

  it('makes notes fail under --strict', async () => {
    const file = join(dir, 'strict.txt');
    await writeFile(file, 'Un 13,2 % prefiere exportar a Chile.\n');
    expect((await scanFile(dir, file, { n: 40 })).scan.ok).toBe(true);
    expect((await scanFile(dir, file, { n: 40, strict: true })).scan.ok).toBe(false);
  });
});

describe('scan bounds', () => {
  it('reads 25 000 numbers on one line in time linear in their count', async () => {
    const { segments } = await import('../src/scan/extract.js');
    const { findNumbers } = await import('../src/scan/numbers.js');
    const time = (count: number) => {
      const line = Array.from({ length: count }, (_, i) => `${i % 97},5 %`).join(' y ');
      const start = process.hrtime.bigint();
      const found = findNumbers(segments(line, 'text'));
      expect(found).toHaveLength(count);
      return Number(process.hrtime.bigint() - start);
    };
    time(2000);
    // a quadratic reading takes 100 times as long for 10 times the numbers; linear, about 10
    expect(time(25000) / time(2500)).toBeLessThan(40);
  });

  it('refuses HTML and Markdown nested deeper than its limit with exit 2, naming the line', async () => {
    const html = join(dir, 'deep.html');
    await writeFile(html, `${'<div>'.repeat(5000)}7,5 %${'</div>'.repeat(5000)}\n`);
    await expect(scanFile(dir, html, { noStudy: true })).rejects.toThrow(
      /deep\.html:1: nested more than 256/,
    );
    const md = join(dir, 'deep.md');
    await writeFile(
      md,
      Array.from({ length: 600 }, (_, i) => `${'  '.repeat(i)}- 7,5 %`).join('\n'),
    );
    await expect(scanFile(dir, md, { noStudy: true })).rejects.toThrow(
      /deep\.md:\d+: nested more than 256/,
    );
  });

  it('counts list markers on one line and emphasis or brackets inside one another as levels', async () => {
    const cases: [string, string, number][] = [
      ['markers.md', `Intro 5 %.\n\n${'- '.repeat(5000)}7,5 %\n`, 3],
      ['mixed.md', `Intro.\n\n${'1. > - '.repeat(2000)}7,5 %\n`, 3],
      ['emphasis.md', `Intro.\n\n${'*a '.repeat(5000)}7,5 %${' b*'.repeat(5000)}\n`, 3],
      ['brackets.md', `Intro.\n\nx\n${'['.repeat(5000)}7,5 %${']'.repeat(5000)}\n`, 4],
    ];
    for (const [name, text, line] of cases) {
      const file = join(dir, name);
      await writeFile(file, text);
      await expect(scanFile(dir, file, { noStudy: true }), name).rejects.toThrow(
        `${file}:${line}: nested more than 256 levels deep (scan reads texts nested at most that deep)`,
      );
    }
    // a thematic break of many markers nests nothing
    const flat = join(dir, 'flat.md');
    await writeFile(flat, `Intro 5 %.\n\n${'- '.repeat(5000)}\n\nEnd.\n`);
    await expect(scanFile(dir, flat, { noStudy: true })).resolves.toBeDefined();
  });
});
