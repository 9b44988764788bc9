import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import JSZip from 'jszip';
import type { Root } from 'mdast';
import { toString as textOf } from 'mdast-util-to-string';
import { visit } from 'unist-util-visit';
import { describe, expect, it } from 'vitest';
import { build } from '../src/build.js';
import { builtInStrings } from '../src/locale/strings.js';
import type { ReportDocument } from '../src/render/document.js';
import { toDocx } from '../src/render/docx.js';
import { parseMarkdown } from '../src/render/markdown.js';
import { copyStudy, projectRoot } from './helpers.js';

/** LibreOffice, to open the Word files as a reader would. */
const haveSoffice = (() => {
  if (spawnSync('soffice', ['--version'], { stdio: 'ignore' }).status === 0) return true;
  const message =
    'the LibreOffice test of the Word files needs soffice (apt-get install libreoffice-writer-nogui)';
  if (process.env.CI) throw new Error(message);
  console.warn(`${message}; skipping only it`);
  return false;
})();

const CHART = `<svg xmlns="http://www.w3.org/2000/svg" width="200" height="100" viewBox="0 0 200 100" role="img"><title>Q1</title><desc>Bars: yes 60%, no 40%.</desc><rect x="10" y="10" width="120" height="30" fill="#1a4d8f"/><rect x="10" y="50" width="80" height="30" fill="#1a4d8f"/><text x="140" y="30" font-family="Source Serif 4" font-size="12">60%</text></svg>`;

const MARKDOWN = `# A small report {#title}

A subtitle line

Authors: Ana Pérez.

## Results {#results}

Some *emphasis*, **strong**, ~~gone~~, \`code\`, a [link](https://example.org), a
reference [link][ex], a note[^n] and the same note again[^n], an interval :nowrap[2,6–19,9 %],
and a cross-reference to [](#tbl-q1) and [the method](#method).

[ex]: https://example.org/ref
[^n]: The footnote text, with a [link](https://example.org/note).

### Lists {#lists}

- one
- two
  1. nested one
  2. nested two
- [x] done
- [ ] open

3. three
4. four

> A quote.

---

\`\`\`
code block
  indented
\`\`\`

:::table{#tbl-q1 caption="Answers to Q1"}
| Option | n | % |
|:--|--:|--:|
| Yes | 6 | 60 |
| No | 4 | 40 |
:::

:::figure{#fig-q1 caption="Share of answers to Q1"}
![Q1](charts/q1.svg)
:::

## Method {#method}

Text with <b>inline html</b>.
`;

async function document(markdown = MARKDOWN, extra: Partial<ReportDocument> = {}) {
  const strings = builtInStrings.en as ReportDocument['strings'];
  const tree: Root = await parseMarkdown(markdown, {
    figure: strings.figure,
    table: strings.table,
    source: 'templates/report.en.md.hbs',
  });
  const split = tree.children.findIndex((n) => n.type === 'heading' && n.depth === 2);
  const chart = {
    path: 'charts/q1.svg',
    svg: CHART,
    width: 200,
    height: 100,
    description: 'Bars: yes 60%, no 40%.',
  };
  const doc: ReportDocument = {
    lang: 'en',
    locale: 'en-GB',
    strings,
    studyId: 'small',
    title: 'A small report',
    authors: ['Ana Pérez', 'Luis Soto'],
    template: 'templates/report.en.md.hbs',
    markdown,
    tree,
    front: tree.children.slice(0, split),
    body: tree.children.slice(split),
    figures: [],
    charts: new Map([[chart.path, chart]]),
    notice: {
      label: 'Reconstructed data',
      text: 'The responses are a reconstruction.',
      more: { id: 'method', title: 'Method' },
    },
    timestamp: 1_700_000_000,
    ...extra,
  };
  return doc;
}

async function parts(bytes: Uint8Array) {
  const zip = await JSZip.loadAsync(bytes);
  const text = async (name: string) => (await zip.file(name)?.async('string')) ?? '';
  return { zip, text };
}

