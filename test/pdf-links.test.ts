import { extractText, getDocumentProxy } from 'unpdf';
import { describe, expect, it } from 'vitest';
import { build } from '../src/build.js';
import { pdfLinkTarget } from '../src/render/pdf-links.js';
import { copyStudy, editFile } from './helpers.js';

/** The PDF travels alone: its links to the site's files must work, or not pretend to. */

/** Every link annotation's address in a PDF, and its text as pdf.js reads it. */
async function linksOf(bytes: Uint8Array) {
  const doc = await getDocumentProxy(new Uint8Array(bytes));
  const urls: string[] = [];
  for (let i = 1; i <= doc.numPages; i++)
    for (const a of (await (await doc.getPage(i)).getAnnotations()) as {
      url?: string;
      unsafeUrl?: string;
    }[]) {
      // pdf.js gives a relative address only as `unsafeUrl`
      const url = a.url ?? a.unsafeUrl;
      if (url) urls.push(url);
    }
  const { text } = await extractText(await getDocumentProxy(new Uint8Array(bytes)), {
    mergePages: true,
  });
  return { urls, text };
}

async function pdfOf(url?: string) {
  const root = await copyStudy();
  if (url)
    await editFile(root, 'data/codebook.yaml', (t) =>
      t.replace('  version: "1.0"\n', `  version: "1.0"\n  url: ${url}\n`),
    );
  const { files } = await build({ root, formats: ['pdf'], langs: ['es'] });
  const name = [...files.keys()].find((f) => f.endsWith('.pdf')) as string;
  return linksOf(files.get(name) as Uint8Array);
}

describe('links of the PDF', () => {
  it("with the study's published address, every link to a data file or chart spec is absolute", async () => {
    const { urls } = await pdfOf('https://example.org/report');
    expect(urls).toContain('https://example.org/report/data/responses.csv');
    expect(urls).toContain('https://example.org/report/manifest.json');
    expect(urls).toContain('https://example.org/report/es/charts/knowledge.vl.json');
    for (const url of urls) expect(url).toMatch(/^https?:\/\//);
  });

  it('without one, the path in the site is printed as text and no link is dead', async () => {
    const { urls, text } = await pdfOf();
    for (const url of urls) expect(url).toMatch(/^https?:\/\//);
    expect(urls.some((u) => u.includes('responses.csv'))).toBe(false);
    const flat = text.replace(/\s+/g, '');
    expect(flat).toContain('data/responses.csv:');
    expect(flat).toContain('es/charts/knowledge.vl.json');
  });

  it('maps each kind of address', () => {
    const bare = pdfLinkTarget(undefined, 'es/index.html');
    expect(bare('../data/a%20b.csv')).toEqual({ text: 'data/a b.csv' });
    expect(bare('charts/q.vl.json')).toEqual({ text: 'es/charts/q.vl.json' });
    expect(bare('https://hdl.handle.net/1/2')).toBe('https://hdl.handle.net/1/2');
    expect(bare('mailto:a@example.org')).toBe('mailto:a@example.org');
    expect(bare('//example.org/x')).toBe('//example.org/x');
    const site = pdfLinkTarget('https://example.org/r/', 'en/index.html');
    expect(site('../data/results.json#q1')).toBe('https://example.org/r/data/results.json#q1');
    expect(site('../manifest.json')).toBe('https://example.org/r/manifest.json');
  });
});
