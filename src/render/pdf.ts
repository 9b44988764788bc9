import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import type { NodeCompiler } from '@myriaddreamin/typst-ts-node-compiler';
import { fill, type Strings } from '../locale/strings.js';
import type { ReportDocument } from './document.js';
import { escapeMarkup, type TypstOptions, typstMarkup, typstString } from './typst.js';

/** The font the PDF is set in, shipped as TTF by an npm package (the same family as the site's). */
export const PDF_FONT = 'Source Serif 4';
const FONT_FILES = [
  '400Regular/SourceSerif4_400Regular.ttf',
  '400Regular_Italic/SourceSerif4_400Regular_Italic.ttf',
  '600SemiBold/SourceSerif4_600SemiBold.ttf',
  '700Bold/SourceSerif4_700Bold.ttf',
  '700Bold_Italic/SourceSerif4_700Bold_Italic.ttf',
];

/** Typst's accessible PDF standard: the compiler refuses a document that breaks it. */
const PDF_STANDARD = 'ua-1';

/** A virtual root: the compiler sees only the files of the build, mapped in memory under it. */
const WORKSPACE = '/report';

let shared: NodeCompiler | undefined;

/** One compiler per process: it holds the fonts, which are only read once. */
function compiler(): NodeCompiler {
  if (!shared) {
    const dir = dirname(
      createRequire(import.meta.url).resolve('@expo-google-fonts/source-serif-4/package.json'),
    );
    const fontBlobs = FONT_FILES.map((file) => readFileSync(join(dir, file)));
    // the native compiler is loaded when a PDF is made, not when a command that makes none starts
    const typst = createRequire(import.meta.url)(
      '@myriaddreamin/typst-ts-node-compiler',
    ) as typeof import('@myriaddreamin/typst-ts-node-compiler');
    shared = typst.NodeCompiler.create({ workspace: WORKSPACE, fontArgs: [{ fontBlobs }] });
  }
  return shared;
}

/** Makes the compiler now (fonts read), so that the first document does not wait for it. */
export function preparePdfCompiler(): void {
  compiler();
}

export interface PdfDocument {
  title: string;
  locale: string;
  strings: Strings;
  /** Typst markup of the title page and of the body. */
  front: string;
  body: string;
  /** Files the document refers to (charts), by their path in the compiler's workspace. */
  files: ReadonlyMap<string, string | Uint8Array>;
  /** Seconds since the epoch for the PDF's dates; none when undefined. */
  timestamp?: number;
  /** The study's authors, for the PDF's metadata. */
  authors?: string[];
  /** When the data are a reconstruction: said on the title page and in every page's footer. */
  notice?: { label: string; text: string; more?: { id: string; title: string } };
}

/** Where a file is seen by the compiler. */
export const workspacePath = (path: string) => `/${path.replace(/^\/+/, '')}`;

/**
 * The PDF back-end: a report's document as the Typst source the compiler takes, its charts
 * mapped into the compiler's workspace. `handlers` replace or add Typst handlers by node type;
 * `linkTarget` says where a link relative to the page goes in a PDF that travels alone.
 */
export function pdfDocument(
  doc: ReportDocument,
  options: Pick<TypstOptions, 'handlers' | 'linkTarget'> = {},
): PdfDocument {
  const { front, body } = typstMarkup(doc, {
    handlers: options.handlers,
    linkTarget: options.linkTarget,
    imagePath: (url) => (doc.charts.has(url) ? workspacePath(url) : undefined),
  });
  return {
    title: doc.title,
    locale: doc.locale,
    strings: doc.strings,
    front,
    body,
    files: new Map([...doc.charts].map(([path, chart]) => [path, chart.svg])),
    timestamp: doc.timestamp,
    notice: doc.notice,
    authors: doc.authors,
  };
}

