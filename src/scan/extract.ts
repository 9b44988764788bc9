import { createRequire } from 'node:module';
import type { Element, RootContent as HastNode, Root as HastRoot } from 'hast';
import { fromHtml } from 'hast-util-from-html';
import type { Root as MdastRoot } from 'mdast';
import remarkGfm from 'remark-gfm';
import remarkParse from 'remark-parse';
import { unified } from 'unified';
import { visitParents } from 'unist-util-visit-parents';
import { inlineMarkers } from '../inline-markers.js';
import { type Cell, htmlCell, markdownCell } from './tables.js';

/** A run of prose and where it starts in the file (1-based). */
export interface Segment {
  text: string;
  line: number;
  column: number;
  /** In a PDF: the page (line is then the line on that page). */
  page?: number;
  /** The words it is read with (Markdown, HTML): its source line, a table cell's row, a chart's title. */
  around?: string;
  /** A chart's axis: its numbers are ticks. */
  role?: 'axis';
  /** A table cell (Markdown, HTML): where it stands in its table. */
  cell?: Cell;
}

const BLOCKS = new Set([
  'tr',
  'li',
  'p',
  'caption',
  'figcaption',
  'h1',
  'h2',
  'h3',
  'h4',
  'h5',
  'h6',
  'dt',
  'dd',
  'blockquote',
]);

export type TextKind = 'text' | 'markdown' | 'html' | 'pdf' | 'docx';

export function kindOf(path: string): TextKind {
  if (/\.(md|markdown)$/i.test(path)) return 'markdown';
  if (/\.x?html?$/i.test(path)) return 'html';
  if (/\.pdf$/i.test(path)) return 'pdf';
  if (/\.docx$/i.test(path)) return 'docx';
  return 'text';
}

/** Deepest nesting of HTML elements or Markdown blocks scan reads; deeper is refused. */
export const MAX_DEPTH = 256;

// elements whose end tag may be left out, or that have none: they do not nest
const UNNESTED = new Set(
  'area base br col embed hr img input link meta source track wbr p li dt dd tr td th thead tbody tfoot option optgroup rt rp colgroup caption'.split(
    ' ',
  ),
);

const MARKER = /(?:[-+*]|\d{1,9}[.)]|>)(?:[ \t]+|$)/y;
const THEMATIC_BREAK = /^[ \t]*([-*_])(?:[ \t]*\1){2,}[ \t]*$/;

/**
 * The line where a text nests deeper than MAX_DEPTH (HTML elements, Markdown block quotes and
 * list levels, emphasis and brackets), found in one pass before any parser recurses into it.
 */
export function tooDeep(source: string, kind: TextKind): number | undefined {
  if (kind === 'html') {
    let depth = 0;
    let line = 1;
    const last = 0;
    for (const m of source.matchAll(/<(\/?)([a-zA-Z][\w:-]*)\b[^<>]*?(\/?)>/g)) {
      const tag = (m[2] as string).toLowerCase();
      if (UNNESTED.has(tag) || m[3] === '/') continue;
      depth += m[1] === '/' ? -1 : 1;
      if (depth < 0) depth = 0;
      if (depth > MAX_DEPTH) {
        for (let i = last; i < (m.index ?? 0); i++) if (source.charCodeAt(i) === 10) line++;
        return line;
      }
    }
    return undefined;
  }
  if (kind === 'markdown') {
    let line = 0;
    for (const text of source.split('\n')) {
      line++;
      const quotes = /^(?:\s{0,3}>)*/.exec(text)?.[0].split('>').length ?? 1;
      const rest = text.replace(/^(?:\s{0,3}>)*/, '');
      const indent = /^[ \t]*/.exec(rest)?.[0].length ?? 0;
      // list markers and quote markers after the first on one line (`- - - x`, `1. - > x`) each
      // open one more level; a thematic break (`- - -`) opens none
      let markers = 0;
      if (!THEMATIC_BREAK.test(rest)) {
        MARKER.lastIndex = indent;
        while (MARKER.exec(rest) && markers <= MAX_DEPTH) markers++;
      }
      if (quotes - 1 + Math.floor(indent / 2) + markers > MAX_DEPTH) return line;
    }
    // emphasis and brackets inside one another, before the parser takes a time that grows
    // with the square of their depth
    const at = inlineMarkers(source, MAX_DEPTH).at;
    if (at !== undefined) {
      let line = 1;
      for (let i = source.indexOf('\n'); i !== -1 && i < at; i = source.indexOf('\n', i + 1))
        line++;
      return line;
    }
  }
  return undefined;
}

