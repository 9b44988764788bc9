import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Root } from 'hast';
import { fromHtml } from 'hast-util-from-html';
import { toString as textOf } from 'hast-util-to-string';
import { extractText, getDocumentProxy } from 'unpdf';
import { beforeAll, describe, expect, it } from 'vitest';
import { build } from '../src/build.js';
import { decimalsOf } from '../src/load/claims.js';
import { loadDesign } from '../src/load/study.js';
import { formatter } from '../src/locale/format.js';
import { builtInStrings, type Strings } from '../src/locale/strings.js';
import { copyStudy, editFile, projectRoot, runBin } from './helpers.js';

const { codebook, claims } = await loadDesign(projectRoot);
const langs = codebook.study.languages;
const pdfName = (lang: string) => `${codebook.study.id}.${lang}.pdf`;

async function pdfText(bytes: Uint8Array): Promise<string> {
  const { text } = await extractText(await getDocumentProxy(new Uint8Array(bytes)), {
    mergePages: true,
  });
  return text.replace(/\s+/g, ' ');
}
/** The text a reader sees: the page's body (the head holds metadata, JSON-LD included). */
const htmlText = (html: string) =>
  textOf(fromHtml(html.replace(/<head>[\s\S]*?<\/head>/, '')) as Root).replace(/\s+/g, ' ');

/** Every published figure, as it must read in a page of this locale. */
function publishedFigures(locale: string): string[] {
  const f = formatter(locale);
  return claims.flatMap((c) => {
    if (c.kind !== 'share' && c.kind !== 'population') return [];
    const figures = c.count === undefined ? [] : [f.count(c.count)];
    if (c.kind === 'share' && typeof c.percent === 'string')
      figures.push(f.percent(Number(c.percent) / 100, decimalsOf(c.percent)));
    return figures;
  });
}

let out: string;
let files: Map<string, string | Uint8Array>;
const text = (path: string) => String(files.get(path));

beforeAll(async () => {
  const root = await copyStudy();
  out = join(root, 'out');
  files = (await build({ root })).files;
});

