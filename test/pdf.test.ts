import { execFileSync } from 'node:child_process';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { extractText, getDocumentProxy } from 'unpdf';
import { beforeAll, describe, expect, it } from 'vitest';
import { build } from '../src/build.js';
import { loadDesign } from '../src/load/study.js';
import { copyStudy, projectRoot } from './helpers.js';

const { codebook } = await loadDesign(projectRoot);
const langs = codebook.study.languages.map((l) => l.code);
const pdfName = (lang: string) => `${codebook.study.id}.${lang}.pdf`;

const havePdftotext = (() => {
  try {
    execFileSync('pdftotext', ['-v'], { stdio: 'ignore' });
    return true;
  } catch {
    const message = 'PDF text tests need pdftotext (apt-get install poppler-utils)';
    if (process.env.CI) throw new Error(message);
    console.warn(`${message}; skipping only them`);
    return false;
  }
})();

interface StructNode {
  role?: string;
  alt?: string;
  children?: StructNode[];
}

/** Every node of the PDF's structure tree (pdf.js getStructTree), page by page, in order. */
async function structure(bytes: Uint8Array): Promise<StructNode[]> {
  const doc = await getDocumentProxy(new Uint8Array(bytes));
  const nodes: StructNode[] = [];
  const walk = (node: StructNode) => {
    if (node.role) nodes.push(node);
    for (const child of node.children ?? []) walk(child);
  };
  for (let i = 1; i <= doc.numPages; i++) {
    const tree = (await (await doc.getPage(i)).getStructTree()) as StructNode | null;
    if (tree) walk(tree);
  }
  return nodes;
}

async function pdftotext(bytes: Uint8Array): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'pdf-'));
  await writeFile(join(dir, 'a.pdf'), bytes);
  return execFileSync('pdftotext', ['-enc', 'UTF-8', join(dir, 'a.pdf'), '-'], {
    encoding: 'utf8',
  });
}

/** The text pdf.js gives, as `report scan` reads a PDF. */
async function pdfjsText(bytes: Uint8Array): Promise<string> {
  const { text } = await extractText(await getDocumentProxy(new Uint8Array(bytes)), {
    mergePages: true,
  });
  return text;
}

const decode = (s: string) =>
  s.replace(/&#x([\da-f]+);|&(amp|lt|gt|quot);/gi, (_, hex: string, name: string) =>
    hex
      ? String.fromCodePoint(Number.parseInt(hex, 16))
      : (({ amp: '&', lt: '<', gt: '>', quot: '"' } as Record<string, string>)[name] ?? ''),
  );

let files: Map<string, string | Uint8Array>;
const pdf = (lang: string) => files.get(`${lang}/${pdfName(lang)}`) as Uint8Array;
const html = (lang: string) => String(files.get(`${lang}/index.html`));

beforeAll(async () => {
  files = (await build({ root: await copyStudy(), dryRun: true })).files;
});

describe.each(langs)('the %s PDF', (lang) => {
  it('is tagged: headings, tables and figures in its structure tree', async () => {
    const nodes = await structure(pdf(lang));
    const roles = nodes.map((n) => n.role);
    expect(roles).toContain('Document');
    const headings = nodes.filter((n) => /^H\d$/.test(n.role ?? ''));
    const htmlHeadings =
      html(lang)
        .match(/<main[\s\S]*<\/main>/)?.[0]
        .match(/<h[2-4][ >]/g) ?? [];
    // every section heading of the body, plus the outline's title
    expect(headings.length).toBeGreaterThanOrEqual(htmlHeadings.length);
    expect(roles.filter((r) => r === 'Table').length).toBeGreaterThanOrEqual(
      codebook.questions.length + 1,
    );
  });

  it("gives each chart the data description of the page's SVG as alt text", async () => {
    const figures = (await structure(pdf(lang))).filter((n) => n.role === 'Figure');
    const descs = [...html(lang).matchAll(/<desc id="chart-[^"]+">([^<]*)<\/desc>/g)].map((m) =>
      decode(m[1] ?? ''),
    );
    expect(descs).toHaveLength(codebook.questions.length);
    expect(figures.map((f) => f.alt)).toEqual(descs);
  });

  it.runIf(havePdftotext)(
    'extracts its figures, dashes and hyphens as printed (pdftotext and pdf.js)',
    async () => {
      const intervals = [
        ...html(lang).matchAll(
          /<td align="right"[^>]*>(?:<span class="nowrap">)?([^<]*\d%?\s?[–-]\s?\d[^<]*)</g,
        ),
      ].map((m) => decode(m[1] ?? ''));
      expect(intervals.length).toBeGreaterThan(20);
      const hyphenated = [
        ...new Set(
          html(lang)
            .replace(
              /<head[\s\S]*?<\/head>|<script[\s\S]*?<\/script>|<svg[\s\S]*?<\/svg>|<[^>]+>/g,
              ' ',
            )
            .match(/\p{L}[\p{L}\d]*-[\p{L}\d]+/gu) ?? [],
        ),
      ];
      expect(hyphenated.length).toBeGreaterThan(0);
      for (const text of [await pdftotext(pdf(lang)), await pdfjsText(pdf(lang))]) {
        const flat = text.replace(/\s+/g, ' ');
        for (const interval of intervals) expect(flat).toContain(interval);
        for (const word of hyphenated) expect(flat).toContain(word);
        expect(flat).toContain('SHA-256');
        expect(flat).not.toMatch(/SHA 256|\d%? B \d|micro!/);
      }
    },
  );

  it('stays small: within twice the size of the untagged PDF of Typst 0.13 (150 kB)', () => {
    expect(pdf(lang).byteLength).toBeLessThan(300_000);
  });
});