/**
 * The prose of a file, line by line: plain text as it is; Markdown's and HTML's text nodes
 * (not their markup, code, scripts or styles), each with its line and column in the file.
 */
export function segments(source: string, kind: Exclude<TextKind, 'pdf' | 'docx'>): Segment[] {
  if (kind === 'text')
    return source.split(/\r?\n/).map((text, i) => ({ text, line: i + 1, column: 1 }));
  const out: Segment[] = [];
  const lines = source.split(/\r?\n/);
  const add = (value: string, line = 1, column = 1, cell?: Cell) =>
    value.split(/\r?\n/).forEach((text, i) => {
      out.push({
        text,
        line: line + i,
        column: i === 0 ? column : 1,
        around: lines[line + i - 1],
        ...(cell ? { cell } : {}),
      });
    });
  if (kind === 'markdown') {
    const tree = unified().use(remarkParse).use(remarkGfm).parse(source) as MdastRoot;
    const tables = new Map<object, number>();
    visitParents(tree, 'text', (node, ancestors) => {
      const cell = markdownCell(ancestors, tables);
      add(node.value, node.position?.start.line, node.position?.start.column, cell);
    });
  } else {
    const tree = fromHtml(source) as HastRoot;
    const texts = new WeakMap<object, string>();
    const tables = new Map<object, { number: number; rows: Element[] }>();
    const textOf = (node: HastNode): string => {
      const known = texts.get(node);
      if (known !== undefined) return known;
      const text =
        node.type === 'text'
          ? node.value
          : 'children' in node
            ? (node.children as HastNode[]).map(textOf).join(' ')
            : '';
      texts.set(node, text);
      return text;
    };
    visitParents(tree, 'text', (node, ancestors) => {
      const parent = ancestors[ancestors.length - 1];
      const tag = parent && parent.type === 'element' ? parent.tagName : '';
      if (tag === 'script' || tag === 'style' || tag === 'title') return;
      const elements = ancestors.filter((a): a is Element => a.type === 'element');
      const axis = elements.some((e) => /\brole-axis/.test(String(e.properties.className ?? '')));
      // the words a number is read with: its table row, list item, paragraph or caption; in a
      // chart, the chart's title and caption
      const block = [...elements].reverse().find((e) => BLOCKS.has(e.tagName));
      const figure = [...elements]
        .reverse()
        .find((e) => e.tagName === 'figure' || e.tagName === 'svg');
      let around: string | undefined;
      if (elements.some((e) => e.tagName === 'svg') && figure) {
        const caption = figure.children.find(
          (c): c is Element =>
            c.type === 'element' && (c.tagName === 'figcaption' || c.tagName === 'title'),
        );
        around = `${String(figure.properties.ariaLabel ?? '')} ${caption ? textOf(caption) : ''}`;
      } else if (block) around = textOf(block);
      const line = node.position?.start.line ?? 1;
      const cell = htmlCell(elements, tables);
      node.value.split(/\r?\n/).forEach((text, i) => {
        out.push({
          text,
          line: line + i,
          column: i === 0 ? (node.position?.start.column ?? 1) : 1,
          around:
            around === undefined ? lines[line + i - 1] : around.replace(/\s+/g, ' ').slice(0, 300),
          ...(axis ? { role: 'axis' as const } : {}),
          ...(cell ? { cell } : {}),
        });
      });
    });
  }
  return out;
}

/**
 * What a PDF's dash or hyphen comes out of a text extractor as, when its glyph has no text
 * mapping or maps oddly: a control character, a private-use or replacement character, a soft or
 * non-breaking hyphen, a figure dash or a minus sign (pdf.js through unpdf, pdftotext).
 */
const ODD_DASH = /[\p{Cc}\p{Co}\u00ad\u2010-\u2012\u2212\ufffd]/gu;
// a lone character between two figures ("2.6% B 19.9%", "80.1 Ã 97.4"), that is no word of its
// own in either language (a, e, o, u, y and x are: "de 3 a 5", "3 y 5", "2 x 3")
const LONE = /(\d\s?%?)\s(?![aeouyAEOUYxX×])[^\s\d\p{P}\p{S}](?=\s[+\-−]?\d)/gu;
// the same glued to a percentage ("2.6%B19.9%"): a percent sign says the figures are an interval
const GLUED = /(\d\s?%)(?![aeouyAEOUYxX×])[^\s\d\p{P}\p{S}](?=[+\-−]?\d+(?:[.,]\d+)?\s?%)/gu;

