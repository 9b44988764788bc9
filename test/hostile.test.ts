import fc from 'fast-check';
import { toString as textOf } from 'mdast-util-to-string';
import { extractText, getDocumentProxy } from 'unpdf';
import { describe, expect, it } from 'vitest';
import { build } from '../src/build.js';
import { parseMarkdown } from '../src/render/markdown.js';
import { inlineText, markdownOf, text } from '../src/render/markdown-text.js';
import { compilePdf } from '../src/render/pdf.js';
import { builtInStrings } from '../src/render/strings.js';
import { escapeMarkup, mdastToTypst } from '../src/render/typst.js';
import { copyStudy, editFile } from './helpers.js';

const pdfText = async (bytes: Uint8Array) =>
  (await extractText(await getDocumentProxy(new Uint8Array(bytes)), { mergePages: true })).text;
const pdf = (body: string) =>
  compilePdf({
    title: 'T',
    locale: 'en-US',
    strings: builtInStrings.en as never,
    front: 'T',
    body,
    files: new Map(),
  });

describe('the PDF compiler', () => {
  it.each([
    ['#read("/etc/hostname")', /file not found/],
    ['#image("/etc/passwd")', /file not found|failed to/],
    ['#include "/etc/passwd"', /file not found/],
    ['#read("../../../../etc/hostname")', /access denied|file not found/],
  ])('sees only the files of the build: %s', (body, message) => {
    expect(() => pdf(body)).toThrow(message);
  });

  it('prints any text escaped for it as exactly that text', async () => {
    const hostile = fc.constantFrom(
      '#',
      '$',
      '*',
      '_',
      '`',
      '<',
      '>',
      '@',
      '[',
      ']',
      '=',
      '-',
      '+',
      '/',
      '~',
      '"',
      "'",
      '\\',
      '{',
      '}',
      ':',
      '.',
      '//',
      '/*',
      '*/',
      'read("x")',
      'a',
      'é',
      '%',
      '1.',
      ' ',
      '\u00a0',
      'let',
      'ref',
      'x^2',
    );
    await fc.assert(
      fc.asyncProperty(fc.array(hostile, { minLength: 1, maxLength: 24 }), async (parts) => {
        const text = parts.join('').replace(/\s+/g, ' ').trim() || 'x';
        const extracted = await pdfText(pdf(`Start ${escapeMarkup(text)} end`));
        // spaces are compared out: the extractor adds one where a glyph overhangs ("f]")
        expect(extracted.replace(/\s+/g, '')).toContain(`Start${text}end`.replace(/\s+/g, ''));
      }),
      { numRuns: 25 },
    );
  });
});

/** Pieces of data text that mean something to Markdown, GFM, HTML, Handlebars or Typst. */
const hostileData = fc.constantFrom(
  ...['~', '~~', '*', '**', '_', '`', '<', '>', '[', ']', '(', ')', '!', '#', '|', '\\', '&'],
  ...['&amp;', '&#64;', '{{', '}}', ':', '::', ':::', '-', '+', '=', '$', '%', '^', '"', "'", '/'],
  ...['www.', 'example', '.org', '.c', '@', 'a', 'b', 'x', 'https://', 'http://', 'mailto:'],
  ...['xmpp:', '[^1]', '{#x}', ' ', '1.', '1)', '\u00a0', '\n', '<https://e2.example>', 'é'],
);
const dataText = fc
  .array(hostileData, { minLength: 1, maxLength: 16 })
  .map((parts) => parts.join('').replace(/\s+/g, ' ').trim() || 'x');
/** Every node type a tree holds, walked. */
const typesOf = (node: { type: string; children?: unknown[] }): string[] => [
  node.type,
  ...((node.children ?? []) as (typeof node)[]).flatMap(typesOf),
];

