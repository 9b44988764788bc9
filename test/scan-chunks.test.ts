import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { scanFile, scanFileStreamed } from '../src/commands.js';
import { chunksOf } from '../src/scan/chunks.js';
import { segments } from '../src/scan/extract.js';
import { type Found, findNumbers, numberBatches, separable } from '../src/scan/numbers.js';
import { scanTable } from '../src/scan/table.js';
import { projectRoot } from './helpers.js';

interface Case {
  name: string;
  text: string;
  n?: number;
  study?: boolean;
}

const corpus = parse(
  await readFile(join(projectRoot, 'test/fixtures/scan/corpus.yaml'), 'utf8'),
) as { texts: Case[] };
const dir = await mkdtemp(join(tmpdir(), 'scan-chunks-'));
const plain = { green: String, red: String, yellow: String, dim: String };

/** The whole-text scan and the chunked one (chunks of `size` characters), as JSON and as the table. */
async function both(
  file: string,
  kind: 'text' | 'markdown' | 'html',
  options: { n?: number; study: boolean },
  size: number,
) {
  const root = options.study ? projectRoot : dir;
  const common = { ...(options.n === undefined ? {} : { n: options.n }), noStudy: !options.study };
  const { scan } = await scanFile(root, file, { ...common, as: kind });
  const whole = {
    json: `${JSON.stringify({ schema_version: 1, ...scan }, null, 2)}\n`,
    table: `${scanTable(scan, plain)}\n`,
  };
  const streamed = { json: '', table: '' };
  for (const as of ['json', 'table'] as const) {
    await scanFileStreamed(root, file, {
      ...common,
      kind,
      as,
      paint: plain,
      schemaVersion: 1,
      size,
      write: (text) => {
        streamed[as] += text;
      },
    });
  }
  return { whole, streamed, scan };
}

describe('scan in chunks reads as scan of the whole text', () => {
  it.each(corpus.texts.map((c) => [c.name, c] as const))('%s', async (_, c) => {
    const file = join(dir, `${c.name.replace(/\W+/g, '-')}.txt`);
    // each sentence on a line of its own, so that the text is cut between them
    await writeFile(file, `${c.text.replace(/([.;]) (?=\p{Lu})/gu, '$1\n')}\n`);
    const { whole, streamed } = await both(file, 'text', { n: c.n, study: c.study ?? false }, 1);
    expect(streamed.json).toBe(whole.json);
    expect(streamed.table).toBe(whole.table);
  });

  const texts = corpus.texts.filter((c) => !c.study);
  it.each([
    ['text', 'txt', texts.map((c) => c.text).join('\n\n')],
    [
      'markdown',
      'md',
      `# Results[^a]\n\n${texts.map((c, i) => (i % 3 === 0 ? `- ${c.text}\n  continued 12 %` : i % 3 === 1 ? `> ${c.text}` : `${c.text} [see][r1]`)).join('\n\n')}\n\n\`\`\`\nx = 3\n\n93 %\n\`\`\`\n\n[r1]: https://example.org/1\n[^a]: A note of 2019.\n`,
    ],
    [
      'html',
      'html',
      `<!doctype html><html><body><main class="x">\n<h1>Results 2020</h1>\n${texts.map((c, i) => (i % 2 ? `<p>${c.text}\n<div><p>inside 45 %</div>` : `<table><tr><td>${c.text}</td><td>12</td></tr>\n<tr><td>b 13 %</td></tr></table>`)).join('\n')}\n<script>\nvar a = 93;\n</script>\n</main></body></html>\n`,
    ],
  ] as const)('a %s text cut at every point it can be', async (kind, ext, text) => {
    const file = join(dir, `all.${ext}`);
    await writeFile(file, text);
    let chunks = 0;
    for await (const _ of chunksOf(file, kind, 1)) chunks++;
    expect(chunks).toBeGreaterThan(texts.length / 2);
    const { whole, streamed, scan } = await both(file, kind, { n: 40, study: false }, 1);
    expect(scan.numbers.length).toBeGreaterThan(50);
    expect(streamed.json).toBe(whole.json);
    expect(streamed.table).toBe(whole.table);
  });

  it('reads texts against the study in chunks as whole', async () => {
    for (const name of ['review.md', 'summary.txt']) {
      const file = join(projectRoot, 'test/fixtures/scan', name);
      const kind = name.endsWith('.md') ? 'markdown' : 'text';
      const { whole, streamed, scan } = await both(file, kind, { study: true }, 1);
      expect(scan.numbers.filter((n) => n.claim).length).toBeGreaterThanOrEqual(3);
      expect(streamed.json).toBe(whole.json);
      expect(streamed.table).toBe(whole.table);
    }
  });
});