export function typstDocument(doc: PdfDocument): string {
  const [lang, region] = doc.locale.split('-');
  const notice = doc.notice;
  const more = notice?.more
    ? ` #link(label(${typstString(notice.more.id)}))[${escapeMarkup(fill(doc.strings.seeSection, { section: notice.more.title }))}]`
    : '';
  const authors = doc.authors?.length
    ? `, author: (${doc.authors.map(typstString).join(', ')},)`
    : '';
  // the footer says on every page what the reader holds: reconstructed data, or the title
  const footerText = notice ? `#strong[${escapeMarkup(notice.label)}]` : escapeMarkup(doc.title);
  return [
    `#set document(title: ${typstString(doc.title)}${authors}, date: ${doc.timestamp === undefined ? 'none' : 'auto'})`,
    `#set text(font: ${typstString(PDF_FONT)}, size: 10.5pt, lang: ${typstString(lang ?? 'en')}${region ? `, region: ${typstString(region)}` : ''}, fallback: false, hyphenate: false)`,
    // ragged right, unhyphenated: even word spaces, and every hyphen in the text is one the
    // text has (a break hyphen shares its glyph, and some readers then drop the real ones)
    '#set par(justify: false, leading: 0.62em)',
    // nor a line broken at a hyphen the text has: readers would drop it ("trainingreceived") or,
    // where the language repeats it on the next line (es), read it twice ("training- -received")
    '#show regex("[\\\\p{L}\\\\p{N}]+(?:-[\\\\p{L}\\\\p{N}]+)+"): box',
    '#set page(paper: "a4", margin: (x: 2.4cm, top: 2.4cm, bottom: 2.8cm))',
    '#set heading(numbering: "1.1")',
    '#show heading: set block(above: 1.4em, below: 0.8em)',
    '#show heading: it => { set block(sticky: true); it }',
    '#show title: set text(size: 22pt)',
    '#show title: set block(below: 1em)',
    `#show raw: set text(font: ${typstString(PDF_FONT)})`,
    // "Tabla 1." as on the page, the label in bold; table captions above, chart captions below
    '#set figure.caption(separator: [. ])',
    '#show figure.caption: it => block(width: 100%)[#set align(left); #strong[#it.supplement #context it.counter.display(it.numbering)#it.separator]#it.body]',
    '#show figure.where(kind: table): set figure.caption(position: top)',
    '#show figure: set block(breakable: false)',
    '#show link: underline',
    `#page(numbering: none)[#v(1fr)${doc.front}${
      notice
        ? `#block(width: 100%, inset: (left: 10pt, y: 8pt, right: 8pt), stroke: (left: 3pt + rgb("#b07800")), fill: rgb("#fff7e0"))[#strong[${escapeMarkup(notice.label)}.] ${escapeMarkup(notice.text)}${more}]\n`
        : ''
    }#v(2fr)]`,
    `#set page(numbering: "1", footer: context [#set text(size: 8.5pt); ${footerText} #h(1fr) ${escapeMarkup(doc.strings.page)} #counter(page).display()])`,
    '#counter(page).update(1)',
    `#outline(title: [${escapeMarkup(doc.strings.contents)}], depth: 2)`,
    '#pagebreak()',
    doc.body,
  ].join('\n');
}

/** Compiles the document to PDF; the same input gives the same bytes. */
export function compilePdf(doc: PdfDocument): Buffer {
  const c = compiler();
  c.resetShadow();
  for (const [path, content] of doc.files) {
    c.mapShadow(`${WORKSPACE}${workspacePath(path)}`, Buffer.from(content));
  }
  const compile = (standard: boolean) =>
    c.pdf(
      { mainFileContent: typstDocument(doc) },
      {
        ...(standard ? { pdfStandard: PDF_STANDARD } : {}),
        ...(doc.timestamp === undefined ? {} : { creationTimestamp: doc.timestamp }),
      },
    );
  const detailOf = (error: unknown) =>
    String((error as { code?: string }).code ?? (error as Error).message);
  try {
    // PDF/UA-1: tagged, with a structure tree (headings, tables, figures with their alt text)
    return compile(true);
  } catch (error) {
    const detail = detailOf(error);
    // a character the shipped fonts lack (a label in another script) breaks PDF/UA only: the PDF
    // is still made, tagged as Typst tags every PDF, without the standard's claim
    if (!detail.includes('could not be displayed with font'))
      throw new Error(`PDF compilation failed: ${detail.split('\n')[0]}`);
    try {
      return compile(false);
    } catch (retry) {
      throw new Error(`PDF compilation failed: ${detailOf(retry).split('\n')[0]}`);
    }
  } finally {
    c.resetShadow();
    // Typst's memoised layout is dropped after each document: kept, a language's cache stayed
    // alive through the next one's compilation (the peak memory of a long report); the PDF is the same
    c.evictCache(0);
  }
}