describe('the Word back-end', () => {
  // that it handles every node type the parser gives: test/conformance.test.ts (BACK_ENDS)
  it('writes Word structure: styles, title, captions, footnotes, tables, charts, language', async () => {
    const { text, zip } = await parts(await toDocx(await document()));
    const body = await text('word/document.xml');
    // the title block
    expect(body).toMatch(/<w:pStyle w:val="Title"\/>.*A small report/);
    expect(body).toMatch(/<w:pStyle w:val="Subtitle"\/>.*A subtitle line/);
    expect(body).toContain('Reconstructed data.');
    // headings: ## is Heading 1, ### Heading 2
    expect(body).toMatch(/<w:pStyle w:val="Heading1"\/>(?:(?!<\/w:p>).)*Results/);
    expect(body).toMatch(/<w:pStyle w:val="Heading2"\/>(?:(?!<\/w:p>).)*Lists/);
    const styles = await text('word/styles.xml');
    expect(styles).toContain('<w:lang w:val="en-GB"/>');
    expect(styles).toMatch(/w:styleId="Heading1".*?<w:outlineLvl w:val="0"\/>/s);
    expect(styles).toMatch(/w:styleId="Caption"/);
    // numbered captions with a SEQ field, the table's above it, the chart's below
    expect(body).toMatch(/<w:fldSimple w:instr=" SEQ Table \\\* ARABIC "><w:r><w:t[^>]*>1<\/w:t>/);
    expect(body).toMatch(/SEQ Figure[^>]*><w:r><w:t[^>]*>1</);
    expect(body.indexOf('SEQ Table')).toBeLessThan(body.indexOf('<w:tbl>'));
    expect(body.indexOf('<wp:docPr')).toBeLessThan(body.indexOf('SEQ Figure'));
    // the cross-reference is written and links to the caption's bookmark
    expect(body).toMatch(
      /<w:hyperlink w:history="1" w:anchor="_tbl_q1">(?:(?!<\/w:hyperlink>).)*Table 1/,
    );
    expect(body).toMatch(
      /<w:bookmarkStart w:name="_tbl_q1" w:id="(\d+)"\/>(?:(?!bookmark).)*<w:bookmarkEnd w:id="\1"\/>/,
    );
    expect(body).toMatch(/<w:hyperlink w:history="1" w:anchor="_method"/);
    // bookmark ids are unique (docx gives them all one)
    const ids = [...body.matchAll(/<w:bookmarkStart [^>]*w:id="(\d+)"/g)].map((m) => m[1]);
    expect(ids.length).toBeGreaterThan(3);
    expect(new Set(ids).size).toBe(ids.length);
    // the table: its header row repeats, its cells aligned as the Markdown says
    expect(body).toMatch(/<w:tblHeader\/>/);
    expect(body).toMatch(/<w:jc w:val="right"\/>(?:(?!<\/w:p>).)*60/);
    // the chart: a PNG at print resolution, its description as alt text
    expect(body).toMatch(/<wp:docPr id="1" name="q1.svg" descr="Bars: yes 60%, no 40%\."/);
    const png = await zip.file('word/media/image1.png')?.async('uint8array');
    expect(png && Buffer.from(png.subarray(1, 4)).toString()).toBe('PNG');
    const widthPx = png ? Buffer.from(png).readUInt32BE(16) : 0;
    // 200 CSS px print at 140 pt: 300 dpi is 583 px
    expect(widthPx).toBe(583);
    // footnotes are Word footnotes, one per reference
    const notes = await text('word/footnotes.xml');
    expect(notes.match(/The footnote text/g)).toHaveLength(2);
    expect(body.match(/<w:footnoteReference w:id="\d+"\/>/g)).toHaveLength(2);
    expect(await text('word/_rels/footnotes.xml.rels')).toContain('https://example.org/note');
    // reference links, task lists, the interval on one line, HTML as text
    expect(await text('word/_rels/document.xml.rels')).toContain('https://example.org/ref');
    expect(body).toContain('☒ ');
    expect(body).toContain('☐ ');
    expect(body).toContain('2,6–\u206019,9\u00a0%');
    expect(body).toContain('&lt;b&gt;');
    // the body on its own pages, numbered from 1, the notice in every page's footer
    expect(body).toMatch(
      /<w:sectPr>(?:(?!<\/w:sectPr>).)*<\/w:sectPr><\/w:pPr><\/w:p><w:p><w:pPr><w:pStyle w:val="Heading1"\/>/,
    );
    expect(body).toMatch(
      /<w:footerReference w:type="default" r:id="rId\d+"\/>(?:(?!<\/w:sectPr>).)*<w:pgNumType w:start="1"\/>/,
    );
    const footer = await text('word/footer1.xml');
    expect(footer).toContain('Reconstructed data');
    expect(footer).toContain('PAGE');
    // core properties
    const core = await text('docProps/core.xml');
    expect(core).toContain('<dc:title>A small report</dc:title>');
    expect(core).toContain('<dc:creator>Ana Pérez; Luis Soto</dc:creator>');
    expect(core).toContain('<dc:language>en-GB</dc:language>');
    expect(core).toContain('2023-11-14T22:13:20Z');
  });

  it('writes a control character of the text as U+FFFD, never as XML no reader opens', async () => {
    const doc = await document('# T\n\n## S\n\nbell \u0007 here\n');
    const body = await (await parts(await toDocx(doc))).text('word/document.xml');
    expect(body).toContain('bell \ufffd here');
  });

  it('numbers each ordered list from its own start', async () => {
    const { text } = await parts(await toDocx(await document()));
    const numbering = await text('word/numbering.xml');
    expect(numbering).toMatch(/<w:start w:val="3"\/>/);
  });

  it('takes handlers that replace the built-in ones', async () => {
    const { TextRun } = await import('docx');
    const bytes = await toDocx(await document(), {
      handlers: { inlineCode: (_state, node) => [new TextRun(`«${node.value}»`)] },
    });
    expect(await (await parts(bytes)).text('word/document.xml')).toContain('«code»');
  });

  it('names the template line of what Word cannot hold', async () => {
    const doc = await document('# T\n\n## S\n\n:::aside\nx\n:::\n');
    await expect(toDocx(doc)).rejects.toThrow(/report\.en\.md\.hbs:5.*:::aside/);
  });

  it('gives the same bytes in two processes', async () => {
    const script = `
      import { createHash } from 'node:crypto';
      const dist = process.env.DIST;
      const { toDocx } = await import(\`\${dist}/render/docx.js\`);
      const { builtInStrings } = await import(\`\${dist}/locale/strings.js\`);
      const { parseMarkdown } = await import(\`\${dist}/render/markdown.js\`);
      const md = process.env.MD;
      const tree = await parseMarkdown(md, { figure: 'Figure', table: 'Table' });
      const split = tree.children.findIndex((n) => n.type === 'heading' && n.depth === 2);
      const chart = { path: 'charts/q1.svg', svg: process.env.SVG, width: 200, height: 100, description: 'd' };
      const doc = { lang: 'en', locale: 'en-GB', strings: builtInStrings.en, studyId: 's', title: 'T', authors: ['A'],
        template: 't', markdown: md, tree, front: tree.children.slice(0, split), body: tree.children.slice(split),
        figures: [], charts: new Map([[chart.path, chart]]) };
      // a first document made in the process moves docx's own counters
      if (process.env.WARM) await toDocx(doc);
      const bytes = await toDocx(doc);
      console.log(createHash('sha256').update(bytes).digest('hex'));
    `;
    const dir = await mkdtemp(join(tmpdir(), 'docx-'));
    const file = join(dir, 'make.mjs');
    await writeFile(file, script);
    try {
      const run = (warm: boolean) =>
        spawnSync(process.execPath, [file], {
          cwd: projectRoot,
          encoding: 'utf8',
          env: {
            ...process.env,
            DIST: pathToFileURL(join(projectRoot, 'dist')).href,
            MD: MARKDOWN,
            SVG: CHART,
            TZ: warm ? 'Asia/Tokyo' : 'UTC',
            ...(warm ? { WARM: '1' } : {}),
          },
        });
      const a = run(false);
      const b = run(true);
      expect(a.stderr).toBe('');
      expect(a.stdout).toMatch(/^[0-9a-f]{64}\n$/);
      expect(b.stdout).toBe(a.stdout);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});

/** The texts a figure of figures.json prints: its paragraph, or each cell and the caption of its table. */
async function printedTexts(markdown: string): Promise<string[]> {
  const tree = await parseMarkdown(markdown);
  const texts: string[] = [];
  let citation = false;
  visit(tree, (node) => {
    if (node.type === 'citation') citation = true;
    if (node.type === 'containerDirective' && node.attributes?.caption)
      texts.push(node.attributes.caption);
    if (node.type === 'tableCell' || (node.type === 'paragraph' && textOf(node).trim()))
      texts.push(textOf(node));
  });
  // a citation is formatted by the build: its text is not in the figure's Markdown
  return citation ? [] : texts.filter((t) => t.trim() !== '');
}

describe('the Word files of the shipped study', () => {
  it.runIf(haveSoffice)(
    'open in LibreOffice, whose PDF holds every figure the pages print',
    { timeout: 600_000 },
    async () => {
      const { files } = await build({
        root: await copyStudy(),
        dryRun: true,
        formats: ['html', 'docx'],
      });
      const figures = JSON.parse(String(files.get('data/figures.json'))) as {
        pages: { lang: string; figures: { helper: string; text: string }[] }[];
      };
      const dir = await mkdtemp(join(tmpdir(), 'docx-lo-'));
      try {
        for (const page of figures.pages) {
          const name = [...files.keys()].find(
            (k) => k.startsWith(`${page.lang}/`) && k.endsWith('.docx'),
          );
          expect(name).toBe(`${page.lang}/el-porvenir-footwear-cluster.${page.lang}.docx`);
          // the page links it, the manifest lists it
          expect(String(files.get(`${page.lang}/index.html`))).toContain(
            `href="el-porvenir-footwear-cluster.${page.lang}.docx"`,
          );
          expect(String(files.get('manifest.json'))).toContain(`"${name}"`);
          const docx = join(dir, `${page.lang}.docx`);
          await writeFile(docx, files.get(name as string) as Uint8Array);
          // its own profile: no user's LibreOffice settings, no lock on theirs
          execFileSync(
            'soffice',
            [
              `-env:UserInstallation=${pathToFileURL(join(dir, 'profile')).href}`,
              '--headless',
              '--convert-to',
              'pdf',
              '--outdir',
              dir,
              docx,
            ],
            { env: { ...process.env, HOME: dir }, stdio: 'ignore', timeout: 300_000 },
          );
          const text = execFileSync(
            'pdftotext',
            ['-enc', 'UTF-8', join(dir, `${page.lang}.pdf`), '-'],
            {
              encoding: 'utf8',
            },
          );
          const flat = (s: string) =>
            s
              .replace(/\u2060/g, '')
              .replace(/\s+/g, ' ')
              .trim();
          const pdf = flat(text);
          const wanted = (await Promise.all(page.figures.map((f) => printedTexts(f.text)))).flat();
          expect(wanted.length).toBeGreaterThan(100);
          for (const t of wanted) expect(pdf, `${page.lang}: "${t}"`).toContain(flat(t));
          // headings, captions and the works cited are there too
          expect(pdf).toMatch(page.lang === 'es' ? /Tabla 1\. / : /Table 1\. /);
          expect(pdf).toMatch(page.lang === 'es' ? /Figura 1\. / : /Figure 1\. /);
          expect(pdf).toContain('Porter, M. E.');
        }
      } finally {
        await rm(dir, { recursive: true, force: true });
      }
    },
  );
});