describe('the built report', () => {
  it('writes pages, PDFs, charts, data and manifest', async () => {
    const written = await readdir(out, { recursive: true });
    for (const { code } of langs) {
      expect(written).toContain(`${code}/index.html`);
      expect(written).toContain(`${code}/${pdfName(code)}`);
      for (const q of codebook.questions) {
        expect(written).toContain(`${code}/charts/${q.id}.svg`);
        expect(written).toContain(`${code}/charts/${q.id}.vl.json`);
      }
    }
    for (const path of [
      'index.html',
      'manifest.json',
      'data/responses.csv',
      'data/results.json',
      'data/verification.json',
    ]) {
      expect(written).toContain(path);
    }
  });

  it.each(langs.map((l) => [l.code, l.locale]))(
    'shows every published figure in the %s page and PDF',
    async (lang, locale) => {
      const html = htmlText(text(`${lang}/index.html`));
      const pdf = await pdfText(files.get(`${lang}/${pdfName(lang)}`) as Uint8Array);
      for (const figure of publishedFigures(locale)) {
        expect(html, `HTML ${lang}: ${figure}`).toContain(figure);
        expect(pdf, `PDF ${lang}: ${figure}`).toContain(figure);
      }
      expect(pdf).toContain(codebook.study.title[lang]?.slice(0, 20));
    },
  );

  it('says in every page and PDF that the data are a reconstruction', async () => {
    for (const { code } of langs) {
      const strings = builtInStrings[code] as Strings;
      const note = codebook.study.data.note[code] ?? '';
      const page = htmlText(text(`${code}/index.html`));
      // in full once (where the template puts it), in one sentence in the banner that points there
      expect(page.split(note.replace(/\s+/g, ' ')).length - 1).toBe(1);
      expect(page.split(strings.reconstructionNotice).length - 1).toBe(1);
      expect(text(`${code}/index.html`)).toMatch(
        /<p class="data-note" role="note"><strong>[^<]+<\/strong> [^<]+<a href="#provenance">/,
      );
      expect(htmlText(text('index.html'))).toContain(strings.reconstructionNotice);
      // the PDF: on its title page, and in the footer of every other page
      const doc = await getDocumentProxy(
        new Uint8Array(files.get(`${code}/${pdfName(code)}`) as Uint8Array),
      );
      const { text: pages } = await extractText(doc, { mergePages: false });
      expect(pages[0]?.replace(/\s+/g, ' ')).toContain(strings.reconstructionNotice);
      for (const pageText of pages.slice(1)) expect(pageText).toContain(strings.reconstruction);
      expect(await pdfText(files.get(`${code}/${pdfName(code)}`) as Uint8Array)).toContain(
        note.replace(/\s+/g, ' ').slice(0, 60),
      );
    }
    expect(text('data/README.txt')).toMatch(/RECONSTRUCTION/);
    for (const path of ['data/results.json', 'data/verification.json']) {
      const { data } = JSON.parse(text(path));
      expect(data.status).toBe('reconstruction');
      expect(data.note).toEqual(codebook.study.data.note);
    }
  });

  it('gives both languages the same sections, figures, tables and claims', () => {
    const ids = (lang: string) =>
      [...text(`${lang}/index.html`).matchAll(/ id="([^"]+)"/g)].map((m) => m[1]);
    const numbers = (lang: string) =>
      [
        ...text(`${lang}/index.html`).matchAll(
          /<td align="right"[^>]*>(?:<span class="nowrap">)?([^<]*)</g,
        ),
      ]
        .map((m) => m[1]?.match(/[\d.,]+/g)?.join(' ') ?? '')
        .filter(Boolean);
    const [a, b] = langs.map((l) => l.code) as [string, string];
    expect(ids(a)).toEqual(ids(b));
    expect(ids(a).filter((id) => id?.startsWith('fig-'))).toHaveLength(codebook.questions.length);
    expect(numbers(a)).toEqual(numbers(b));
    expect(numbers(a).length).toBeGreaterThan(40);
  });

  it('numbers figures and tables and links the other language', () => {
    const html = text('es/index.html');
    expect(html).toContain('<figcaption><strong>Figura 1.</strong>');
    expect(html).toContain('<figcaption><strong>Tabla 1.</strong>');
    expect(html).toMatch(/<html lang="es">/);
    expect(html).toMatch(/<link rel="alternate" hreflang="en" href="..\/en\/index.html">/);
    expect(html).toMatch(/<a href="..\/en\/index.html" hreflang="en" lang="en"/);
  });

  it('inlines accessible charts in the page language', () => {
    const html = text('es/index.html');
    const svgs = html.match(/<svg[^>]*>/g) ?? [];
    expect(svgs).toHaveLength(codebook.questions.length);
    for (const svg of svgs) expect(svg).toMatch(/role="img"/);
    expect(html).toContain(
      '<title id="chart-knowledge-title">Conocimiento del concepto de clúster</title>',
    );
    expect(html).toMatch(
      /<desc id="chart-knowledge-desc">Gráfico de barras horizontales: [^<]*No conoce el significado: 92.5%/,
    );
    const spec = JSON.parse(text('en/charts/knowledge.vl.json'));
    expect(spec.description).toMatch(/^Horizontal bar chart/);
    expect(spec.data.values.map((v: { proportion: number }) => v.proportion)).toEqual([
      0.075, 0.925,
    ]);
  });

  it('fetches nothing: no absolute URL is loaded by any page', () => {
    for (const path of ['index.html', 'es/index.html', 'en/index.html', 'assets/report.css']) {
      expect(text(path)).not.toMatch(/(src|href)="(https?:)?\/\//);
      expect(text(path)).not.toMatch(/url\((["']?)(https?:)?\/\//);
      expect(text(path)).not.toMatch(/(src|href)="\//);
    }
  });

  it('records a SHA-256 for every input and output', () => {
    const manifest = JSON.parse(text('manifest.json'));
    expect(manifest.inputs.map((i: { path: string }) => i.path)).toContain('data/responses.csv');
    const outputs = manifest.outputs.map((o: { path: string }) => o.path);
    expect(outputs).toContain(`es/${pdfName('es')}`);
    expect(outputs.length).toBe(files.size - 1);
    expect(manifest.tools.vega).toMatch(/^\d+\.\d+/);
  });

  it('is byte-identical when built twice', async () => {
    const again = (await build({ root: join(out, '..'), outDir: 'out-again' })).files;
    expect([...again.keys()]).toEqual([...files.keys()]);
    for (const [path, content] of files)
      expect(
        Buffer.compare(
          Buffer.from(again.get(path) as Uint8Array),
          Buffer.from(content as Uint8Array),
        ),
        path,
      ).toBe(0);
  });
});

describe('templates', () => {
  it('reject a number typed by hand, naming template and line', async () => {
    const root = await copyStudy();
    await editFile(root, 'templates/report.en.md.hbs', (t) =>
      t.replace('## Introduction', 'Typed: 92.5 % of them.\n\n## Introduction'),
    );
    const { code, err } = runBin(['build', '--root', root]);
    expect(code).toBe(2);
    expect(err).toMatch(
      /error: templates\/report\.en\.md\.hbs:\d+: the number "92.5 %" is typed by hand/,
    );
    const line =
      (await readFile(join(root, 'templates/report.en.md.hbs'), 'utf8'))
        .split('\n')
        .findIndex((l) => l.startsWith('Typed')) + 1;
    expect(err).toContain(`report.en.md.hbs:${line}:`);
  });

  it('accept a literal through {{lit}}', async () => {
    const root = await copyStudy();
    await editFile(root, 'templates/report.en.md.hbs', (t) =>
      t.replace('## Introduction', 'Since {{lit "2016"}}.\n\n## Introduction'),
    );
    const { files: built } = await build({ root, formats: ['html'], dryRun: true });
    expect(String(built.get('en/index.html'))).toContain('Since 2016.');
  });

  it.each([
    ['unknown question', '{{pct "nonsense" "knows"}}', /\{\{pct\}\}: unknown question "nonsense"/],
    [
      'unknown option',
      '{{pct "knowledge" "maybe"}}',
      /\{\{pct\}\}: unknown option "maybe" of question "knowledge"/,
    ],
    ['unknown helper', '{{percentage "knowledge" "knows"}}', /unknown helper "percentage"/],
    ['syntax error', '{{pct "knowledge" "knows"', /template syntax error/],
  ])('fail on an %s, naming template and line', async (_name, snippet, message) => {
    const root = await copyStudy();
    let line = 0;
    await editFile(root, 'templates/report.es.md.hbs', (t) => {
      const lines = t.split('\n');
      line = lines.findIndex((l) => l.startsWith('## Introducción')) + 1;
      lines.splice(line - 1, 0, `Texto ${snippet} fin.`, '');
      return lines.join('\n');
    });
    const { code, err } = runBin(['build', '--root', root]);
    expect(code).toBe(2);
    expect(err).toMatch(message);
    expect(err).toContain(`templates/report.es.md.hbs:${line}:`);
    expect(
      err
        .trim()
        .split('\n')
        .filter((l) => l.startsWith('error')),
    ).toHaveLength(1);
  });
});

describe('hostile labels', () => {
  const hostile =
    '<script>alert(1)</script> #read("/etc/passwd") $x^2$ @ref *bold* {{n}} <img src=x onerror=alert(1)>';

  it('print as text in HTML and PDF', async () => {
    const root = await copyStudy();
    await editFile(root, 'data/codebook.yaml', (t) =>
      t.replace(
        'label: { es: Conoce el significado, en: Knows the meaning }',
        `label: { es: ${JSON.stringify(hostile)}, en: ${JSON.stringify(hostile)} }`,
      ),
    );
    const { files: built } = await build({ root, dryRun: true });
    for (const { code } of langs) {
      const html = String(built.get(`${code}/index.html`));
      expect(html).not.toContain('<script>alert');
      expect(html).not.toContain('<img src=x');
      expect(htmlText(html)).toContain(hostile);
      const pdf = await pdfText(built.get(`${code}/${pdfName(code)}`) as Uint8Array);
      expect(pdf).toContain('#read("/etc/passwd")');
      expect(pdf).toContain('$x^2$ @ref *bold* {{n}}');
    }
  });
});

describe('a failed build', () => {
  it('leaves the previous out/ exactly as it was', async () => {
    const root = await copyStudy();
    await build({ root, formats: ['html'] });
    const before = await readFile(join(root, 'out/manifest.json'), 'utf8');
    const listing = (await readdir(join(root, 'out'), { recursive: true })).sort();
    await editFile(root, 'data/responses.csv', (t) => t.replace('does_not_know', 'nope'));
    const { code, err } = runBin(['build', '--root', root]);
    expect(code).toBe(2);
    expect(err).toMatch(/^error: data\/responses\.csv:\d+: unknown option "nope"/m);
    expect(await readFile(join(root, 'out/manifest.json'), 'utf8')).toBe(before);
    expect((await readdir(join(root, 'out'), { recursive: true })).sort()).toEqual(listing);
    expect((await readdir(root)).filter((name) => name.startsWith('.out'))).toEqual([]);
  });
});