describe('what cannot be cut is bounded', () => {
  const chunks = async (file: string, kind: 'text' | 'markdown' | 'html') => {
    let n = 0;
    for await (const _ of chunksOf(file, kind)) n++;
    return n;
  };

  it('a line longer than 1 MB is refused at its line, without reading the rest of it', async () => {
    const file = join(dir, 'long-line.txt');
    await writeFile(
      file,
      `${'a short line, 5 %\n'.repeat(10)}${'x 5 % '.repeat(1_000_000)}\nend\n`,
    );
    await expect(chunks(file, 'text')).rejects.toThrow(
      `${file}:11: more than 1 MB of text without a place scan can cut it at (one line, or one paragraph, list or table) (break it into lines or paragraphs: scan reads at most 1 MB at once)`,
    );
    const html = join(dir, 'long-paragraph.html');
    await writeFile(html, `<html><body>\n<p>${'x 5 %\n'.repeat(300_000)}</p>\n</body></html>\n`);
    await expect(chunks(html, 'html')).rejects.toThrow(`${html}:2: more than 1 MB of text`);
  });

  it('a list nested too deep is refused at its line, before its block is read whole', async () => {
    const file = join(dir, 'deep-list.md');
    // one block of about 30 MB: the list never ends where a chunk could be cut
    const line = (i: number) => `${'  '.repeat(i % 300)}- item 5 %\n`;
    await writeFile(file, Array.from({ length: 100_000 }, (_, i) => line(i)).join(''));
    await expect(chunks(file, 'markdown')).rejects.toThrow(
      `${file}:257: nested more than 256 levels deep`,
    );
  });

  it('takes 1 MB of text cut into lines, whatever the lines', async () => {
    const file = join(dir, 'many-lines.txt');
    await writeFile(file, 'x 5 %\n'.repeat(400_000));
    expect(await chunks(file, 'text')).toBeGreaterThan(20);
  });
});

describe('the numbers of one long line are judged in batches as all at once', () => {
  const line = corpus.texts
    .filter((c) => !c.study)
    .map((c) => c.text.replace(/\s*\n\s*/g, ' '))
    .join(' ');

  it('ends a batch only where the next number is separable from it', () => {
    for (const size of [1, 2, 7]) {
      const whole = findNumbers(segments(line, 'text'));
      const batches = [...numberBatches(segments(line, 'text'), undefined, size)];
      expect(batches.length).toBeGreaterThan(whole.length / 20);
      expect(batches.flat()).toEqual(whole);
      for (let i = 1; i < batches.length; i++) {
        const last = batches[i - 1]?.at(-1);
        const next = batches[i]?.[0];
        if (!last || !next) continue;
        expect(separable(last, next)).toBe(true);
      }
    }
  });

  it('never between two numbers of one sentence, nor inside a run of axis ticks', () => {
    const text = 'Of them, 37 (92.5%) said no. Ticks 0 10. Then 20 30. Then 3 (7.5%).';
    const found = findNumbers(segments(text, 'text'));
    const [a, b, c, d, e, f, g] = found as [Found, Found, Found, Found, Found, Found, Found];
    expect(separable(a, b)).toBe(false);
    // 92.5 % and 0: another sentence, and not rising
    expect(separable(b, c)).toBe(true);
    // 10 and 20: another sentence, but the run of ticks 0, 10, 20, 30 goes on
    expect(e.sentence).not.toBe(d.sentence);
    expect([c, d, e, f].every((t) => t.kind === 'reference')).toBe(true);
    expect(separable(d, e)).toBe(false);
    expect(separable(f, g)).toBe(true);
    expect(numberBatches(segments(text, 'text'), undefined, 1).next().value).toEqual([a, b]);
  });

  it('writes what the whole text gives, for a line of more numbers than a batch', async () => {
    const file = join(dir, 'long-line-of-numbers.txt');
    const sentence = (i: number) =>
      `Of them, ${10 + (i % 30)} (${((100 * (10 + (i % 30))) / 40).toFixed(1)}%) said no and ${30 - (i % 30)} (${((100 * (30 - (i % 30))) / 40).toFixed(1)}%) yes.`;
    await writeFile(file, Array.from({ length: 700 }, (_, i) => sentence(i)).join(' '));
    for (const study of [false, true]) {
      const { whole, streamed, scan } = await both(
        file,
        'text',
        { n: study ? undefined : 40, study },
        1 << 16,
      );
      expect(scan.numbers.length).toBe(2800);
      expect(streamed.json).toBe(whole.json);
      expect(streamed.table).toBe(whole.table);
    }
  });
});