describe('data text in the Markdown of a report', () => {
  it('reads back as exactly that text, and as nothing else, wherever a helper puts it', async () => {
    await fc.assert(
      fc.asyncProperty(dataText, async (value) => {
        // at the start of a line, inside a sentence, in a table cell
        for (const markdown of [
          inlineText(value),
          `Before ${inlineText(value)} after`,
          markdownOf([
            {
              type: 'table',
              children: [
                { type: 'tableRow', children: [{ type: 'tableCell', children: [text('h')] }] },
                { type: 'tableRow', children: [{ type: 'tableCell', children: [text(value)] }] },
              ],
            },
          ]),
        ]) {
          const tree = await parseMarkdown(markdown);
          const types = new Set(typesOf(tree));
          for (const t of ['root', 'paragraph', 'text', 'table', 'tableRow', 'tableCell'])
            types.delete(t);
          expect([...types], markdown).toEqual([]);
          // its text, however the parser splits it into text nodes
          expect(textOf(tree), markdown).toContain(value);
        }
      }),
      { numRuns: 300 },
    );
  });

  it('prints in the PDF as that text, with no link, strike-through or other markup', async () => {
    await fc.assert(
      fc.asyncProperty(dataText, async (value) => {
        const tree = await parseMarkdown(`Start ${inlineText(value)} end`);
        const { body } = mdastToTypst(tree, { source: 't', imagePath: () => undefined });
        expect(body).not.toMatch(/#(link|strike|emph|strong|raw|quote|list|enum)\b/);
        const extracted = await pdfText(pdf(body));
        expect(extracted.replace(/\s+/g, '')).toContain(`Start${value}end`.replace(/\s+/g, ''));
      }),
      { numRuns: 20 },
    );
  });
});

describe('wordings and answers are data, never markup', () => {
  it('a label that looks like an address or strike-through prints as text in HTML and PDF', async () => {
    const root = await copyStudy();
    const labels = ['www.example.org', 'a@b.c', 'say ~~x~~ and ~y~', '<https://e2.example>'];
    let n = 0;
    await editFile(root, 'data/codebook.yaml', (t) =>
      t.replace(/^(\s+label: \{ es: [^,]+, en: )[^}]+\}/gm, (line, start) =>
        n < labels.length ? `${start}${JSON.stringify(labels[n++])} }` : line,
      ),
    );
    expect(n).toBe(labels.length);
    const { files } = await build({ root, dryRun: true, langs: ['en'] });
    const html = String(files.get('en/index.html'));
    expect(html).not.toMatch(/href="(http:\/\/www\.example|mailto:|https:\/\/e2)/);
    expect(html).not.toContain('<del>');
    for (const label of [
      'www.example.org',
      'a@b.c',
      'say ~~x~~ and ~y~',
      '&#x3C;https://e2.example>',
    ])
      expect(html).toContain(label);
    const typst = String(files.get('en/report.typ'));
    // the report's own citations link to its list of works cited; no label is a link
    expect(typst).not.toMatch(/#strike\b|#link\((?!"#ref-)/);
    const pdfWords = await pdfText(
      files.get('en/el-porvenir-footwear-cluster.en.pdf') as Uint8Array,
    );
    for (const label of labels) expect(pdfWords.replace(/\s+/g, ' ')).toContain(label);
  });

  it('a question wording with HTML, Markdown, Handlebars and Typst prints as text everywhere', async () => {
    const root = await copyStudy();
    const wording =
      '<b onmouseover="x()">¿Sí?</b> **no** {{n}} #include "/etc/passwd" $E=mc^2$ @fig [a](javascript:alert(1))';
    await editFile(root, 'data/codebook.yaml', (t) =>
      t.replace('en: Do you know what a "cluster" means?', `en: ${JSON.stringify(wording)}`),
    );
    const { files } = await build({ root, dryRun: true, langs: ['en'] });
    const html = String(files.get('en/index.html'));
    expect(html).not.toContain('<b onmouseover');
    expect(html).not.toContain('href="javascript:');
    expect(html).toContain(
      '&#x3C;b onmouseover="x()">¿Sí?&#x3C;/b> **no** {{n}} #include "/etc/passwd" $E=mc^2$ @fig [a](javascript:alert(1))',
    );
    const text = await pdfText(files.get('en/el-porvenir-footwear-cluster.en.pdf') as Uint8Array);
    expect(text.replace(/\s+/g, ' ')).toContain(wording);
  });
});