/**
 * The dashes and hyphens of a PDF's text line restored: an odd character between two figures is
 * an interval's or a range's dash ("2.6% – 19.9%"), between two letters a hyphen; a lone letter
 * that is no word between two figures, spaced or glued to a percent sign, is that dash.
 */
export function restoreDashes(line: string): string {
  return line
    .replace(ODD_DASH, (c, at: number, whole: string) => {
      // a tab or line end is a space; a soft hyphen is where a word may break, no character
      if (c === '\t' || c === '\r' || c === '\n') return c;
      if (c === '\u00ad') return '';
      const before = whole.slice(Math.max(0, at - 4), at);
      const after = whole.slice(at + 1, at + 4);
      // (a minus sign between figures is a subtraction's)
      if (c !== '\u2212' && /\d\s?%?\s?$/u.test(before) && /^\s?[+\-−]?\d/u.test(after)) return '–';
      if (/\p{L}$/u.test(before) && /^\p{L}/u.test(after)) return '-';
      // a minus sign or a dash in the middle of text stays one; any other odd character is dropped
      return c === '\u2212' || (c >= '\u2010' && c <= '\u2012') ? c : ' ';
    })
    .replace(LONE, '$1 –')
    .replace(GLUED, '$1–');
}

/** The text of a Word file (.docx), as HTML (mammoth; loaded only for Word files). */
export async function docxSegments(bytes: Uint8Array): Promise<Segment[]> {
  const mammoth = createRequire(import.meta.url)('mammoth') as {
    convertToHtml(input: { buffer: Buffer }): Promise<{ value: string }>;
  };
  const { value } = await mammoth.convertToHtml({ buffer: Buffer.from(bytes) });
  // one paragraph, heading, list item or table row a line; without the word joiner that keeps an
  // interval on one line ("2.6–\u206019.9 %", as the report's Word files write it)
  return segments(
    value.replace(/\u2060/g, '').replace(/<\/(p|h\d|li|tr|td|th)>/g, '</$1>\n'),
    'html',
  );
}

/** The text of a PDF, page by page and line by line (pdf.js through unpdf; loaded only for PDFs). */
export async function pdfSegments(bytes: Uint8Array): Promise<Segment[]> {
  // required, not imported: the tool's bundle leaves it out and loads it only for PDFs
  const { extractText, getDocumentProxy } = createRequire(import.meta.url)(
    'unpdf',
  ) as typeof import('unpdf');
  const { text } = await extractText(await getDocumentProxy(new Uint8Array(bytes)), {
    mergePages: false,
  });
  return text.flatMap((page, p) => {
    const lines = page.split('\n').map(restoreDashes);
    return lines.map((line, i) => ({
      text: line,
      line: i + 1,
      column: 1,
      page: p + 1,
      // a line of figures alone (a chart's labels, a table's cells) is read with the lines around it
      ...((line.match(/\p{L}{4,}/gu) ?? []).length < 2
        ? { around: nearbyLines(lines, i).join(' ').slice(0, 300) }
        : {}),
    }));
  });
}

/** A numbered heading ("1.2 Satisfaction") and a numbered caption ("Figure 1. …", "Tabla 3:"). */
const HEADING = /^\s*\d+(\.\d+)*\.?\s+\p{Lu}/u;
const CAPTION = /^\s*\p{L}+\.?\s+\d+[.:]\s/u;

/**
 * The lines read with a line of figures alone: up to three each side, within its figure or table.
 * The reading stops at a heading, and after the caption that ends a figure, so a chart's labels
 * are not read with the next section's words.
 */
export function nearbyLines(lines: readonly string[], i: number): string[] {
  const out = [lines[i] as string];
  for (let j = i - 1; j >= Math.max(0, i - 3); j--) {
    const line = lines[j] as string;
    if (HEADING.test(line) || CAPTION.test(line)) break;
    out.unshift(line);
  }
  for (let j = i + 1; j <= Math.min(lines.length - 1, i + 3); j++) {
    const line = lines[j] as string;
    if (HEADING.test(line)) break;
    out.push(line);
    if (CAPTION.test(line)) break;
  }
  return out;
}
