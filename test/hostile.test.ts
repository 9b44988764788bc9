import fc from 'fast-check';
import { extractText, getDocumentProxy } from 'unpdf';
import { describe, expect, it } from 'vitest';
import { build } from '../src/build.js';
import { builtInStrings } from '../src/locale/strings.js';
import { compilePdf } from '../src/render/pdf.js';
import { escapeMarkup } from '../src/render/typst.js';
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

describe('wordings and answers are data, never markup', () => {
  it('a question wording with HTML, Markdown, Handlebars and Typst prints as text everywhere', async () => {
    const root = await copyStudy();
    const wording =
      '<b onmouseover="x()">¿Sí?</b> **no** {{n}} #include "/etc/passwd" $E=mc^2$ @fig [a](javascript:alert(1))';
    await editFile(root, 'data/codebook.yaml', (t) =>
      t.replace('en: Do you know what a “cluster” means?', `en: ${JSON.stringify(wording)}`),
    );
    const { files } = await build({ root, dryRun: true, langs: ['en'] });
    const html = String(files.get('en/index.html'));
    expect(html).not.toContain('<b onmouseover');
    expect(html).not.toContain('href="javascript:');
    expect(html).toContain(
      '&#x3C;b onmouseover="x()">¿Sí?&#x3C;/b> **no** {{n}} #include "/etc/passwd" $E=mc^2$ @fig [a](javascript:alert(1))',
    );
    const text = await pdfText(files.get('en/el-porvenir-footwear-cluster.en.pdf') as Uint8Array);
    // a heading may wrap anywhere: compared without the spaces line ends leave
    expect(text.replace(/\s+/g, '')).toContain(wording.replace(/\s+/g, ''));
  });
});
