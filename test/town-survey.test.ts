import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { build } from '../src/build.js';
import { projectRoot, runBin } from './helpers.js';

const root = join(projectRoot, 'test/fixtures/town-survey');

describe('the study of every question type', () => {
  it('builds both languages in HTML and PDF, with each type’s table and chart', async () => {
    const outDir = await mkdtemp(join(tmpdir(), 'town-'));
    const { files, verification } = await build({ root, outDir });
    expect(verification.ok).toBe(true);
    for (const lang of ['es', 'en']) {
      const html = String(files.get(`${lang}/index.html`));
      const pdf = files.get(`${lang}/town-survey.${lang}.pdf`) as Uint8Array;
      expect(Buffer.from(pdf).subarray(0, 5).toString()).toBe('%PDF-');
      // a diverging chart of the battery, sorted by agreement, and one of three items
      const battery = String(
        files.get(
          `${lang}/charts/likert-cleanliness-lighting-safety-parks-transport-waste-agree.svg`,
        ),
      );
      expect(battery).toContain('<svg');
      const spec = JSON.parse(
        String(
          files.get(
            `${lang}/charts/likert-cleanliness-lighting-safety-parks-transport-waste-agree.vl.json`,
          ),
        ),
      );
      const items = [...new Set(spec.data.values.map((v: { item: string }) => v.item))];
      // lighting has the most agreement, transport the least
      expect(items[0]).toMatch(lang === 'es' ? /alumbrado/ : /lighting/);
      // left of zero: the disagreeing options; the neutral one straddles zero
      const neutral = spec.data.values.find(
        (v: { option: string; order: number }) => v.order === 0 && v.option.match(/Ni de|Neither/),
      );
      expect(neutral.start).toBeLessThan(0);
      expect(neutral.end).toBeGreaterThan(0);
      expect(files.has(`${lang}/charts/likert-transport-waste-cleanliness.svg`)).toBe(true);
      expect(html).toContain('chart-likert-transport-waste-cleanliness');
      // a histogram of income, bars sorted by share for a multiple question
      expect(String(files.get(`${lang}/charts/income.vl.json`))).toContain('"binned": true');
      const channels = JSON.parse(String(files.get(`${lang}/charts/channels.vl.json`)));
      const shares = channels.data.values.map((v: { proportion: number }) => v.proportion);
      expect(shares).toEqual([...shares].sort((a: number, b: number) => b - a));
      expect(files.has(`${lang}/charts/comment.svg`)).toBe(false);
      // the tables: SPSS frequencies, a multiple question's note, open answers
      expect(html).toContain(lang === 'es' ? 'Porcentaje válido' : 'Valid percent');
      expect(html).toContain(
        lang === 'es' ? 'pueden sumar más de 100' : 'may add up to more than 100',
      );
      expect(html).toContain('Good library, but it closes too early.');
      expect(html).toContain('More sports for young people &#x3C;please>!');
    }
    // open answers that are not published appear nowhere in out/
    const published = String(files.get('data/responses.csv'));
    expect(published.split('\n')[0]).not.toContain('contact');
    for (const [path, content] of files)
      if (typeof content === 'string') expect(content, path).not.toMatch(/[;,"]9\d{8}\b/);
    expect(await readFile(join(outDir, 'data/README.txt'), 'utf8')).toContain(
      'the open answers of contact are left out',
    );
  });

  it('scans a text: a mean, a median, a multiple question’s share and count, a top box', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'town-scan-'));
    const file = join(dir, 'summary.txt');
    await writeFile(
      file,
      'The mean age is 45.1 years and the median age is 44. Of those who answered, 59.9% hear about the council on social media, 112 residents. 73% think street lighting works well. The mean age is 45.3 years.\n',
    );
    const { code, out } = runBin(['scan', file, '--root', root, '--json']);
    const scan = JSON.parse(out) as {
      numbers: { printed: string; claim?: { id: string }; verdict: string }[];
    };
    expect(scan.numbers.map((n) => [n.printed, n.claim?.id, n.verdict])).toEqual([
      ['45.1', 'age-mean', 'verified'],
      ['44', 'age-median', 'verified'],
      ['59.9%', 'channels-social-media', 'verified'],
      ['112', 'channels-social-media', 'verified'],
      ['73%', 'lighting-agree', 'verified'],
      ['45.3', 'age-mean', 'fails'],
    ]);
    expect(code).toBe(1);
  });

  it('verifies with the command line, exit 0', () => {
    const { code, out } = runBin(['verify', '--root', root]);
    expect(code).toBe(0);
    expect(out).toContain('20 passed, 0 failed');
  });
});
