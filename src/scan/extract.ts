import { createRequire } from 'node:module';
import type { Root as HastRoot } from 'hast';
import { fromHtml } from 'hast-util-from-html';
import type { Root as MdastRoot } from 'mdast';
import remarkGfm from 'remark-gfm';
import remarkParse from 'remark-parse';
import { unified } from 'unified';
import { visit } from 'unist-util-visit';

/** A run of prose and where it starts in the file (1-based). */
export interface Segment {
  text: string;
  line: number;
  column: number;
  /** In a PDF: the page (line is then the line on that page). */
  page?: number;
  /** The whole source line it stands on (Markdown, HTML): a table cell's row. */
  around?: string;
}

export type TextKind = 'text' | 'markdown' | 'html' | 'pdf';

export function kindOf(path: string): TextKind {
  if (/\.(md|markdown)$/i.test(path)) return 'markdown';
  if (/\.x?html?$/i.test(path)) return 'html';
  if (/\.pdf$/i.test(path)) return 'pdf';
  return 'text';
}

/**
 * The prose of a file, line by line: plain text as it is; Markdown's and HTML's text nodes
 * (not their markup, code, scripts or styles), each with its line and column in the file.
 */
export function segments(source: string, kind: Exclude<TextKind, 'pdf'>): Segment[] {
  if (kind === 'text')
    return source.split(/\r?\n/).map((text, i) => ({ text, line: i + 1, column: 1 }));
  const out: Segment[] = [];
  const lines = source.split(/\r?\n/);
  const add = (value: string, line = 1, column = 1) =>
    value.split(/\r?\n/).forEach((text, i) => {
      out.push({ text, line: line + i, column: i === 0 ? column : 1, around: lines[line + i - 1] });
    });
  if (kind === 'markdown') {
    const tree = unified().use(remarkParse).use(remarkGfm).parse(source) as MdastRoot;
    visit(tree, 'text', (node) => {
      add(node.value, node.position?.start.line, node.position?.start.column);
    });
  } else {
    const tree = fromHtml(source) as HastRoot;
    visit(tree, (node, _index, parent) => {
      if (node.type !== 'text') return;
      const tag = parent && parent.type === 'element' ? parent.tagName : '';
      if (tag === 'script' || tag === 'style') return;
      add(node.value, node.position?.start.line, node.position?.start.column);
    });
  }
  return out;
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
  return text.flatMap((page, p) =>
    page.split('\n').map((line, i) => ({ text: line, line: i + 1, column: 1, page: p + 1 })),
  );
}
